/**
 * @module head-watcher
 * Tells the daemon that the output branch has a new head. A local repository's refs are
 * watched with chokidar (a commit shows within a second); a remote is fetched into a local
 * mirror on an interval; a plain directory is watched file by file. Every kind also polls,
 * slowly, as a backstop for events a file system may drop.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'chokidar';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { gitdirOf, resolveBranchHead } from '../../git/branch-read.js';

export interface HeadWatcher {
  /** The local path to read the branch from (a mirror for a remote). */
  readonly localRepo: string;
  /** A token that changes when the branch changes: the head commit, or a content stamp for a directory. */
  current(): Promise<string>;
  close(): Promise<void>;
}

export function isRemote(repo: string): boolean {
  return /^(https?|git|ssh):\/\//.test(repo) || /^[\w.-]+@[\w.-]+:/.test(repo);
}

/** Where a remote is mirrored: one bare repository per URL under the user's cache. */
export function mirrorDir(url: string): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'gitfed', 'mirrors', createHash('sha256').update(url).digest('hex').slice(0, 16));
}

/** Fetches the branch of a remote into its mirror; returns the mirror's git directory. */
export async function fetchRemote(url: string, branch: string): Promise<string> {
  const dir = mirrorDir(url);
  const gitdir = dir;
  if (!fs.existsSync(path.join(gitdir, 'HEAD'))) {
    fs.mkdirSync(gitdir, { recursive: true });
    await git.init({ fs, gitdir, bare: true, defaultBranch: branch });
    await git.addRemote({ fs, gitdir, remote: 'origin', url, force: true });
  }
  // The branch's whole history, not its head alone: a fleet recognises the inventories of its
  // earlier names (and gitfed's before fleet names) by their commit being in it. Later fetches bring only new commits.
  await git.fetch({ fs, http, gitdir, remote: 'origin', ref: branch, singleBranch: true, tags: false });
  return gitdir;
}

function dirStamp(dir: string): string {
  const h = createHash('sha256');
  for (const rel of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const st = fs.statSync(path.join(dir, rel));
    if (st.isFile()) h.update(`${rel}\0${st.size}\0${st.mtimeMs}\0`);
  }
  return h.digest('hex');
}

/**
 * Calls `onChange` (debounced) when the branch may have moved; the caller compares `current()`
 * with what it last reconciled.
 */
export async function watchHead(repo: string, branch: string, opts: { fetchSeconds: number; onChange: () => void; onError?: (err: unknown) => void }): Promise<HeadWatcher> {
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    clearTimeout(timer);
    timer = setTimeout(opts.onChange, 50);
  };
  let watcher: FSWatcher | undefined;
  let poll: NodeJS.Timeout;

  if (isRemote(repo)) {
    const gitdir = await fetchRemote(repo, branch);
    poll = setInterval(() => {
      fetchRemote(repo, branch).then(fire, (err: unknown) => opts.onError?.(err));
    }, opts.fetchSeconds * 1000);
    return {
      localRepo: gitdir,
      current: () => resolveBranchHead(gitdir, branch),
      close: async () => clearInterval(poll),
    };
  }

  const gitdir = gitdirOf(repo);
  if (gitdir) {
    // A commit rewrites refs/heads/<branch> (or packed-refs, after gc) through a lock file and a rename.
    watcher = watch([path.join(gitdir, 'refs', 'heads'), path.join(gitdir, 'packed-refs')], { ignoreInitial: true, ignored: (p) => p.endsWith('.lock') });
    watcher.on('all', fire);
    watcher.on('error', (err) => opts.onError?.(err));
    poll = setInterval(fire, Math.max(2, opts.fetchSeconds) * 1000);
    return {
      localRepo: repo,
      current: () => resolveBranchHead(gitdir, branch),
      close: async () => {
        clearInterval(poll);
        await watcher?.close();
      },
    };
  }

  watcher = watch(repo, { ignoreInitial: true });
  watcher.on('all', fire);
  watcher.on('error', (err) => opts.onError?.(err));
  poll = setInterval(fire, Math.max(2, opts.fetchSeconds) * 1000);
  return {
    localRepo: repo,
    current: async () => dirStamp(repo),
    close: async () => {
      clearInterval(poll);
      await watcher?.close();
    },
  };
}
