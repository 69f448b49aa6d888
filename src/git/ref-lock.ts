/**
 * @module git/ref-lock
 * git's lock protocol for one ref: `<ref>.lock` created with O_EXCL (which is what makes it a
 * lock, for gitfed and native git alike), the new value written into it, and the lock renamed
 * over the ref. A reader sees the old file or the new one, never half of either.
 */
import * as fs from 'node:fs';
import { dirname, join } from 'node:path';
import { appendReflog, shouldLog, type LogAllRefUpdates } from './reflog.js';
import { refPath } from './refs.js';
import type { Repo } from './repo.js';

export interface RefUpdate {
  readonly ref: string;
  /** The value the ref was read at; null when it did not exist. */
  readonly expected: string | null;
  /** The new value; absent to only check, under the lock, that the ref still holds `expected`. */
  readonly next?: string;
}

/** How ref moves are logged: see git/reflog. */
export interface ReflogOptions {
  readonly policy: LogAllRefUpdates;
  readonly message: string;
}

export interface Held {
  readonly update: RefUpdate;
  readonly lock: string;
  fd: number | null;
  /** The highest directory this lock had to create, removed again with the lock. */
  readonly madeDir: string | undefined;
}

export function isMove(u: RefUpdate): u is RefUpdate & { next: string } {
  return u.next !== undefined && u.next !== u.expected;
}

export function lockPath(repo: Repo, ref: string): string {
  return `${refPath(repo, ref)}.lock`;
}

/** What the lock holds once written: the value the ref has after the update. */
export function lockContent(u: RefUpdate): string {
  const value = u.next ?? u.expected;
  return value ? `${value}\n` : '';
}

/** Takes the lock, or returns null when someone holds it. Other failures (a file in the way of its directory) throw. */
export function tryLock(repo: Repo, update: RefUpdate): Held | null {
  const lock = lockPath(repo, update.ref);
  const madeDir = fs.mkdirSync(dirname(lock), { recursive: true });
  try {
    return { update, lock, fd: fs.openSync(lock, 'wx', 0o644), madeDir };
  } catch (err) {
    if (madeDir) pruneEmpty(dirname(lock), madeDir);
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw err;
  }
}

export function writeLock(h: Held): void {
  const content = lockContent(h.update);
  if (content) fs.writeSync(h.fd!, content);
  fs.closeSync(h.fd!);
  h.fd = null;
}

/** Removes the lock and any directory it created; for an update that does not go ahead. */
export function unlock(h: Held): void {
  if (h.fd !== null) {
    fs.closeSync(h.fd);
    h.fd = null;
  }
  fs.rmSync(h.lock, { force: true });
  if (h.madeDir) pruneEmpty(dirname(h.lock), h.madeDir);
}

/** Removes `dir` and its parents up to `top` while they are empty. */
function pruneEmpty(dir: string, top: string): void {
  for (let d = dir; d.startsWith(top); d = dirname(d)) {
    try {
      fs.rmdirSync(d);
    } catch {
      return;
    }
    if (d === top) return;
  }
}

/** Removes a tree of empty directories; throws ENOTEMPTY if a file is in it. */
function removeEmptyTree(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) removeEmptyTree(join(dir, e.name));
  }
  fs.rmdirSync(dir);
}

/**
 * Renames a written lock over its ref, logging the move first as git does. An empty directory
 * where the ref file goes (left when refs below it were deleted) is removed, as git removes it.
 */
export function moveIntoPlace(repo: Repo, u: RefUpdate & { next: string }, reflog: ReflogOptions | undefined): void {
  const path = refPath(repo, u.ref);
  if (shouldLog(repo, u.ref, reflog?.policy ?? false)) appendReflog(repo, u.ref, u.expected, u.next, reflog?.message ?? 'gitfed: update');
  try {
    if (fs.lstatSync(path).isDirectory()) removeEmptyTree(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.renameSync(`${path}.lock`, path);
}

/** The content of a lock file, or null when there is none. */
export function readLock(path: string): string | null {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
