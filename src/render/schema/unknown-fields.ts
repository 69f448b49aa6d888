/**
 * Fields a schema does not declare, as an API server's strict field validation finds them
 * (`kubectl --validate=strict`): every mapping key below a schema that lists properties and
 * allows nothing else. Values of the wrong type are not looked into here; the readers of each
 * kind report those.
 */
import type { FieldPath, Schema } from './types.js';

export interface UnknownField {
  /** Path of the unknown key itself. */
  readonly path: FieldPath;
  /** The names the schema declares beside it, for a suggestion. */
  readonly known: readonly string[];
}

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Where a walk may be told what it passes: every declared field present in the document. The path
 * is the walk's own, valid during the call: a visitor that keeps it copies it.
 */
export type Visit = (path: FieldPath, value: unknown) => void;

export interface WalkOptions {
  /** Resolves `$ref`; a reference it cannot resolve is not looked into. */
  readonly resolve?: (ref: string) => Schema | undefined;
  /** Schemas for paths whose own schema says too little (an API server's fixed ObjectMeta under a CRD's bare `metadata`). */
  readonly override?: (path: FieldPath) => Schema | undefined;
  readonly visit?: Visit;
}

/** The schema a `$ref` or a single `allOf` (how /openapi/v3 wraps a reference) stands for. */
export function deref(s: Schema, resolve: WalkOptions['resolve']): Schema | undefined {
  let cur: Schema | undefined = s;
  for (let hops = 0; cur && hops < 16; hops++) {
    if (cur.$ref !== undefined) cur = resolve?.(cur.$ref);
    else if (cur.allOf?.length === 1 && !cur.properties && !cur.items) cur = cur.allOf[0];
    else return cur;
  }
  return undefined;
}

export function unknownFields(value: unknown, schema: Schema, opts: WalkOptions = {}, at: FieldPath = []): UnknownField[] {
  const out: UnknownField[] = [];
  // One path, pushed and popped: render walks every federated document, overrides and all.
  const path: (string | number)[] = [...at];
  const walk = (v: unknown, raw: Schema): void => {
    const s = opts.override?.(path) ?? deref(raw, opts.resolve);
    if (!s) return;
    if (Array.isArray(v)) {
      if (!s.items) return;
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i], s.items);
        path.pop();
      }
      return;
    }
    if (!isMapping(v)) return;
    const props = s.properties ?? {};
    const open = s['x-kubernetes-preserve-unknown-fields'] === true || s.additionalProperties === true;
    const extra = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
    // An object schema that names no field says nothing of its fields (a RawExtension, a bare `status`).
    if (!s.properties && !extra) return;
    for (const k in v) {
      if (!Object.hasOwn(v, k)) continue;
      const x = v[k];
      const declared = Object.hasOwn(props, k) ? props[k] : extra;
      if (declared) {
        path.push(k);
        opts.visit?.(path, x);
        walk(x, declared);
        path.pop();
      } else if (!open) out.push({ path: [...path, k], known: Object.keys(props) });
    }
  };
  walk(value, schema);
  return out;
}
