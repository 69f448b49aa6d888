/**
 * @module managers
 * Who set a field: the field managers whose managedFields (fieldsV1) own a JSON pointer of a live
 * object, gitfed's own left out. A drift report then names the manager that changed the field.
 * Lists are matched as the API server keys them: `k:{...}` by the element's key fields, `v:` by
 * value, `i:` by index.
 */
import type { KubeObject } from '../../object.js';
import { FIELD_MANAGER } from '../member/ownership.js';
import { parsePointer } from '../../json-pointer.js';
import { deepEqual, isPlainObject } from './structural-diff.js';

type FieldSet = Record<string, unknown>;

/** The fieldsV1 child that stands for `token` of `node` (the live value at that level). */
function childKey(fields: FieldSet, node: unknown, token: string): string | undefined {
  if (Array.isArray(node)) {
    const i = Number(token);
    const element = node[i];
    for (const k of Object.keys(fields)) {
      if (k === `i:${i}`) return k;
      if (k.startsWith('v:')) {
        try {
          if (deepEqual(JSON.parse(k.slice(2)), element)) return k;
        } catch {
          // not JSON
        }
      }
      if (k.startsWith('k:') && isPlainObject(element)) {
        try {
          const key = JSON.parse(k.slice(2)) as Record<string, unknown>;
          if (Object.entries(key).every(([f, v]) => deepEqual(element[f], v))) return k;
        } catch {
          // not JSON
        }
      }
    }
    return undefined;
  }
  return Object.prototype.hasOwnProperty.call(fields, `f:${token}`) ? `f:${token}` : undefined;
}

/** True when the field set owns the path, or a field above it that is owned whole. */
function owns(fields: FieldSet, live: unknown, path: readonly string[]): boolean {
  let set: FieldSet = fields;
  let node: unknown = live;
  for (const token of path) {
    const key = childKey(set, node, token);
    if (!key) return false;
    const next = set[key];
    if (!isPlainObject(next) || Object.keys(next).filter((k) => k !== '.').length === 0) return true;
    set = next;
    node = Array.isArray(node) ? node[Number(token)] : isPlainObject(node) ? node[token] : undefined;
  }
  return true;
}

/** Managers other than gitfed that own any of the pointers, sorted. */
export function managersOf(live: KubeObject, pointers: readonly string[]): string[] {
  const entries = (live.metadata.managedFields ?? []) as { manager?: string; fieldsV1?: FieldSet }[];
  const out = new Set<string>();
  for (const e of entries) {
    if (!e.manager || e.manager === FIELD_MANAGER || !e.fieldsV1) continue;
    if (pointers.some((p) => owns(e.fieldsV1!, live, parsePointer(p)))) out.add(e.manager);
  }
  return [...out].sort();
}
