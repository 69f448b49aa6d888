/**
 * @module fleet/unjoin
 * `gitfed unjoin`: the cluster's inventory document leaves the repo; the rest of its file stays
 * byte for byte. As upstream, objects on the member are not deleted by unjoin: with the cluster
 * gone from the inventory, render stops producing its directory and the apply side stops
 * reconciling it. Explicit mentions of the cluster elsewhere are reported, not edited: a
 * placement that loses its only cluster is a decision for a person.
 */
import { readFile } from 'node:fs/promises';
import type { Document } from 'yaml';
import { writeFileAtomic, removeFile } from './atomic-write.js';
import { clusterDocuments } from './clusters.js';
import { editDocument, objectPath, removeDocument } from './documents.js';
import { FleetError } from './errors.js';
import { clusterReferences, type ClusterReference } from './references.js';
import { loadRepo, repoPath } from './repo.js';
import type { SourceObject } from '../render/types.js';

export interface UnjoinOptions {
  readonly repo: string;
  readonly name: string;
}

export interface UnjoinResult {
  readonly cluster: string;
  /** Each file touched: the document removed from it, or the whole file deleted. */
  readonly removed: readonly { file: string; line: number; action: 'document-removed' | 'file-deleted' }[];
  /** Objects and policies that still name the cluster. */
  readonly references: readonly ClusterReference[];
}

export async function unjoin(opts: UnjoinOptions): Promise<UnjoinResult> {
  const repo = await loadRepo(opts.repo);
  const docs = clusterDocuments(repo.objects, opts.name);
  if (docs.length === 0) throw new FleetError('ClusterNotFound', `cluster ${opts.name} is not in the fleet repo ${opts.repo} (no KubeFedCluster or Cluster of that name)`);
  const removed: { file: string; line: number }[] = [];
  // Bottom-up within a file, so the lines of the documents still to remove stay valid.
  const ordered = [...docs].sort((a, b) => a.pos.file.localeCompare(b.pos.file) || b.pos.line - a.pos.line);
  const texts = new Map<string, string | undefined>();
  for (const doc of ordered) {
    const file = doc.pos.file;
    const text = texts.has(file) ? texts.get(file) : await readFile(repoPath(repo, file), 'utf8');
    if (text === undefined) continue;
    texts.set(file, withoutCluster(text, doc));
    removed.push({ file, line: doc.pos.line });
  }
  for (const [file, text] of texts) {
    if (text === undefined) await removeFile(repoPath(repo, file));
    else await writeFileAtomic(repoPath(repo, file), text);
  }
  return {
    cluster: opts.name,
    removed: removed.map((r) => ({ ...r, action: texts.get(r.file) === undefined ? ('file-deleted' as const) : ('document-removed' as const) })).reverse(),
    references: clusterReferences(repo.objects, opts.name),
  };
}

/** The file's text without the cluster's document; an item of a `kind: List` is cut from the list. */
function withoutCluster(text: string, doc: SourceObject): string | undefined {
  const { kind, metadata } = doc.obj;
  let inList = false;
  const edited = editDocument(text, doc.pos.line, doc.pos.file, (d: Document) => {
    const path = objectPath(d, kind, metadata.name, metadata.namespace);
    if (!path || path.length === 0) return false;
    inList = true;
    d.deleteIn(path);
    return true;
  });
  return inList ? edited.text : removeDocument(text, doc.pos.line, doc.pos.file);
}
