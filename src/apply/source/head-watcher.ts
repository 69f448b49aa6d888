/**
 * @module head-watcher
 * Tells the daemon that the output branch has a new head. A local repository's refs are
 * watched with chokidar (a commit shows within a second); a remote is fetched into a local
 * mirror on an interval; a plain directory is watched file by file. Every kind also polls,
 * slowly, as a backstop for events a file system may drop.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'chokidar';
import { gitdirOf, resolveBranchHead } from '../../git/branch-read.js';
import { fetchRemote, isRemote, type GitAuth } from '../../git/mirror.js';

export interface HeadWatcher {
  /** The local path to read the branch from (a mirror for a remote). */
  readonly localRepo: string;
  /** A token that changes when the branch changes: the head commit, or a content stamp for a directory. */
  current(): Promise<string>;
  /** Looks now instead of at the next poll (a webhook said the branch moved): fetches a remote, then tells onChange. */
  refresh(): Promise<void>;
  close(): Promise<void>;
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
export async function watchHead(repo: string, branch: string, opts: { fetchSeconds: number; onChange: () => void; onError?: (err: unknown) => void; credentials?: () => GitAuth | Promise<GitAuth> }): Promise<HeadWatcher> {
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    clearTimeout(timer);
    timer = setTimeout(opts.onChange, 50);
  };
  let watcher: FSWatcher | undefined;
  let poll: NodeJS.Timeout;

  if (isRemote(repo)) {
    const gitdir = await fetchRemote(repo, branch, opts.credentials);
    // One fetch at a time into the mirror; asks made while one runs share a single next fetch.
    let running: Promise<void> | undefined;
    let again: Promise<void> | undefined;
    const fetchOnce = (): Promise<void> => fetchRemote(repo, branch, opts.credentials).then(fire, (err: unknown) => opts.onError?.(err));
    const refresh = (): Promise<void> => {
      if (!running) {
        running = fetchOnce().finally(() => (running = undefined));
        return running;
      }
      again ??= running.then(() => {
        again = undefined;
        return refresh();
      });
      return again;
    };
    poll = setInterval(() => void refresh(), opts.fetchSeconds * 1000);
    return {
      localRepo: gitdir,
      current: () => resolveBranchHead(gitdir, branch),
      refresh,
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
      refresh: async () => fire(),
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
    refresh: async () => fire(),
    close: async () => {
      clearInterval(poll);
      await watcher?.close();
    },
  };
}
