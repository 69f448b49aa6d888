/**
 * @module git/refs
 * Reading refs (loose files, then packed-refs) and moving them by compare-and-swap, the way git
 * itself does: create `<ref>.lock` with O_EXCL, check the ref still holds the expected value,
 * write the new value into the lock, rename it over the ref. A renamed file is the only thing a
 * reader can see, so a ref is always either old or new. isomorphic-git's writeRef has no
 * expected-old-value, hence this module.
 */
import * as fs from 'node:fs';
import { dirname, join } from 'node:path';
import { GitError } from '../errors.js';
import type { Repo } from './repo.js';

const OID = /^[0-9a-f]{40}$/;

/** The file a ref lives in: HEAD and other pseudo-refs per worktree, refs/ in the common dir. */
function refPath(repo: Repo, ref: string): string {
  return join(ref.startsWith('refs/') ? repo.commondir : repo.gitdir, ref);
}

function readPackedRef(repo: Repo, ref: string): string | null {
  let text: string;
  try {
    text = fs.readFileSync(join(repo.commondir, 'packed-refs'), 'utf8');
  } catch {
    return null;
  }
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.startsWith('^')) continue;
    const sp = line.indexOf(' ');
    if (sp > 0 && line.slice(sp + 1) === ref) return line.slice(0, sp);
  }
  return null;
}

/**
 * The object id a ref points at, following symbolic refs; null when the ref does not exist.
 * Reads the disk each time: a cached value would defeat the compare-and-swap.
 */
export function readRef(repo: Repo, ref: string, depth = 5): string | null {
  let text: string | undefined;
  try {
    text = fs.readFileSync(refPath(repo, ref), 'utf8').trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EISDIR') throw err;
  }
  if (text === undefined) return readPackedRef(repo, ref);
  if (text.startsWith('ref: ')) {
    if (depth === 0) throw new GitError('CorruptRef', `${ref}: symbolic refs nest too deep`, { file: refPath(repo, ref) });
    return readRef(repo, text.slice(5), depth - 1);
  }
  if (!OID.test(text)) throw new GitError('CorruptRef', `${ref} holds "${text.slice(0, 60)}", not an object id`, { file: refPath(repo, ref) });
  return text;
}

export interface RefUpdate {
  readonly ref: string;
  /** The value the ref was read at; null when it did not exist. */
  readonly expected: string | null;
  /** The new value; absent to only check that the ref still holds `expected`. */
  readonly next?: string;
}

export interface UpdateRefsOptions {
  /** How long to wait for another writer's lock to go away. @default 1000 */
  readonly lockTimeoutMs?: number;
  /** Called once every lock is held and checked, before any ref moves (fault injection in tests). */
  readonly beforeRename?: () => void;
}

interface Held {
  readonly update: RefUpdate;
  readonly lock: string;
  readonly fd: number;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function acquire(repo: Repo, update: RefUpdate, timeoutMs: number): Held {
  const path = refPath(repo, update.ref);
  const lock = `${path}.lock`;
  try {
    fs.mkdirSync(dirname(path), { recursive: true });
  } catch (err) {
    // refs/heads/a/b cannot exist next to refs/heads/a: a ref is a file, its "directory" is taken.
    throw new GitError('RefConflict', `cannot create ${update.ref}: a ref named like one of its parent directories exists`, { file: path }, { cause: err });
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return { update, lock, fd: fs.openSync(lock, 'wx', 0o644) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (Date.now() >= deadline) {
        throw new GitError('RefLocked', `${update.ref} is locked by another writer (${lock} exists); if no git or gitfed process is running, remove that file`, { file: lock });
      }
      sleep(20);
    }
  }
}

function release(held: readonly Held[]): void {
  for (const h of held) {
    try {
      fs.closeSync(h.fd);
    } catch {
      // Already closed after a successful write.
    }
    fs.rmSync(h.lock, { force: true });
  }
}

function short(oid: string | null): string {
  return oid ? oid.slice(0, 7) : '(none)';
}

/**
 * Moves every ref in `updates` from its expected value to its next one, or none of them: all
 * locks are taken and all values checked before the first rename. A ref that moved since it was
 * read fails the whole call with GitError BranchMoved. Locks are taken in ref order so two
 * writers of the same refs contend on the first one rather than each holding half; the renames
 * then go in the order given (only a kill between two renames can separate them).
 */
export function updateRefs(repo: Repo, updates: readonly RefUpdate[], opts: UpdateRefsOptions = {}): void {
  const ordered = [...updates].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  const held: Held[] = [];
  try {
    for (const u of ordered) {
      if (u.next !== undefined && !OID.test(u.next)) throw new Error(`updateRefs: ${u.ref} next value "${u.next}" is not an object id`);
      held.push(acquire(repo, u, opts.lockTimeoutMs ?? 1000));
      const actual = readRef(repo, u.ref);
      if (actual !== u.expected) {
        throw new GitError('BranchMoved', `${u.ref} moved from ${short(u.expected)} to ${short(actual)} while gitfed was writing; render again on top of it`, { file: refPath(repo, u.ref) });
      }
    }
    for (const h of held) {
      if (h.update.next !== undefined) fs.writeSync(h.fd, `${h.update.next}\n`);
      fs.closeSync(h.fd);
    }
    opts.beforeRename?.();
  } catch (err) {
    release(held);
    throw err;
  }
  // Renames follow the caller's order, so a kill between two of them leaves the earlier ones moved.
  for (const u of updates) {
    const h = held.find((x) => x.update === u)!;
    if (u.next !== undefined && u.next !== u.expected) fs.renameSync(h.lock, refPath(repo, u.ref));
    else fs.rmSync(h.lock, { force: true });
  }
}
