/**
 * A document checked against an OpenAPI v3 schema as an API server checks what `kubectl apply
 * --validate=strict` sends: fields the schema does not declare, values of the wrong type, missing
 * required fields, values outside an enum, and for built-in kinds what Go's strict decoding
 * refuses (an int32 out of range, a Secret's data that is not base64, a quantity that does not
 * parse). For a CRD's schema also its value bounds (pattern, minimum, lengths). CEL rules
 * (x-kubernetes-validations) and formats beyond those are not checked. Null counts as absent, as
 * the API server drops it.
 */
import { parsePointer } from '../../json-pointer.js';
import { remember } from '../../memo.js';
import type { FieldPath, Schema } from './types.js';

export type ProblemCode = 'UnknownField' | 'Schema';

export interface SchemaProblem {
  readonly code: ProblemCode;
  readonly path: FieldPath;
  readonly message: string;
  /** For an unknown field: the names declared beside it. */
  readonly known?: readonly string[];
}

/** The value bounds a CRD's structural schema may carry (a built-in's /openapi/v3 carries none). */
interface Bounds {
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
}

export interface ValidateOptions {
  /** Resolves a `$ref` (`#/components/schemas/<name>`); what it cannot resolve is not looked into. */
  readonly resolve?: (ref: string) => Schema | undefined;
  /** Schemas for paths whose own schema says too little (ObjectMeta under a CRD's bare `metadata`). */
  readonly override?: (path: FieldPath) => Schema | undefined;
  /** Told every declared field present in the document; `path` is valid during the call only (copy it to keep it). */
  readonly visit?: (path: FieldPath, value: unknown) => void;
  /** Only unknown fields (the KubeFed and Karmada readers type their own fields). */
  readonly unknownOnly?: boolean;
  /** A built-in kind: Go's strict decoding applies (int32 range, base64, quantities). */
  readonly builtin?: boolean;
  /**
   * The value this one was made from (a template, before overrides wrote to its copy), checked
   * already: a value that is the very one at the same place there (the same scalar, or the same
   * mapping or list) is not looked into again, since what a value must be depends only on where
   * it stands. Copies share every subtree an override did not touch, so this skips all but the
   * path an override wrote.
   */
  readonly before?: unknown;
  /**
   * With `before`: where the copy was written (writtenPaths). A mapping on the way to a write is
   * checked itself, but of its fields only those on the way are looked into; every other field is
   * the template's own, checked with it. Saves visiting the untouched fields beside each write,
   * for every copy of every object.
   */
  readonly written?: WrittenPaths;
}

const NO_FIELDS: Readonly<Record<string, Schema>> = Object.freeze({});
const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Fields written, as a tree of their names; `true` where a whole value was written. */
export type WrittenPaths = Map<string, WrittenPaths | true>;

// Every cluster's copy of an object is usually written at the same pointers (an image, a replica
// count, a label per cluster), so their tree is built once per list of pointers, found by
// following the pointers one by one: a key joining them was a new string per copy to hash.
// The trees are never changed after they are built.
interface WrittenNode {
  next?: Map<string, WrittenNode>;
  tree?: WrittenPaths | true;
}
let writtenRoot: WrittenNode = {};
let writtenTrees = 0;

/** The tree of the JSON pointers (RFC 6901) an override wrote to. */
export function writtenPaths(pointers: readonly string[]): WrittenPaths | true {
  if (writtenTrees >= 10_000) (writtenRoot = {}), (writtenTrees = 0);
  let node = writtenRoot;
  for (const p of pointers) {
    let next = node.next?.get(p);
    if (!next) (node.next ??= new Map()).set(p, (next = {}));
    node = next;
  }
  if (node.tree === undefined) (node.tree = buildWritten(pointers)), writtenTrees++;
  return node.tree;
}

function buildWritten(pointers: readonly string[]): WrittenPaths | true {
  const root: WrittenPaths = new Map();
  for (const pointer of pointers) {
    // A pointer to the root, or one that is no pointer at all: everything is looked at.
    if (pointer === '' || pointer === '/' || !pointer.startsWith('/')) return true;
    const segs = parsePointer(pointer);
    let node = root;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i]!;
      const next = node.get(seg);
      if (next === true) break;
      if (i === segs.length - 1) node.set(seg, true);
      else if (next) node = next;
      else {
        const fresh: WrittenPaths = new Map();
        node.set(seg, fresh);
        node = fresh;
      }
    }
  }
  return root;
}
const QUANTITY_REF = '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity';
// apimachinery's resource.ParseQuantity: a signed decimal, then a binary or decimal SI suffix or an exponent.
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;
const BASE64 = /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const INT32 = 2 ** 31;

/** The schema a `$ref` or a lone `allOf` (how /openapi/v3 wraps a reference) stands for. */
export function deref(s: Schema, resolve: ValidateOptions['resolve']): Schema | undefined {
  let cur: Schema | undefined = s;
  for (let hops = 0; cur && hops < 16; hops++) {
    if (cur.$ref !== undefined) cur = resolve?.(cur.$ref);
    else if (cur.allOf?.length === 1 && !cur.properties && !cur.items && !cur.type) cur = cur.allOf[0];
    else return cur;
  }
  return undefined;
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (isMapping(v)) return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v} ${String(v)}`;
}

/** Does `v` have OpenAPI type `t`? */
function hasType(v: unknown, t: string): boolean {
  switch (t) {
    case 'object':
      return isMapping(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    default:
      return true;
  }
}

const formatPath = (path: FieldPath) => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

export function validate(value: unknown, schema: Schema, opts: ValidateOptions = {}, at: FieldPath = []): SchemaProblem[] {
  const run = new Validation(opts, at);
  run.walk(value, schema, opts.before, opts.written && opts.before !== undefined ? opts.written : true, undefined);
  return run.out;
}

/**
 * One walk of a value against a schema. A class rather than closures: a render checks every
 * cluster's copy of every object (mostly a few written fields each), so what one call sets up
 * counts, and six closures per call were most of what the check allocated.
 */
class Validation {
  readonly out: SchemaProblem[] = [];
  // One path, grown and shrunk as the walk goes: the walk visits every field of every document
  // render reads, and a new array per field was a good part of its cost. Copied where kept.
  private readonly path: (string | number)[];

  constructor(private readonly opts: ValidateOptions, at: FieldPath) {
    this.path = [...at];
  }

  private fail(path: FieldPath, message: string): void {
    this.out.push({ code: 'Schema', path: [...path], message: `field ${formatPath(path)}: ${message}` });
  }

  walk(v: unknown, raw: Schema, b: unknown, only: WrittenPaths | true, ref: string | undefined): void {
    if (v === b && v !== undefined) return;
    const opts = this.opts;
    const path = this.path;
    const s = opts.override?.(path) ?? deref(raw, opts.resolve);
    if (!s || v === null || v === undefined) return;
    const via = raw.$ref ?? (raw.allOf?.length === 1 ? raw.allOf[0]!.$ref : undefined) ?? ref;
    if (!opts.unknownOnly && !this.typeOk(v, s, via)) return;
    if (Array.isArray(v)) {
      if (s.items) {
        const bs = Array.isArray(b) ? b : undefined;
        // An insertion moves the items after it: every item is looked at, each skipped where it is the template's.
        for (let i = 0; i < v.length; i++) {
          path.push(i);
          this.walk(v[i], s.items, bs?.[i], only === true ? true : (only.get(String(i)) ?? true), undefined);
          path.pop();
        }
      }
      return;
    }
    if (!isMapping(v)) return;
    const props = s.properties ?? NO_FIELDS;
    const extra = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
    if (!opts.unknownOnly) for (const r of s.required ?? []) if (v[r] === undefined || v[r] === null) this.fail([...path, r], 'required value is missing');
    // An object schema that names no field says nothing of its fields (a RawExtension, a bare `status`).
    if (!s.properties && !extra) return;
    const open = s['x-kubernetes-preserve-unknown-fields'] === true || s.additionalProperties === true;
    const bm = isMapping(b) ? b : undefined;
    if (only === true || bm === undefined) {
      for (const k in v) if (Object.hasOwn(v, k)) this.field(v, k, props, extra, open, bm, true);
    } else {
      // Only the fields on the way to a write, found from the writes rather than from the object's
      // every key. Problems come out as a full walk lists them, in the object's own order: when
      // more than one field is on the way and any has a problem, those fields are walked again in it.
      const mark = this.out.length;
      for (const [k, below] of only) if (Object.hasOwn(v, k)) this.field(v, k, props, extra, open, bm, below);
      if (this.out.length > mark && only.size > 1) {
        this.out.length = mark;
        for (const k in v) {
          const below = only.get(k);
          if (below !== undefined && Object.hasOwn(v, k)) this.field(v, k, props, extra, open, bm, below);
        }
      }
    }
  }

  private field(v: Record<string, unknown>, k: string, props: Readonly<Record<string, Schema>>, extra: Schema | undefined, open: boolean, bm: Record<string, unknown> | undefined, below: WrittenPaths | true): void {
    const x = v[k];
    const declared = Object.hasOwn(props, k) ? props[k] : extra;
    const path = this.path;
    path.push(k);
    if (declared) {
      this.opts.visit?.(path, x);
      this.walk(x, declared, bm !== undefined && Object.hasOwn(bm, k) ? bm[k] : undefined, below, undefined);
    } else if (!open) this.out.push({ code: 'UnknownField', path: [...path], known: Object.keys(props), message: `unknown field "${formatPath(path)}"` });
    path.pop();
  }

  /** Type, enum, bounds and formats of one value; false when its insides are not worth a look. */
  private typeOk(v: unknown, s: Schema & Bounds, ref: string | undefined): boolean {
    const path = this.path;
    const intOrString = s['x-kubernetes-int-or-string'] === true || s.format === 'int-or-string';
    if (ref === QUANTITY_REF) {
      if (typeof v === 'number') return true;
      if (typeof v !== 'string') return this.fail(path, `must be a quantity (a string such as 500m or 1Gi, or a number), not ${typeName(v)}`), false;
      if (!QUANTITY.test(v)) return this.fail(path, `${JSON.stringify(v)} is not a quantity: a number with an optional suffix (m, k, M, G, Ki, Mi, Gi ...), such as 500m or 1Gi`), false;
      return true;
    }
    if (intOrString) {
      if (!(typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)))) return this.fail(path, `must be an integer or a string, not ${typeName(v)}`), false;
      return true;
    }
    const alternatives = (s as { oneOf?: Schema[]; anyOf?: Schema[] }).oneOf ?? (s as { anyOf?: Schema[] }).anyOf;
    if (!s.type && alternatives?.every((a) => a.type)) {
      if (!alternatives.some((a) => hasType(v, a.type!))) return this.fail(path, `must be ${alternatives.map((a) => `a ${a.type}`).join(' or ')}, not ${typeName(v)}`), false;
      return true;
    }
    if (s.type && !hasType(v, s.type)) {
      const want = s.type === 'object' ? 'a mapping' : s.type === 'array' ? 'a list' : s.type === 'integer' ? 'an integer' : `a ${s.type}`;
      this.fail(path, `must be ${want}, not ${typeName(v)}`);
      return false;
    }
    if (s.enum && !s.enum.some((e) => e === v)) this.fail(path, `${JSON.stringify(v)} is not one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`);
    if (this.opts.builtin) {
      if (s.type === 'integer' && s.format === 'int32' && ((v as number) >= INT32 || (v as number) < -INT32)) this.fail(path, `${String(v)} is out of range for an int32`);
      // Go's decoder skips line breaks inside base64.
      if (s.type === 'string' && s.format === 'byte' && !BASE64.test((v as string).replace(/[\r\n]/g, ''))) this.fail(path, 'must be base64 (a Secret\'s data is encoded; write plain text under stringData instead)');
    }
    this.bounds(v, s);
    return true;
  }

  private bounds(v: unknown, s: Bounds): void {
    const path = this.path;
    if (typeof v === 'string') {
      if (s.pattern !== undefined && !safeTest(s.pattern, v)) this.fail(path, `${JSON.stringify(v)} does not match the pattern ${s.pattern}`);
      if (s.minLength !== undefined && [...v].length < s.minLength) this.fail(path, `must be at least ${s.minLength} characters long`);
      if (s.maxLength !== undefined && [...v].length > s.maxLength) this.fail(path, `must be at most ${s.maxLength} characters long`);
    }
    if (typeof v === 'number') {
      if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) this.fail(path, `must be ${s.exclusiveMinimum ? 'greater than' : 'at least'} ${s.minimum}, not ${v}`);
      if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) this.fail(path, `must be ${s.exclusiveMaximum ? 'less than' : 'at most'} ${s.maximum}, not ${v}`);
    }
    if (Array.isArray(v)) {
      if (s.minItems !== undefined && v.length < s.minItems) this.fail(path, `must have at least ${s.minItems} items`);
      if (s.maxItems !== undefined && v.length > s.maxItems) this.fail(path, `must have at most ${s.maxItems} items`);
    }
  }
}

// A CRD's patterns are few and checked on every copy of every object: each is compiled once.
const compiled = new Map<string, RegExp | null>();

/** A CRD's pattern is RE2; the rare one JavaScript cannot compile is not held against the document. */
function safeTest(pattern: string, v: string): boolean {
  let re = compiled.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = null;
    }
    remember(compiled, pattern, re, 1000);
  }
  return re === null || re.test(v);
}
