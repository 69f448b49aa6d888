/**
 * @module git/history
 * Questions about commit ancestry that the "never move a branch back" rule asks.
 */
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
 * The walk does not go below commits older than `ancestor` by more than a day, so asking about a
 * recent commit never reads a long history.
 */
export async function isAncestor(store: ObjectStore, ancestor: string, descendant: string): Promise<boolean> {
  if (ancestor === descendant) return false;
  const floor = (await readCommitObject(store, ancestor, ancestor)).committer.timestamp - SLOP_SECONDS;
  const seen = new Set<string>([descendant]);
  const queue = [descendant];
  while (queue.length > 0) {
    const c: CommitObject = await readCommitObject(store, queue.pop()!, descendant);
    for (const p of c.parents) {
      if (p === ancestor) return true;
      if (seen.has(p)) continue;
      seen.add(p);
      // Only the parent is checked for age: a missing parent (shallow clone) just ends the walk.
      if (!store.has(p)) continue;
      if ((await readCommitObject(store, p, descendant)).committer.timestamp >= floor) queue.push(p);
    }
  }
  return false;
}
