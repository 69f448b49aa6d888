/**
 * @module git/history
 * Commit ancestry, and the rule it serves: a branch never moves back to an older source commit.
 */
import { GitError } from '../errors.js';
import type { BranchHead } from './branch-state.js';
import { SOURCE_TRAILER } from './notes.js';
import type { CommitObject } from './object-format.js';
import type { ObjectStore } from './object-store.js';
import { readCommitObject } from './source.js';

/**
 * Clock skew git itself tolerates when it stops a walk on commit dates: a commit this much older
 * than the one looked for is still expanded.
 */
const SLOP_SECONDS = 24 * 3600;

/**
 * Whether `ancestor` is reachable from `descendant` (strictly: a commit is not its own ancestor).
 * First a walk that does not go below commits older than `ancestor` by more than a day, so asking
 * about a recent commit never reads a long history. Committer dates can run backwards (clock
 * skew, imported or rewritten history), so a "no" from that walk is confirmed by a complete one:
 * a wrong "no" would let a branch move back to an older source.
 */
export async function isAncestor(store: ObjectStore, ancestor: string, descendant: string): Promise<boolean> {
  if (ancestor === descendant) return false;
  const floor = (await readCommitObject(store, ancestor, ancestor)).committer.timestamp - SLOP_SECONDS;
  const quick = await reaches(store, ancestor, descendant, floor);
  if (quick !== 'cut-short') return quick === 'yes';
  return (await reaches(store, ancestor, descendant, -Infinity)) === 'yes';
}

/** Walks the parents of `descendant`, not expanding commits older than `floor`. */
async function reaches(store: ObjectStore, ancestor: string, descendant: string, floor: number): Promise<'yes' | 'no' | 'cut-short'> {
  const seen = new Set<string>([descendant]);
  const queue = [descendant];
  let cut = false;
  while (queue.length > 0) {
    const c: CommitObject = await readCommitObject(store, queue.pop()!, descendant);
    for (const p of c.parents) {
      if (p === ancestor) return 'yes';
      if (seen.has(p)) continue;
      seen.add(p);
      // Only the parent is checked for age: a missing parent (shallow clone) just ends the walk.
      if (!store.has(p)) continue;
      if ((await readCommitObject(store, p, descendant)).committer.timestamp >= floor) queue.push(p);
      else cut = true;
    }
  }
  return cut ? 'cut-short' : 'no';
}

/** Source commits named by the trailers of the branch's first-parent history (newest first). */
async function sourcesInHistory(store: ObjectStore, head: string, ref: string, limit = 1000): Promise<string[]> {
  const out: string[] = [];
  let oid: string | undefined = head;
  const trailer = new RegExp(`^${SOURCE_TRAILER}: ([0-9a-f]{40})$`, 'm');
  for (let i = 0; oid && i < limit && store.has(oid); i++) {
    const c: CommitObject = await readCommitObject(store, oid, ref);
    const m = trailer.exec(c.message);
    if (m?.[1]) out.push(m[1]);
    oid = c.parents[0];
  }
  return out;
}

/** Refuses to render a source older than the one the branch already holds. */
export async function refuseBackwards(store: ObjectStore, branch: string, prev: BranchHead, recorded: string | null, source: string): Promise<void> {
  if (!recorded || recorded === source) return;
  let older: boolean;
  if (store.has(recorded) && store.has(source)) {
    // The usual case, moving forward, is answered by a short walk; only the rest pays for a long one.
    if (await isAncestor(store, recorded, source)) return;
    older = await isAncestor(store, source, recorded);
  } else {
    // The source history is not in this repository: the branch's own trailers tell what it held.
    older = (await sourcesInHistory(store, prev.head, branch)).includes(source);
  }
  if (older) {
    throw new GitError('SourceNotNewer',
      `branch "${branch}" already holds source ${recorded.slice(0, 7)}, and ${source.slice(0, 7)} is older; refusing to move the branch back. ` +
      'To roll back, revert the change in the fleet repo and render that new commit.');
  }
}
