/**
 * @module git/state-branch
 * The state branch (default `fleet-state`): one document per member under `members/`, written by
 * `gitfed observe`, read by `gitfed render --state`. A commit only when a document changed, its
 * message saying what changed; the ref moves by compare-and-swap like the output branches, so two
 * observers never lose each other's commit (the second gets BranchMoved and observes again).
 */
import { GitError } from '../errors.js';
import { memberFile, parseFleetState, serializeMemberState, STATE_DIR, type FleetState, type MemberState } from '../state/model.js';
import { checkOutputBranches } from './branch-names.js';
import { TreeBuilder } from './build-tree.js';
import { GITFED_EMAIL, GITFED_NAME } from './identity.js';
import { serializeCommit, type Signature } from './object-format.js';
import { ObjectBatch, ObjectStore } from './object-store.js';
import { recoverRefUpdates } from './ref-journal.js';
import { updateRefs } from './ref-transaction.js';
import { readLogAllRefUpdates } from './reflog.js';
import { readRef } from './refs.js';
import { openRepo } from './repo.js';
import { readCommitObject, readSourceAt } from './source.js';
import { listFiles } from './tree-read.js';

const stateFiles = (path: string, type: 'file' | 'dir') => (type === 'dir' ? path === STATE_DIR : path.startsWith(`${STATE_DIR}/`) && path.endsWith('.json'));

/** The state at any revision (a branch such as `fleet-state`, a commit id): what render reads. */
export async function readStateAt(dir: string, ref: string): Promise<FleetState> {
  const snap = await readSourceAt({ dir, ref, filter: stateFiles });
  return parseFleetState(snap.files, snap.commit, snap.time);
}

/** The branch's head and its documents; an empty state when the branch does not exist yet. */
export async function readStateHead(dir: string, branch: string): Promise<{ head: string | null; state: FleetState }> {
  const repo = openRepo(dir);
  // The name comes from the command line and becomes a file under .git/refs: checked as render checks output branches.
  checkOutputBranches(repo, [branch]);
  const head = readRef(repo, `refs/heads/${branch}`);
  if (!head) return { head: null, state: { members: new Map() } };
  return { head, state: await readStateAt(dir, head) };
}

export interface CommitStateOptions {
  readonly dir: string;
  readonly branch: string;
  /** The head the changes were decided against (readStateHead); the commit fails if it moved. */
  readonly expected: string | null;
  /** The documents that changed; the others are kept as they are. */
  readonly members: readonly MemberState[];
  readonly message: string;
  /** Observation time (unix seconds): author and committer date. */
  readonly time: number;
}

export interface CommitStateResult {
  readonly branch: string;
  readonly previous: string | null;
  readonly head: string;
  readonly committed: boolean;
}

export async function commitState(opts: CommitStateOptions): Promise<CommitStateResult> {
  const repo = openRepo(opts.dir);
  const store = new ObjectStore(repo);
  const batch = new ObjectBatch();
  store.stage(batch);
  recoverRefUpdates(repo);
  checkOutputBranches(repo, [opts.branch]);
  const ref = `refs/heads/${opts.branch}`;
  const previous = readRef(repo, ref);
  if (previous !== opts.expected) {
    throw new GitError('BranchMoved', `${ref} moved while observing (now ${previous?.slice(0, 7) ?? 'absent'}, expected ${opts.expected?.slice(0, 7) ?? 'absent'}); observe again`, {});
  }
  const tree = new TreeBuilder();
  const changed = new Map(opts.members.map((m) => [memberFile(m.cluster), serializeMemberState(m)]));
  let prevTree: string | null = null;
  if (previous) {
    prevTree = (await readCommitObject(store, previous, ref)).tree;
    for (const [path, oid] of await listFiles(store, prevTree)) if (!changed.has(path)) tree.addFile(path, oid);
  }
  for (const [path, text] of changed) tree.addFile(path, batch.add('blob', Buffer.from(text, 'utf8')));
  const root = tree.build(batch);
  if (previous && root === prevTree) return { branch: opts.branch, previous, head: previous, committed: false };
  const sig: Signature = { name: GITFED_NAME, email: GITFED_EMAIL, timestamp: Math.floor(opts.time), tzOffset: 0 };
  const head = batch.add('commit', serializeCommit({ tree: root, parents: previous ? [previous] : [], author: sig, committer: sig, message: opts.message }));
  store.writeAll(batch.objects);
  updateRefs(repo, [{ ref, expected: previous, next: head }], {
    reflog: { policy: await readLogAllRefUpdates(repo), message: `gitfed observe: ${opts.message.split('\n', 1)[0]}` },
  });
  return { branch: opts.branch, previous, head, committed: true };
}
