/**
 * @module git/remote
 * Where a remote is: the URL behind a remote name, and whether it is reached over http(s) or is a
 * repository on this file system. Also the check, before anything is committed, that a push can
 * go there at all.
 */
import { readGitConfig } from './config.js';
import { fileURLToPath } from 'node:url';
import type { AuthCallback } from 'isomorphic-git';
import { GitError, type ErrorCode } from '../errors.js';
import { publicUrl, scrubSecrets } from './public-url.js';
import { openRepo, type Repo } from './repo.js';

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

/**
 * `url` is what the transport uses, credentials included; `shown` is publicUrl(url), the only
 * form that may be printed or recorded.
 */
export type RemoteLocation =
  | { readonly kind: 'http'; readonly url: string; readonly shown: string }
  | { readonly kind: 'path'; readonly url: string; readonly shown: string; readonly path: string };

/**
 * The URL a remote name stands for in the repository's config, as it may be recorded
 * (publicUrl), whatever its transport; undefined when there is no such remote.
 */
export async function configuredRemoteUrl(repo: Repo, remote: string): Promise<string | undefined> {
  const url = readGitConfig(repo.commondir, `remote.${remote}.url`);
  return typeof url === 'string' && url ? publicUrl(url) : undefined;
}

/** Resolves a remote name from the repository's config, an http(s) or file:// URL, or a path. */
export async function locateRemote(repo: Repo, remote: string): Promise<RemoteLocation> {
  let url = remote;
  const looksLikeUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(remote) || remote.includes('/') || remote.startsWith('.');
  if (!looksLikeUrl) {
    const configured = readGitConfig(repo.commondir, `remote.${remote}.url`);
    if (typeof configured !== 'string' || !configured) throw new GitError('UnknownRemote', `no remote named "${publicUrl(remote)}" in ${repo.dir} (and it is not a URL or a path)`);
    url = configured;
  }
  const shown = publicUrl(url);
  if (/^https?:\/\//i.test(url)) return { kind: 'http', url, shown };
  if (/^file:\/\//i.test(url)) {
    let path: string;
    try {
      path = fileURLToPath(url);
    } catch (err) {
      throw new GitError('UnsupportedRemote', `remote ${shown}: not a file URL gitfed can open (${(err as Error).message})`);
    }
    return { kind: 'path', url, shown, path };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^/]+@[^/]+:/.test(url)) {
    throw new GitError('UnsupportedRemote', `remote ${shown}: gitfed talks to http(s) and file remotes only; use an https URL with a token`);
  }
  return { kind: 'path', url, shown, path: url };
}

/** A transport failure as a GitError whose message holds no credential of `where`. */
export function transportError(code: ErrorCode, what: string, where: RemoteLocation, err: unknown): GitError {
  const why = scrubSecrets(err instanceof Error ? err.message : String(err), where.url);
  return new GitError(code, `${what} ${where.shown} failed: ${why}`);
}

/**
 * Checks, before anything is committed, that `remote` is a repository gitfed can push to: a file
 * remote must be a repository, an http one must answer a push handshake (which is where a wrong
 * or expired token shows). Throws GitError UnknownRemote, UnsupportedRemote, NotARepository or
 * RemoteUnreachable.
 */
export async function checkPushTarget(opts: Pick<RemoteOptions, 'dir' | 'remote' | 'onAuth' | 'headers'>): Promise<RemoteLocation> {
  const where = await locateRemote(openRepo(opts.dir), opts.remote);
  if (where.kind === 'path') {
    openRepo(where.path);
    return where;
  }
  const [{ default: git }, { default: http }] = await Promise.all([import('isomorphic-git'), import('isomorphic-git/http/node')]);
  try {
    await git.getRemoteInfo2({ http, url: where.url, forPush: true, onAuth: opts.onAuth, headers: opts.headers });
  } catch (err) {
    throw transportError('RemoteUnreachable', 'push handshake with', where, err);
  }
  return where;
}
