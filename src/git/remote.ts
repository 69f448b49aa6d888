/**
 * @module git/remote
 * Where a remote is: the URL behind a remote name, and whether it is reached over http(s) or is a
 * repository on this file system.
 */
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AuthCallback } from 'isomorphic-git';
import { GitError } from '../errors.js';
import type { Repo } from './repo.js';

/** What a push or a fetch of output branches needs to know. */
export interface RemoteOptions {
  /** The local repository holding the output branches. */
  readonly dir: string;
  /** A remote name from the repository's config, an http(s) or file:// URL, or a path. */
  readonly remote: string;
  /** Branch names (without refs/heads/). */
  readonly branches: readonly string[];
  /** Also transfer refs/notes/gitfed. @default true */
  readonly notes?: boolean;
  /** Credentials for http remotes, as isomorphic-git's onAuth. */
  readonly onAuth?: AuthCallback;
  readonly headers?: Record<string, string>;
}

export type RemoteLocation = { readonly kind: 'http'; readonly url: string } | { readonly kind: 'path'; readonly url: string; readonly path: string };

/** Resolves a remote name from the repository's config, an http(s) or file:// URL, or a path. */
export async function locateRemote(repo: Repo, remote: string): Promise<RemoteLocation> {
  let url = remote;
  const looksLikeUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(remote) || remote.includes('/') || remote.startsWith('.');
  if (!looksLikeUrl) {
    const { default: git } = await import('isomorphic-git');
    const configured = (await git.getConfig({ fs, gitdir: repo.gitdir, path: `remote.${remote}.url` })) as string | undefined;
    if (!configured) throw new GitError('UnknownRemote', `no remote named "${remote}" in ${repo.dir} (and it is not a URL or a path)`);
    url = configured;
  }
  if (/^https?:\/\//i.test(url)) return { kind: 'http', url };
  if (/^file:\/\//i.test(url)) return { kind: 'path', url, path: fileURLToPath(url) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^/]+@[^/]+:/.test(url)) {
    throw new GitError('UnsupportedRemote', `remote ${url}: gitfed talks to http(s) and file remotes only; use an https URL with a token`);
  }
  return { kind: 'path', url, path: url };
}
