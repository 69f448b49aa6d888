/**
 * @module git/mirror
 * The local mirror of a remote output branch: one bare repository per URL under the user's
 * cache, fetched into on demand. Apply reads the branch from the mirror like any local one.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { GitError } from '../errors.js';
import { publicUrl, scrubSecrets } from './public-url.js';

export function isRemote(repo: string): boolean {
  return /^(https?|git|ssh):\/\//.test(repo) || /^[\w.-]+@[\w.-]+:/.test(repo);
}

/** Where a remote is mirrored: one bare repository per URL under the user's cache. */
export function mirrorDir(url: string): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'gitfed', 'mirrors', createHash('sha256').update(url).digest('hex').slice(0, 16));
}

/** HTTPS credentials kept out of the URL (a token read from a file or a Secret): never recorded, never in the mirror's name. */
export interface GitCredentials {
  readonly username: string;
  readonly password: string;
}

/**
 * Fetches the branch of a remote into its mirror; returns the mirror's git directory.
 * `credentials` is asked each time the server wants them, so a rotated token is picked up.
 */
export async function fetchRemote(url: string, branch: string, credentials?: () => GitCredentials | Promise<GitCredentials>): Promise<string> {
  const dir = mirrorDir(url);
  const gitdir = dir;
  if (!fs.existsSync(path.join(gitdir, 'HEAD'))) {
    fs.mkdirSync(gitdir, { recursive: true });
    await git.init({ fs, gitdir, bare: true, defaultBranch: branch });
    await git.addRemote({ fs, gitdir, remote: 'origin', url, force: true });
  }
  // The branch's whole history, not its head alone: a fleet recognises the inventories of its
  // earlier names (and gitfed's before fleet names) by their commit being in it. Later fetches bring only new commits.
  try {
    await git.fetch({ fs, http, gitdir, remote: 'origin', ref: branch, singleBranch: true, tags: false, ...(credentials ? { onAuth: async () => ({ ...(await credentials()) }) } : {}) });
  } catch (err) {
    // isomorphic-git's message may hold the URL, token and all: reworded, and no cause kept.
    throw new GitError('FetchFailed', `fetch of ${branch} from ${publicUrl(url)} failed: ${scrubSecrets((err as Error).message, url)}`);
  }
  return gitdir;
}
