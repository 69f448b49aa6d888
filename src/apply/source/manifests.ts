/**
 * @module manifests
 * Turns one cluster directory's files into the objects to apply. A file that does not parse,
 * or holds something that is not an object, fails alone and is named in the report; the other
 * files of the directory go on.
 */
import { refKey, refOf, type KubeObject, type ObjectRef } from '../../object.js';
import { isSopsDocument } from '../../secrets/sops-format.js';
import { readDocuments } from '../../yaml/documents.js';

export interface DesiredObject {
  readonly ref: ObjectRef;
  readonly obj: KubeObject;
  /** Branch-root-relative path of the file it came from. */
  readonly file: string;
  /** A SOPS-encrypted document's file text, which its MAC covers; source/open-secrets.ts decrypts it. */
  readonly sealed?: string;
  /** Set on a decrypted object: the applied-digest is keyed with it (plan/digest.ts). */
  readonly digestKey?: Uint8Array;
}

export interface FileFailure {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

export interface ParsedCluster {
  readonly objects: DesiredObject[];
  readonly failures: FileFailure[];
}

function invalid(doc: unknown): string | undefined {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return 'not a Kubernetes object';
  const o = doc as Record<string, unknown>;
  if (typeof o.apiVersion !== 'string' || o.apiVersion === '') return 'apiVersion is missing';
  if (typeof o.kind !== 'string' || o.kind === '') return 'kind is missing';
  const md = o.metadata as Record<string, unknown> | undefined;
  if (!md || typeof md !== 'object' || typeof md.name !== 'string' || md.name === '') return 'metadata.name is missing';
  if (md.namespace !== undefined && typeof md.namespace !== 'string') return 'metadata.namespace is not a string';
  return undefined;
}

/** Parsed documents by file content, kept by a long-lived caller so an unchanged file is not parsed again. */
export type ParseCache = Map<string, unknown[]>;

/** Reading the branch with render's reader: a file means to the member what it meant to kubectl. */
class Unreadable extends Error {
  constructor(readonly line: number | undefined, message: string) {
    super(message);
  }
}

function load(file: string, text: string, cache?: ParseCache): unknown[] {
  const hit = cache?.get(text);
  if (hit) return hit;
  let docs: unknown[];
  if (file.endsWith('.json')) docs = [JSON.parse(text)];
  else {
    const r = readDocuments(file, text);
    const first = r.errors[0];
    if (first) throw new Unreadable(first.line, `${first.message} [${first.code}]`);
    docs = r.docs.map((d) => d.value);
  }
  cache?.set(text, docs);
  return docs;
}

/** Desired objects are shared with the cache: nothing downstream may change them in place. */
export function parseClusterFiles(files: ReadonlyMap<string, string>, cache?: ParseCache, unreadable?: ReadonlyMap<string, string>): ParsedCluster {
  const objects: DesiredObject[] = [];
  const failures: FileFailure[] = [...(unreadable ?? [])].map(([file, message]) => ({ file, message }));
  const seen = new Map<string, string>();
  for (const [file, text] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    let docs: unknown[];
    try {
      docs = load(file, text, cache);
    } catch (err) {
      const line = err instanceof Unreadable ? err.line : undefined;
      failures.push({ file, line, message: `cannot parse: ${(err as Error).message.split('\n')[0]}` });
      continue;
    }
    for (const doc of docs) {
      const problem = invalid(doc);
      if (problem) {
        failures.push({ file, message: problem });
        continue;
      }
      const obj = doc as KubeObject;
      const ref = refOf(obj);
      const key = refKey(ref);
      const first = seen.get(key);
      if (first) {
        failures.push({ file, message: `${key} is also defined in ${first}` });
        continue;
      }
      seen.set(key, file);
      objects.push(isSopsDocument(obj) ? { ref, obj, file, sealed: text } : { ref, obj, file });
    }
  }
  return { objects, failures };
}
