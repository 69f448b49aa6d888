/**
 * Each cluster's copy of a source document, kept from one render of a fleet to the next on the
 * same thread (a diff's two sides, watch's renders), with everything it was made from. A change
 * of ten documents in a fleet of 500 clusters leaves tens of thousands of copies as they were:
 * the next render takes those instead of copying, overriding and checking them again.
 *
 * A copy is taken only when all it was made from is the same. Compared by identity: the source
 * document (the parse cache hands an unchanged file's objects back as they were), the documents
 * of the policies whose rules wrote to it, the schema it was checked against. Compared by value
 * (keys in order): the rest, such as the object before overrides, the operations, the replicas.
 * Only copies made without a finding are kept, so a copy taken has none to repeat.
 */
import { sameValue } from './same-value.js';
import type { KubeObject } from './types.js';

/** What a copy was made from: compared by identity (`same`) and by value (`equal`). */
export interface MadeFrom {
  readonly same: readonly unknown[];
  readonly equal: readonly unknown[];
}

export interface KeptCopy<Extra> {
  readonly obj: KubeObject;
  /** What `obj` shares its unchanged subtrees with (RenderedObject.base). */
  readonly base: KubeObject;
  /** What else the engine derived with the copy (the sentences of the rules that wrote to it). */
  readonly extra: Extra;
}

interface Entry {
  readonly from: MadeFrom;
  readonly copy: KeptCopy<unknown>;
}

interface DocumentEntry {
  readonly from: MadeFrom;
  readonly clusters: Map<string, Entry>;
}

function sameInputs(a: MadeFrom, b: MadeFrom): boolean {
  if (a.same.length !== b.same.length || a.equal.length !== b.equal.length) return false;
  for (let i = 0; i < a.same.length; i++) if (a.same[i] !== b.same[i]) return false;
  for (let i = 0; i < a.equal.length; i++) if (!sameValue(a.equal[i], b.equal[i])) return false;
  return true;
}

/** The copies of one document, for one render: found from the last render, kept for the next. */
export class DocumentCopies<Extra> {
  constructor(private readonly entry: DocumentEntry) {}

  /**
   * The document-wide inputs the copies were made from: the earlier render's where they equal
   * this one's. A value taken from here is the one the earlier render's objects share.
   */
  get from(): MadeFrom {
    return this.entry.from;
  }

  find(cluster: string, from: MadeFrom): KeptCopy<Extra> | undefined {
    const e = this.entry.clusters.get(cluster);
    return e && sameInputs(e.from, from) ? (e.copy as KeptCopy<Extra>) : undefined;
  }

  keep(cluster: string, from: MadeFrom, copy: KeptCopy<Extra>): void {
    this.entry.clusters.set(cluster, { from, copy });
  }
}

export class CopyMemo {
  // Keyed by the source document: a document no render reads any more goes with its copies.
  private readonly documents = new WeakMap<object, DocumentEntry>();

  /**
   * The copies of `document` made from the same document-wide inputs as now (none when those
   * changed). Copies kept through the handle are found by the next render.
   */
  document<Extra>(document: object, from: MadeFrom): DocumentCopies<Extra> {
    let d = this.documents.get(document);
    if (!d || !sameInputs(d.from, from)) this.documents.set(document, (d = { from, clusters: new Map() }));
    return new DocumentCopies<Extra>(d);
  }
}
