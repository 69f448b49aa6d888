/**
 * @module git/branch-state
 * What an output branch holds: its head, its metadata file and the source commit it was last
 * brought up to date with (the note on its head, else the metadata's source). This is how a tool
 * waiting for "the branch is up to date with X" asks.
 */
import { METADATA_FILE, parseMetadata, type BranchMetadata } from './metadata.js';
import { NOTES_REF, readNote, sourceOfNote, STATE_TRAILER } from './notes.js';
import type { CommitObject } from './object-format.js';
import { ObjectStore } from './object-store.js';
import { readRef } from './refs.js';
import { openRepo } from './repo.js';
import { readCommitObject } from './source.js';
import { readTree } from './tree-read.js';

export interface BranchHead {
  readonly head: string;
  readonly commit: CommitObject;
  /** null when the branch has no metadata file gitfed can read. */
  readonly meta: BranchMetadata | null;
  /** Source commit the branch was last rendered from or checked against; null if unknown. */
  readonly source: string | null;
  /** State commit read with that source (the note's, else the metadata's); null for a stateless render. */
  readonly state: string | null;
}

/** refs/notes/gitfed at one moment: its head and tree. */
export interface NotesHead {
  readonly head: string | null;
  readonly tree: string | null;
}

export async function readNotesHead(store: ObjectStore): Promise<NotesHead> {
  const head = readRef(store.repo, NOTES_REF);
  return { head, tree: head ? (await readCommitObject(store, head, NOTES_REF)).tree : null };
}

/** The state of `ref` whose head is `head` (null: no such branch). */
export async function readBranchHead(store: ObjectStore, ref: string, head: string | null, notes: NotesHead): Promise<BranchHead | null> {
  if (!head) return null;
  const commit = await readCommitObject(store, head, ref);
  const entry = (await readTree(store, commit.tree, `${ref}^{tree}`)).find((e) => e.name === METADATA_FILE);
  // A metadata file this gitfed cannot read is not reused from: the render writes a new one.
  const meta = entry ? readableMetadata((await store.readTyped(entry.oid, 'blob', `${ref}:${METADATA_FILE}`)).toString('utf8')) : null;
  const note = await readNote(store, notes.tree, head);
  const noted = note ? sourceOfNote(note) : null;
  const state = noted ? (new RegExp(`^${STATE_TRAILER}: ([0-9a-f]{40})\\s*$`, 'm').exec(note!)?.[1] ?? null) : (meta?.source.state ?? null);
  return { head, commit, meta, source: noted ?? meta?.source.commit ?? null, state };
}

export interface BranchState {
  readonly branch: string;
  readonly head: string | null;
  readonly metadata: BranchMetadata | null;
  /** Source commit the branch is up to date with (note on the head, else the metadata file). */
  readonly source: string | null;
  /** State commit it is up to date with, read the same way; null for a stateless render. */
  readonly state: string | null;
}

/** Reads one output branch; head null when it does not exist yet. */
export async function readBranchState(opts: { readonly dir: string; readonly branch: string }): Promise<BranchState> {
  const store = new ObjectStore(openRepo(opts.dir));
  const ref = `refs/heads/${opts.branch}`;
  const b = await readBranchHead(store, ref, readRef(store.repo, ref), await readNotesHead(store));
  return { branch: opts.branch, head: b?.head ?? null, metadata: b?.meta ?? null, source: b?.source ?? null, state: b?.state ?? null };
}

function readableMetadata(text: string): BranchMetadata | null {
  try {
    return parseMetadata(text);
  } catch {
    return null;
  }
}
