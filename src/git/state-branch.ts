/**
 * @module git/state-branch
 * The state branch (default `fleet-state`): one document per member under `members/`, written by
 * `gitfed observe`, read by `gitfed render --state`. A commit only when a document changed, its
 * message saying what changed; the ref moves by compare-and-swap like the output branches, so two
 * observers never lose each other's commit (the second gets BranchMoved and observes again).
 */
import { GitError } from '../errors.js';
import type { StateChange, StateCommit } from '../state/change.js';
import { memberFile, serializeMemberState, type FleetState, type MemberState } from '../state/model.js';
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
import { readCommitObject } from './source.js';
import { listFiles } from './tree-read.js';
import { readStateAt } from './state-read.js';

// Reading lives in state-read.ts, so that a render or a diff loads none of the writing.
export { readStateAt, renderedProvenance, type RenderedFrom } from './state-read.js';


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

function asChange(oid: string, message: string): StateCommit {
  const [subject = '', ...rest] = message.split('\n');
  return { commit: oid, subject, body: rest.join('\n').trim() };
}

/** First-parent walk from `head` back to `stop` (excluded): the commits, or null when `stop` is not met within `limit`. */
async function walk(store: ObjectStore, head: string, stop: string | null, limit: number): Promise<{ commits: StateCommit[]; found: boolean }> {
  const commits: StateCommit[] = [];
  let oid: string | undefined = head;
  while (oid && oid !== stop && store.has(oid)) {
    if (commits.length === limit) return { commits, found: false };
    const c = await readCommitObject(store, oid, head);
    commits.push(asChange(oid, c.message));
    oid = c.parents[0];
  }
  return { commits, found: stop === null ? !oid : oid === stop };
}

/**
 * The state change between two state commits (`from` null: the state began with `to`): what
 * gitfed diff and a review branch's commit name as the cause of a render.
 */
export async function stateChangeBetween(dir: string, from: string | null, to: string, limit = 20): Promise<StateChange> {
  const store = new ObjectStore(openRepo(dir));
  let direction: StateChange['direction'] = 'forward';
  // Walked further than shown: the direction is known even when the list is cut short.
  const search = Math.max(limit, 1000);
  let w = await walk(store, to, from, search);
  if (!w.found && from !== null) {
    const back = await walk(store, from, to, search);
    if (back.found) {
      w = back;
      direction = 'back';
    } else direction = 'apart';
  }
  const [before, after] = await Promise.all([from === null ? Promise.resolve({ members: new Map<string, MemberState>() }) : readStateAt(dir, from), readStateAt(dir, to)]);
  const members = [...new Set([...before.members.keys(), ...after.members.keys()])].filter((m) => {
    const a = before.members.get(m);
    const b = after.members.get(m);
    return !a || !b || serializeMemberState(a) !== serializeMemberState(b);
  }).sort();
  const commits = direction === 'apart' ? [] : w.commits;
  return { from, to, direction, commits: commits.slice(0, limit), truncated: commits.length > limit, members };
}
