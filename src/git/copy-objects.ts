/**
 * @module git/copy-objects
 * Copies what one repository lacks of another's history: the object transfer of a push or a
 * fetch between two repositories on the same file system.
 */
import { parseCommit, parseTree } from './object-format.js';
import type { FlushResult, ObjectStore, StoredObject } from './object-store.js';

const MODE_SUBMODULE = '160000';

/** Commits reachable from `head` that `to` lacks, oldest first (parents before children on a chain). */
async function missingCommits(from: ObjectStore, to: ObjectStore, head: string): Promise<string[]> {
  const found: string[] = [];
  const seen = new Set<string>();
  const stack = [head];
  while (stack.length > 0) {
    const oid = stack.pop()!;
    if (seen.has(oid) || to.has(oid)) continue;
    seen.add(oid);
    found.push(oid);
    const o = await from.read(oid);
    if (o.type === 'commit') stack.push(...parseCommit(o.content).parents);
  }
  return found.reverse();
}

/**
 * Copies every object reachable from `heads` that `to` does not have. An object `to` already has
 * is taken to come with everything it reaches (git's connectivity rule, which gitfed keeps by
 * writing objects before refs), so the walk stops there. Objects are collected children first, so
 * even loose writes never store an object before the ones it points at.
 */
export async function copyObjects(from: ObjectStore, to: ObjectStore, heads: readonly string[]): Promise<FlushResult> {
  const collected = new Map<string, StoredObject>();
  // Trees nest only as deep as directories do, so recursion is fine below a commit; commit chains
  // can be long and are walked iteratively by missingCommits instead.
  const visit = async (oid: string): Promise<void> => {
    if (collected.has(oid) || to.has(oid)) return;
    const o = await from.read(oid);
    if (o.type === 'commit') {
      await visit(parseCommit(o.content).tree);
    } else if (o.type === 'tree') {
      for (const e of parseTree(o.content)) if (e.mode !== MODE_SUBMODULE) await visit(e.oid);
    } else if (o.type === 'tag') {
      const m = /^object ([0-9a-f]{40})$/m.exec(o.content.toString('utf8'));
      if (m?.[1]) await visit(m[1]);
    }
    collected.set(oid, o);
  };
  for (const head of heads) {
    for (const commit of await missingCommits(from, to, head)) await visit(commit);
  }
  return to.writeAll(collected);
}
