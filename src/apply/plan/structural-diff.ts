/**
 * @module structural-diff
 * Path-level differences between two versions of one object, with the fields the API server
 * owns (resourceVersion, managedFields, status, ...) taken out first. It is what a person
 * reads in `gitfed diff --live` and in a drift report.
 */
import type { KubeObject } from '../../object.js';
import { formatPointer } from '../../json-pointer.js';

export interface FieldChange {
  /** JSON pointer of the changed field. */
  readonly path: string;
  readonly op: 'add' | 'remove' | 'replace';
  readonly from?: unknown;
  readonly to?: unknown;
}

const SERVER_METADATA = ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'selfLink'];

/** The object as a person compares it: no status, no server-owned metadata. */
export function comparable(obj: KubeObject): KubeObject {
  const copy = structuredClone(obj);
  delete copy.status;
  for (const k of SERVER_METADATA) delete copy.metadata[k];
  if (copy.metadata.annotations && Object.keys(copy.metadata.annotations).length === 0) delete copy.metadata.annotations;
  if (copy.metadata.labels && Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  return copy;
}

export function diffValues(before: unknown, after: unknown, path: (string | number)[] = [], out: FieldChange[] = []): FieldChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const k of keys) {
      const inB = Object.prototype.hasOwnProperty.call(before, k);
      const inA = Object.prototype.hasOwnProperty.call(after, k);
      if (inB && !inA) out.push({ path: formatPointer([...path, k]), op: 'remove', from: before[k] });
      else if (!inB && inA) out.push({ path: formatPointer([...path, k]), op: 'add', to: after[k] });
      else diffValues(before[k], after[k], [...path, k], out);
    }
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((b, i) => diffValues(b, after[i], [...path, i], out));
    return out;
  }
  if (!deepEqual(before, after)) out.push({ path: formatPointer(path), op: 'replace', from: before, to: after });
  return out;
}

/** Differences between a live object and what it would become, server-owned fields left out. */
export function diffObjects(live: KubeObject, next: KubeObject): FieldChange[] {
  return diffValues(comparable(live), comparable(next));
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}
