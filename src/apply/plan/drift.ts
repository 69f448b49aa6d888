/**
 * @module drift
 * A request-free check that a live object still holds what gitfed applied: every field of the
 * payload must be found in the live object with the same value. Fields others added (server
 * defaults, another manager's labels) are not drift; fields others changed or removed are.
 * The check is deliberately cheap and a little eager: where it sees a difference the caller
 * confirms with a server-side dry-run, so a false alarm costs one request and never a write.
 */
import type { KubeObject } from '../../object.js';
import { formatPointer } from '../../json-pointer.js';
import { withoutIgnored } from './ignore.js';
import { sameQuantity } from './quantity.js';
import { deepEqual, isPlainObject } from './structural-diff.js';

/** List fields by which the API server merges list elements, tried in this order. */
const MERGE_KEYS = ['name', 'containerPort', 'port', 'mountPath', 'devicePath', 'ip', 'type', 'uid', 'key'];

/** JSON pointers of the payload's fields that the live object no longer holds; empty when in sync. */
export function driftedPaths(payload: KubeObject, live: KubeObject, ignorePointers: readonly string[] = []): string[] {
  const want = withoutIgnored(normalize(payload), ignorePointers);
  const have = withoutIgnored(normalize(live), ignorePointers);
  const out: string[] = [];
  subset(want, have, [], out);
  return out;
}

/** Only what an applier can own: no status, metadata reduced to labels and annotations. */
function normalize(obj: KubeObject): Record<string, unknown> {
  const { status: _status, metadata, ...rest } = obj;
  const out: Record<string, unknown> = { ...rest, metadata: { labels: metadata.labels ?? {}, annotations: metadata.annotations ?? {} } };
  if (obj.kind === 'Secret' && obj.apiVersion === 'v1' && isPlainObject(obj.stringData)) {
    // The API server folds stringData into data; compare in the form it stores.
    const data: Record<string, unknown> = { ...(isPlainObject(obj.data) ? obj.data : {}) };
    for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(String(v)).toString('base64');
    out.data = data;
    delete out.stringData;
  }
  return out;
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);
}

function subset(want: unknown, have: unknown, path: (string | number)[], out: string[]): void {
  if (isPlainObject(want)) {
    if (!isPlainObject(have)) {
      if (!(isEmpty(want) && have === undefined)) out.push(formatPointer(path));
      return;
    }
    for (const [k, v] of Object.entries(want)) {
      // An explicit null or an empty list or map applies as "absent"; the server stores nothing.
      if (!(k in have) && isEmpty(v)) continue;
      subset(v, have[k], [...path, k], out);
    }
    return;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(have)) {
      if (!(want.length === 0 && have === undefined)) out.push(formatPointer(path));
      return;
    }
    subsetList(want, have, path, out);
    return;
  }
  if (want === have || (want === null && have === undefined)) return;
  if (typeof want !== 'boolean' && sameQuantity(want, have)) return;
  out.push(formatPointer(path));
}

function subsetList(want: unknown[], have: unknown[], path: (string | number)[], out: string[]): void {
  const key = mergeKeyOf(want);
  if (key === undefined) {
    // Atomic or unkeyed list: the server replaces it whole, so it must match element by element.
    if (want.length !== have.length) {
      out.push(formatPointer(path));
      return;
    }
    want.forEach((w, i) => (isPlainObject(w) ? subset(w, have[i], [...path, i], out) : !deepEqual(w, have[i]) && subset(w, have[i], [...path, i], out)));
    return;
  }
  // Keyed list: elements merge by key and others may add their own; ours must be there.
  want.forEach((w, i) => {
    const k = (w as Record<string, unknown>)[key];
    const match = have.find((h) => isPlainObject(h) && deepEqual(h[key], k));
    if (match === undefined) out.push(formatPointer([...path, i]));
    else subset(w, match, [...path, i], out);
  });
}

function mergeKeyOf(list: unknown[]): string | undefined {
  if (list.length === 0 || !list.every(isPlainObject)) return undefined;
  const items = list as Record<string, unknown>[];
  return MERGE_KEYS.find((k) => {
    const values = items.map((it) => it[k]);
    if (values.some((v) => v === undefined || isPlainObject(v))) return false;
    return new Set(values.map((v) => JSON.stringify(v))).size === values.length;
  });
}
