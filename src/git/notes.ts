/**
 * @module git/notes
 * Provenance notes under refs/notes/gitfed: on each output branch head, which source commit was
 * processed last. A render that changes nothing still writes one, so a tool waiting for "the
 * branch is up to date with X" can tell (`git notes --ref gitfed show <branch>`).
 *
 * The notes ref is an ordinary commit whose tree maps annotated object ids to note blobs, flat
 * (`<40 hex>`) or fanned out by git once there are many (`ab/<38 hex>`, `ab/cd/<36 hex>`); both
 * are read, and a new note goes wherever git already fanned out that prefix.
 */
import { publicUrl } from './public-url.js';
import { MODE_FILE, MODE_TREE, serializeTree, type TreeEntry } from './object-format.js';
import type { ObjectBatch, ObjectStore } from './object-store.js';
import { readTree } from './tree-read.js';

export const NOTES_REF = 'refs/notes/gitfed';
export const SOURCE_TRAILER = 'Gitfed-Source-Commit';
export const REPO_TRAILER = 'Gitfed-Source-Repo';
/** The state commit (observed members) a render read, when it read one (`render --state`). */
export const STATE_TRAILER = 'Gitfed-State-Commit';

/**
 * The note gitfed attaches to a branch head: trailer lines, so `git interpret-trailers --parse`
 * reads it. The repo is recorded through publicUrl, as in the metadata file.
 */
export function noteContent(source: { repo: string; commit: string; state?: string }): string {
  return `${SOURCE_TRAILER}: ${source.commit}\n${REPO_TRAILER}: ${publicUrl(source.repo)}\n${source.state ? `${STATE_TRAILER}: ${source.state}\n` : ''}`;
}

/** The source commit a note names, or null when it is not a gitfed note. */
export function sourceOfNote(text: string): string | null {
  const m = new RegExp(`^${SOURCE_TRAILER}: ([0-9a-f]{40})\\s*$`, 'm').exec(text);
  return m?.[1] ?? null;
}

/** The note on `target` in notes tree `tree`, or null. */
export async function readNote(store: ObjectStore, tree: string | null, target: string): Promise<string | null> {
  let offset = 0;
  while (tree) {
    const entries = await readTree(store, tree, `${NOTES_REF} tree`);
    const leaf = entries.find((e) => e.name === target.slice(offset) && e.mode !== MODE_TREE);
    if (leaf) return (await store.readTyped(leaf.oid, 'blob', `note on ${target}`)).toString('utf8');
    tree = entries.find((e) => e.name === target.slice(offset, offset + 2) && e.mode === MODE_TREE)?.oid ?? null;
    offset += 2;
  }
  return null;
}

/** Returns the notes tree with `content` as the note on `target`, the changed trees added to `batch`. */
export async function setNote(store: ObjectStore, batch: ObjectBatch, tree: string | null, target: string, content: string, offset = 0): Promise<string> {
  const entries: TreeEntry[] = tree ? await readTree(store, tree, `${NOTES_REF} tree`) : [];
  const rest = target.slice(offset);
  const fan = entries.find((e) => e.name === target.slice(offset, offset + 2) && e.mode === MODE_TREE);
  let next: TreeEntry[];
  if (fan && !entries.some((e) => e.name === rest)) {
    const sub = await setNote(store, batch, fan.oid, target, content, offset + 2);
    next = entries.map((e) => (e === fan ? { ...e, oid: sub } : e));
  } else {
    const blob = batch.add('blob', Buffer.from(content, 'utf8'));
    next = [...entries.filter((e) => e.name !== rest), { name: rest, mode: MODE_FILE, oid: blob }];
  }
  return batch.add('tree', serializeTree(next));
}
