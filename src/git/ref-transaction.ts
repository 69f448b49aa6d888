/**
 * @module git/ref-transaction
 * Moves several refs together by compare-and-swap, all or nothing, with git's own lock files so
 * native git and gitfed exclude each other:
 *
 *   1. check the names: none nested in another, none clashing with an existing ref (ref-layout);
 *   2. write the journal (ref-journal), then take every lock, in ref order;
 *   3. check every ref still holds its expected value, and the names again, now under the locks;
 *   4. write every lock; commit the journal;
 *   5. rename the locks over the refs, in the caller's order; remove the journal.
 *
 * A failure in 1-4 removes exactly the locks, directories and journal this call created and
 * leaves every ref as it was. After 4 only a kill (or a failing disk) can stop it, and the next
 * gitfed finishes the journal. A lock no journal names is someone else's and is never taken over.
 */
import { GitError } from '../errors.js';
import { checkRefLayout } from './ref-layout.js';
import { RefJournal, lockOwner, recoverRefUpdates } from './ref-journal.js';
import { isMove, lockPath, moveIntoPlace, tryLock, unlock, writeLock, type Held, type ReflogOptions, type RefUpdate } from './ref-lock.js';
import { OID, readRef } from './refs.js';
import type { Repo } from './repo.js';

export type { RefUpdate, ReflogOptions } from './ref-lock.js';

export interface UpdateRefsOptions {
  /** How long to wait for another writer's lock to go away. @default 1000 */
  readonly lockTimeoutMs?: number;
  /** How the moves are logged (git/reflog); without it only refs that have a log get an entry. */
  readonly reflog?: ReflogOptions;
  /** Called once every lock is held, checked and written, before the commit point (fault injection in tests). */
  readonly beforeRename?: () => void;
  /** Called after each ref is in place (fault injection in tests: a throw there stands for a kill). */
  readonly afterRename?: (ref: string) => void;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function short(oid: string | null): string {
  return oid ? oid.slice(0, 7) : '(none)';
}

function lockOrWait(repo: Repo, u: RefUpdate, timeoutMs: number): Held {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let held: Held | null;
    try {
      held = tryLock(repo, u);
    } catch (err) {
      throw new GitError('RefConflict', `cannot create ${u.ref}: ${(err as Error).message}`, {}, { cause: err });
    }
    if (held) return held;
    if (Date.now() >= deadline) {
      const lock = lockPath(repo, u.ref);
      const owner = lockOwner(repo, u.ref);
      const who = owner ? `gitfed process ${owner.pid} on ${owner.host} holds it (its journal is ${owner.journal}); if that process is gone, remove both files` : 'if no git process is running, remove that file';
      throw new GitError('RefLocked', `${u.ref} is locked by another writer (${lock} exists); ${who}`, { file: lock });
    }
    sleep(20);
  }
}

function moved(u: RefUpdate, actual: string | null): GitError {
  return new GitError('BranchMoved', `${u.ref} moved from ${short(u.expected)} to ${short(actual)} while gitfed was writing; render again on top of it`);
}

function asGitError(err: unknown, updates: readonly RefUpdate[]): unknown {
  if (err instanceof GitError || !(err instanceof Error)) return err;
  return new GitError('RefUpdateFailed', `cannot update ${updates.map((u) => u.ref).join(', ')}: ${err.message}; nothing was changed`, {}, { cause: err });
}

/**
 * Moves every ref in `updates` from its expected value to its next one, or none of them; see the
 * module comment. Throws GitError BranchMoved when a ref moved since it was read, RefConflict for
 * names that cannot coexist, RefLocked for a lock someone else holds.
 */
export function updateRefs(repo: Repo, updates: readonly RefUpdate[], opts: UpdateRefsOptions = {}): void {
  const refs = updates.map((u) => u.ref);
  for (const u of updates) {
    if (u.next !== undefined && !OID.test(u.next)) throw new Error(`updateRefs: ${u.ref} next value "${u.next}" is not an object id`);
    if (refs.indexOf(u.ref) !== refs.lastIndexOf(u.ref)) throw new Error(`updateRefs: ${u.ref} is given twice`);
  }
  try {
    recoverRefUpdates(repo);
  } catch (err) {
    throw asGitError(err, updates);
  }
  if (!updates.some(isMove)) {
    for (const u of updates) {
      const actual = readRef(repo, u.ref);
      if (actual !== u.expected) throw moved(u, actual);
    }
    return;
  }
  checkRefLayout(repo, refs);

  let journal: RefJournal | undefined;
  const held: Held[] = [];
  try {
    journal = RefJournal.begin(repo, updates, opts.reflog);
    for (const u of [...updates].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0))) held.push(lockOrWait(repo, u, opts.lockTimeoutMs ?? 1000));
    for (const h of held) {
      const actual = readRef(repo, h.update.ref);
      if (actual !== h.update.expected) throw moved(h.update, actual);
    }
    // Again under the locks: a clashing ref may have been created since the first check.
    checkRefLayout(repo, refs);
    for (const h of held) writeLock(h);
    opts.beforeRename?.();
    journal.commit();
  } catch (err) {
    // Reverse order, so a directory two locks share is removed with the last of them.
    for (const h of held.reverse()) unlock(h);
    journal?.close();
    throw asGitError(err, updates);
  }

  const committed = journal!;
  let done = 0;
  try {
    for (const u of updates) {
      const h = held.find((x) => x.update === u)!;
      if (isMove(u)) moveIntoPlace(repo, u, opts.reflog);
      else unlock(h);
      done++;
      opts.afterRename?.(u.ref);
    }
  } catch (err) {
    committed.abandon();
    const rest = updates.slice(done).map((u) => u.ref).join(', ');
    throw new GitError('RefUpdateIncomplete', `the update of ${refs.join(', ')} stopped before ${rest} moved (${(err as Error).message}); the next gitfed run in this repository finishes it`, {}, { cause: err });
  }
  committed.close();
}
