/**
 * @module git/pointer-branches
 * Moves the rollout's pointer branches (`rollout/canary`, `rollout/eu-1`, ...) that consumers
 * applying for themselves (Argo CD, Flux) read, each to a commit of the rendered branch. All the
 * branches of one decision move in one ref transaction (ref-transaction.ts): a consumer never
 * sees half of a set moved, and a kill mid-way is finished by the next gitfed in the repository.
 * A pointer may move backwards (abort, rollback), so this is no fast-forward update.
 */
import { checkOutputBranches } from './branch-names.js';
import { readRef } from './refs.js';
import { readLogAllRefUpdates } from './reflog.js';
import { updateRefs } from './ref-transaction.js';
import { openRepo } from './repo.js';

export interface PointerMove {
  readonly branch: string;
  /** null when the branch did not exist. */
  readonly from: string | null;
  readonly to: string;
}

/** The commit each pointer branch holds now (null for one that does not exist). */
export function readPointers(repoDir: string, branches: readonly string[]): Map<string, string | null> {
  const repo = openRepo(repoDir);
  return new Map(branches.map((b) => [b, readRef(repo, `refs/heads/${b}`)]));
}

/**
 * Moves every branch of `targets` (name -> commit) to its commit, all or none; branches already
 * there are left alone, so the same targets twice move nothing the second time. Throws GitError
 * InvalidBranch (a name that is no valid ref) or BranchConflict before anything moves, and
 * BranchMoved when a branch moved between the read and the locks (someone else writes it).
 */
export async function movePointerBranches(repoDir: string, targets: ReadonlyMap<string, string>, message = 'gitfed rollout'): Promise<PointerMove[]> {
  const repo = openRepo(repoDir);
  const branches = [...targets.keys()].sort();
  checkOutputBranches(repo, branches);
  const moves: PointerMove[] = [];
  for (const branch of branches) {
    const from = readRef(repo, `refs/heads/${branch}`);
    const to = targets.get(branch)!;
    if (from !== to) moves.push({ branch, from, to });
  }
  if (moves.length === 0) return [];
  updateRefs(
    repo,
    moves.map((m) => ({ ref: `refs/heads/${m.branch}`, expected: m.from, next: m.to })),
    { reflog: { policy: await readLogAllRefUpdates(repo), message: `${message}: ${moves.map((m) => `${m.branch} ${m.to.slice(0, 7)}`).join(', ')}` } },
  );
  return moves;
}
