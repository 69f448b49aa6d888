/**
 * @module karmada/overrides/json-patch
 * RFC 6902 application for the overriders (upstream uses evanphx/json-patch): `replace` and
 * `remove` need an existing path, `add` needs an existing parent. Values are copied in, so a later
 * overrider never writes through to the policy it came from.
 */
import jsonpatch from 'fast-json-patch';
import { cloneJson as cloneData } from '../../clone.js';
import { parsePointer } from '../../../json-pointer.js';

/** An overrider that cannot be applied; aborts the template on that one cluster. */
export class OverrideError extends Error {}

export interface PatchOp {
  readonly op: string;
  readonly path: string;
  readonly value?: unknown;
}

const reasons: Record<string, string> = {
  OPERATION_PATH_UNRESOLVABLE: 'the path does not exist',
  OPERATION_PATH_CANNOT_ADD: 'the parent of the path does not exist',
  OPERATION_VALUE_OUT_OF_BOUNDS: 'the array index is past the end of the array',
  OPERATION_VALUE_REQUIRED: 'the operation needs a value',
  OPERATION_PATH_INVALID: 'the path is not a JSON pointer',
  OPERATION_OP_INVALID: 'unknown operation',
};

/**
 * The mappings and lists of a member object that are its own. The rest it shares with its
 * template (and with the other clusters' copies), so a write below the object's spine copies the
 * path down to what it changes first, and every untouched subtree stays shared: one copy of a
 * large template per cluster would be most of a render's allocations.
 */
export interface Owned {
  /** The containers that are the object's own copies. */
  readonly nodes: Set<object>;
  /** The JSON pointers written, for the schema check of what changed (validate.ts writtenPaths). */
  readonly written: string[];
}

/** Copies each shared container on the way to the parent of `path` into `doc`; stops where the path does not exist (the patch then reports it). */
export function ownPath(doc: object, path: string, owned: Owned): void {
  const segs = parsePointer(path);
  let cur = doc as Record<string, unknown> | unknown[];
  for (let i = 0; i < segs.length - 1; i++) {
    const seg = segs[i]!;
    let key: string | number = seg;
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(seg) || Number(seg) >= cur.length) return;
      key = Number(seg);
    } else if (!Object.prototype.hasOwnProperty.call(cur, seg)) return;
    let child = (cur as Record<string | number, unknown>)[key];
    if (child === null || typeof child !== 'object') return;
    if (!owned.nodes.has(child)) {
      // Spread copies a "__proto__" key as data, as YAML meant it.
      child = Array.isArray(child) ? child.slice() : { ...(child as object) };
      (cur as Record<string | number, unknown>)[key] = child;
      owned.nodes.add(child as object);
    }
    cur = child as Record<string, unknown> | unknown[];
  }
}

/**
 * Applies `ops` in order to `doc`, in place. Throws OverrideError naming the failing operation.
 * With `owned`, `doc` may share subtrees with other objects: only what it owns is written.
 */
export function applyPatchOps(doc: object, ops: readonly PatchOp[], owned?: Owned): void {
  for (const o of ops) {
    if (owned && o.path.startsWith('/')) ownPath(doc, o.path, owned);
    owned?.written.push(o.path);
    const op = { op: o.op, path: o.path, value: o.value === undefined ? undefined : cloneData(o.value) } as jsonpatch.Operation;
    if (o.value === undefined) delete (op as { value?: unknown }).value;
    try {
      jsonpatch.applyOperation(doc, op, true, true, true);
    } catch (err) {
      if (err instanceof jsonpatch.JsonPatchError) {
        throw new OverrideError(`${o.op} ${o.path}: ${reasons[err.name] ?? err.message.split('\n')[0]}`, { cause: err });
      }
      throw err;
    }
  }
}

/** The value at an RFC 6901 pointer, or undefined when any step is missing. */
export function valueAt(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  let cur: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) cur = /^\d+$/.test(key) ? cur[Number(key)] : undefined;
    else if (cur !== null && typeof cur === 'object') cur = Object.prototype.hasOwnProperty.call(cur, key) ? (cur as Record<string, unknown>)[key] : undefined;
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}
