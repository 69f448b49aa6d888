/**
 * @module git/commit-outputs
 * Commits rendered output to its branches: plan every branch (what changed since its head), write
 * every new object, then move every branch and the notes ref in one compare-and-swap. Objects
 * first and refs last, so a kill at any point leaves each branch where it was or where it should be.
 */
import { GitError } from '../errors.js';
import type { BranchOutput, ClusterOutput } from '../render/types.js';
import { checkOutputBranches } from './branch-names.js';
import { TreeBuilder } from './build-tree.js';
import { refuseBackwards } from './history.js';
import { readBranchHead, readNotesHead, type BranchHead, type NotesHead } from './branch-state.js';
import { ATTRIBUTES_FILE, GITATTRIBUTES, METADATA_FILE, metadataContent, type SourceRef } from './metadata.js';
import { NOTES_REF, noteContent, readNote, REPO_TRAILER, setNote, SOURCE_TRAILER, STATE_TRAILER } from './notes.js';
import { hashObject, MODE_TREE, serializeCommit, type Signature } from './object-format.js';
import { ObjectBatch, ObjectStore, type FlushResult } from './object-store.js';
import { GITFED_EMAIL, GITFED_NAME } from './identity.js';
import { publicUrl } from './public-url.js';
import { recoverRefUpdates } from './ref-journal.js';
import { updateRefs, type RefUpdate } from './ref-transaction.js';
import { readLogAllRefUpdates } from './reflog.js';
import { readRef } from './refs.js';
import { openRepo, type Repo } from './repo.js';
import { readCommitObject } from './source.js';
import { listFiles, lookupPath, readTree } from './tree-read.js';

export interface CommitSource extends SourceRef {
  /** First line of the source commit's message. */
  readonly subject: string;
  /**
   * Source commit time (unix seconds), used as author and committer date so the same source gives
   * the same commit id anywhere. @default the committer time of `commit`, read from `dir`
   */
  readonly time?: number;
}

/** Points at which a test may inject a crash; see CommitOutputsOptions.onStage. */
export type CommitStage = 'objects-written' | 'refs-locked' | `ref-moved:${string}`;

export interface CommitOutputsOptions {
  /** Repository holding the output branches (usually the fleet repo itself). */
  readonly dir: string;
  readonly outputs: readonly BranchOutput[];
  readonly source: CommitSource;
  /** gitfed version written into the metadata file. */
  readonly version: string;
  /** New objects from which one pack is written instead of loose files. @default 512 */
  readonly packThreshold?: number;
  /**
   * Called at each stage, for fault tests. A throw at `objects-written` or `refs-locked` leaves
   * every ref as it was; one at `ref-moved:<ref>` stands for a kill after the commit point, which
   * the next commitOutputs finishes (git/ref-journal).
   */
  readonly onStage?: (stage: CommitStage) => void;
  /**
   * A render caused by a state change alone, for review (gitfed.yaml's `stateChanges.review`):
   * each output branch's new commit goes, on top of that branch's head, to a branch of its own
   * (moved to it whatever it held before), and the output branch stays as it is.
   */
  readonly review?: StateReview;
}

export interface StateReview {
  /** The review branch of an output branch. */
  readonly branchOf: (branch: string) => string;
  /** The commit's subject after the source's short id, naming the state change. */
  readonly title: string;
  /** What changed in the state, for the commit message's body. */
  readonly body: string;
}

export interface BranchResult {
  readonly branch: string;
  readonly ref: string;
  /** Head before this call; null for a new branch. */
  readonly previous: string | null;
  /** Head after this call (the previous one when nothing was committed). */
  readonly head: string;
  readonly committed: boolean;
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: readonly string[];
}

export interface CommitOutputsResult {
  readonly branches: readonly BranchResult[];
  /** New head of refs/notes/gitfed, or null when no note had to change. */
  readonly notes: string | null;
  readonly objectsWritten: number;
  readonly format: FlushResult['format'];
}

export { GITFED_EMAIL, GITFED_NAME };

interface Plan {
  readonly result: BranchResult;
  readonly update: RefUpdate;
}

function byName(a: ClusterOutput, b: ClusterOutput): number {
  return a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0;
}

function commitMessage(source: CommitSource, review?: StateReview): string {
  const subject = review ? review.title : source.subject.split('\n', 1)[0]!.trim();
  const body = review ? `${review.body.trimEnd()}\n\n` : '';
  const state = source.state ? `${STATE_TRAILER}: ${source.state}\n` : '';
  return `${source.commit.slice(0, 7)}: ${subject}\n\n${body}${SOURCE_TRAILER}: ${source.commit}\n${REPO_TRAILER}: ${source.repo}\n${state}`;
}

async function sourceTime(store: ObjectStore, source: CommitSource): Promise<number> {
  if (source.time !== undefined) return source.time;
  if (!store.has(source.commit)) {
    throw new GitError('MissingSourceTime', `source commit ${source.commit} is not in ${store.repo.dir}; pass source.time (its committer time) so output commits stay deterministic`);
  }
  return (await readCommitObject(store, source.commit, source.commit)).committer.timestamp;
}

/** Blob oids of the cluster's files in the previous commit, to skip rewriting the unchanged ones. */
async function previousFiles(store: ObjectStore, prev: BranchHead | null, dir: string | undefined): Promise<Map<string, string>> {
  if (!prev || dir === undefined) return new Map();
  const entry = dir === '' ? { mode: MODE_TREE, oid: prev.commit.tree } : await lookupPath(store, prev.commit.tree, dir);
  if (!entry || entry.mode !== MODE_TREE) return new Map();
  return listFiles(store, entry.oid, dir);
}

function checkPaths(c: ClusterOutput, branch: string): void {
  const prefix = c.dir === '' ? '' : `${c.dir}/`;
  for (const path of c.files.keys()) {
    if (!path.startsWith(prefix) || path === METADATA_FILE || path === ATTRIBUTES_FILE) {
      throw new GitError('InvalidOutput', `file "${path}" of cluster ${c.cluster} is not inside its directory "${c.dir}" of branch ${branch}`, { cluster: c.cluster });
    }
  }
}

interface ClusterPlan {
  readonly added: string[];
  readonly changed: string[];
  readonly unchanged: string[];
  readonly removed: string[];
}

/**
 * Whether the head is gitfed's own commit, so its metadata describes its tree. After a hand edit
 * the digests in the metadata no longer match the files, and nothing is grafted from that head.
 */
function writtenByGitfed(prev: BranchHead): boolean {
  return prev.commit.committer.email === GITFED_EMAIL && prev.commit.message.includes(`\n${SOURCE_TRAILER}: `);
}

/** Puts every cluster into `tree`: unchanged directories grafted by oid, the others blob by blob. */
async function planClusters(store: ObjectStore, batch: ObjectBatch, tree: TreeBuilder, output: BranchOutput, prev: BranchHead | null): Promise<ClusterPlan> {
  const before = new Map((prev?.meta?.clusters ?? []).map((c) => [c.name, c]));
  const trusted = prev !== null && writtenByGitfed(prev);
  const plan: ClusterPlan = { added: [], changed: [], unchanged: [], removed: [] };
  const seen = new Set<string>();
  for (const c of [...output.clusters].sort(byName)) {
    if (seen.has(c.cluster)) throw new GitError('InvalidOutput', `cluster ${c.cluster} appears twice in branch ${output.branch}`, { cluster: c.cluster });
    seen.add(c.cluster);
    const old = before.get(c.cluster);
    // The digest covers the files only; a new kubeconfig context or new labels are a change of the metadata too.
    if (old && old.dir === c.dir && old.digest === c.digest && old.context === c.context && sameLabels(old.labels, c.labels) && prev && trusted) {
      const entry = c.files.size === 0 || c.dir === '' ? null : await lookupPath(store, prev.commit.tree, c.dir);
      if (c.files.size === 0 || entry?.mode === MODE_TREE) {
        if (entry) tree.addTree(c.dir, entry.oid);
        plan.unchanged.push(c.cluster);
        continue;
      }
    }
    checkPaths(c, output.branch);
    (old ? plan.changed : plan.added).push(c.cluster);
    const known = await previousFiles(store, prev, old?.dir);
    for (const [path, content] of c.files) {
      const oid = known.get(path);
      tree.addFile(path, oid !== undefined && oid === hashObject('blob', content) ? oid : batch.add('blob', content));
    }
  }
  for (const name of before.keys()) if (!seen.has(name)) plan.removed.push(name);
  return plan;
}

async function planBranch(repo: Repo, store: ObjectStore, batch: ObjectBatch, output: BranchOutput, opts: CommitOutputsOptions, sig: Signature, notes: NotesHead): Promise<Plan> {
  const ref = `refs/heads/${output.branch}`;
  const prev = await readBranchHead(store, ref, readRef(repo, ref), notes);
  if (prev) await refuseBackwards(store, output.branch, prev, prev.source, opts.source.commit);
  const tree = new TreeBuilder();
  const clusters = await planClusters(store, batch, tree, output, prev);
  const attributes = hashObject('blob', Buffer.from(GITATTRIBUTES, 'utf8'));
  const sameAttributes = prev ? (await readTree(store, prev.commit.tree)).some((e) => e.name === ATTRIBUTES_FILE && e.oid === attributes) : false;
  // A new fleet name alone is a change: it decides which objects the members' apply owns.
  const sameFleet = prev?.meta?.fleet === opts.source.fleet;
  // A metadata file an older gitfed wrote with a token in the repo URL is rewritten, not kept.
  const leaks = prev?.meta && publicUrl(prev.meta.source.repo) !== prev.meta.source.repo;
  const noop = prev?.meta && !leaks && sameAttributes && sameFleet && clusters.added.length + clusters.changed.length + clusters.removed.length === 0;
  // For review, the commit goes on top of the output branch's head but to a branch of its own.
  const target = opts.review ? `refs/heads/${opts.review.branchOf(output.branch)}` : ref;
  const targetHead = opts.review ? readRef(repo, target) : (prev?.head ?? null);
  // Nothing to review: the output branch stays, and its head's note names the new state.
  if (prev && noop) return { result: { branch: output.branch, ref, previous: prev.head, ...clusters, head: prev.head, committed: false }, update: { ref, expected: prev.head } };
  const base = { branch: opts.review ? opts.review.branchOf(output.branch) : output.branch, ref: target, previous: targetHead, ...clusters };

  tree.addFile(METADATA_FILE, batch.add('blob', Buffer.from(metadataContent(output, opts.source, opts.version), 'utf8')));
  tree.addFile(ATTRIBUTES_FILE, batch.add('blob', Buffer.from(GITATTRIBUTES, 'utf8')));
  const root = tree.build(batch);
  if (prev && root === prev.commit.tree) return { result: { ...base, head: targetHead ?? prev.head, committed: false }, update: { ref: target, expected: targetHead } };
  const head = batch.add('commit', serializeCommit({
    tree: root, parents: prev ? [prev.head] : [], author: sig, committer: sig, message: commitMessage(opts.source, opts.review),
  }));
  if (opts.review && head === targetHead) return { result: { ...base, head, committed: false }, update: { ref: target, expected: targetHead } };
  return { result: { ...base, head, committed: true }, update: { ref: target, expected: targetHead, next: head } };
}

/** Adds the provenance note to every branch head; returns the new notes commit, or null if none changed. */
async function planNotes(store: ObjectStore, batch: ObjectBatch, plans: readonly Plan[], opts: CommitOutputsOptions, sig: Signature, notes: NotesHead): Promise<RefUpdate | null> {
  const content = noteContent(opts.source);
  let tree = notes.tree;
  for (const p of plans) {
    if ((await readNote(store, tree, p.result.head)) === content) continue;
    tree = await setNote(store, batch, tree, p.result.head, content);
  }
  if (tree === null || tree === notes.tree) return null;
  const next = batch.add('commit', serializeCommit({
    tree, parents: notes.head ? [notes.head] : [], author: sig, committer: sig,
    message: `gitfed: processed ${opts.source.commit.slice(0, 7)}\n`,
  }));
  return { ref: NOTES_REF, expected: notes.head, next };
}

/**
 * Commits every output branch for one source commit. Per branch: parent = its head, subject
 * `<sha7>: <subject>`, trailers `Gitfed-Source-Commit` and `Gitfed-Source-Repo`, the metadata file
 * and .gitattributes at the root; no commit when no cluster changed. The source repo is recorded
 * without credentials (publicUrl), whatever the caller passed. Every head then gets a note in refs/notes/gitfed
 * naming the source. Throws GitError SourceNotNewer for a source older than a branch holds,
 * BranchMoved when a ref moved while this ran (nothing is moved then: render again on top).
 */
export async function commitOutputs(given: CommitOutputsOptions): Promise<CommitOutputsResult> {
  // The source URL lands in the metadata, the notes and the trailers, all of which every reader
  // of the branch sees: it is made public here, where all three are written, not by each caller.
  const opts: CommitOutputsOptions = { ...given, source: { ...given.source, repo: publicUrl(given.source.repo) } };
  const repo = openRepo(opts.dir);
  const store = new ObjectStore(repo);
  const batch = new ObjectBatch();
  store.stage(batch);
  const sig: Signature = { name: GITFED_NAME, email: GITFED_EMAIL, timestamp: await sourceTime(store, opts.source), tzOffset: 0 };
  // A render killed after its commit point left refs half moved; finish that before reading them.
  recoverRefUpdates(repo);
  checkOutputBranches(repo, opts.outputs.flatMap((o) => (opts.review ? [o.branch, opts.review.branchOf(o.branch)] : [o.branch])));
  const notesAt = await readNotesHead(store);
  const plans: Plan[] = [];
  for (const output of opts.outputs) plans.push(await planBranch(repo, store, batch, output, opts, sig, notesAt));
  const notes = await planNotes(store, batch, plans, opts, sig, notesAt);

  const reflog = { policy: await readLogAllRefUpdates(repo), message: `gitfed render: ${commitMessage(opts.source).split('\n', 1)[0]}` };
  const flushed = store.writeAll(batch.objects, opts.packThreshold);
  opts.onStage?.('objects-written');
  // The notes ref moves first: should even the journal be lost, a kill between two renames leaves
  // a note on a commit no branch holds yet (harmless), never a new head without its note.
  updateRefs(repo, [...(notes ? [notes] : []), ...plans.map((p) => p.update)], {
    reflog,
    beforeRename: () => opts.onStage?.('refs-locked'),
    afterRename: (ref) => opts.onStage?.(`ref-moved:${ref}`),
  });
  return { branches: plans.map((p) => p.result), notes: notes?.next ?? null, objectsWritten: flushed.written, format: flushed.format };
}

/** The same labels (both sides keep their keys sorted, as the metadata writes them). */
function sameLabels(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  return JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
}
