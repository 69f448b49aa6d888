/**
 * @module yaml/settle
 * The second half of reading a document: js-yaml's result (see yaml-schema.ts) made into what
 * kubectl would have, or refused where kubectl refuses or gitfed cannot keep the meaning.
 *
 * - Deferred scalars become values; a key that was null or a uint64 is refused, as sigs.k8s.io/yaml
 *   refuses it, and so are values JSON cannot hold (.inf, .nan) and integers a double cannot hold.
 * - `<<` merges are applied in go-yaml v2's order: each merge writes its keys where it stands, over
 *   whatever the mapping already has, and a later key overwrites it; in a list of merges the first wins.
 * - Aliases stay shared references (the walk never copies them), but everything downstream that
 *   clones or emits a document expands them, so their expanded size is counted and bounded, the
 *   way go-yaml bounds "excessive aliasing"; an alias inside its own anchor is refused.
 * - Nesting is bounded, so no later recursive step can run out of stack.
 */
import { Deferred, KEY_MARKER } from '../yaml-schema.js';

export interface SettleLimits {
  /** Deepest nesting of mappings and sequences. */
  readonly maxDepth: number;
  /** Most nodes aliases may add to a document once expanded. */
  readonly maxAliasNodes: number;
}

export const DEFAULT_LIMITS: SettleLimits = { maxDepth: 1000, maxAliasNodes: 400_000 };

export type SettleCode = 'YAMLValue' | 'YAMLKey' | 'YAMLMerge' | 'AliasCycle' | 'AliasExpansion' | 'TooDeep';

export interface SettleProblem {
  readonly code: SettleCode;
  readonly message: string;
  /** Where in the document, for the line. */
  readonly path: readonly (string | number)[];
}

export interface Settled {
  readonly value: unknown;
  readonly problem?: SettleProblem;
  /** Keys js-yaml made from a collection or an empty node, which only the source can tell apart from a string: the caller checks them. */
  readonly suspectKeys: boolean;
}

class Refusal extends Error {
  constructor(readonly problem: SettleProblem) {
    super(problem.message);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Deferred);
}

function setKey(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

const INTEGER_KEY = /^(?:0|[1-9][0-9]*)$/;

class Walk {
  readonly path: (string | number)[] = [];
  /** Container (original or settled) -> its settled form, expanded node count and depth. */
  readonly info = new Map<object, { value: unknown; size: number; depth: number }>();
  readonly active = new Set<object>();
  literal = 0;
  suspectKeys = false;
  /** Size and depth of what value() returned last: kept in fields, as the walk visits every node. */
  size = 1;
  depth = 0;

  constructor(readonly limits: SettleLimits) {}

  refuse(code: SettleCode, message: string, extra: (string | number)[] = []): never {
    throw new Refusal({ code, message, path: [...this.path, ...extra] });
  }

  sizeOf(v: unknown): number {
    return typeof v === 'object' && v !== null ? this.info.get(v)!.size : 1;
  }

  value(v: unknown): unknown {
    if (typeof v !== 'object' || v === null) {
      this.size = 1;
      this.depth = 0;
      return v;
    }
    if (v instanceof Deferred) {
      this.size = 1;
      this.depth = 0;
      return this.scalar(v);
    }
    const done = this.info.get(v);
    if (done !== undefined) {
      this.size = done.size;
      this.depth = done.depth;
      return done.value;
    }
    if (this.active.has(v)) this.refuse('AliasCycle', 'an alias refers to a node that contains it (kubectl refuses it too)');
    if (this.path.length >= this.limits.maxDepth) this.refuse('TooDeep', `nested deeper than ${this.limits.maxDepth} levels, gitfed's bound`);
    this.active.add(v);
    const out = Array.isArray(v) ? this.sequence(v) : this.mapping(v as Record<string, unknown>);
    this.active.delete(v);
    const entry = { value: out, size: this.size, depth: this.depth };
    this.info.set(v, entry);
    if (out !== v) this.info.set(out as object, entry);
    return out;
  }

  scalar(d: Deferred): unknown {
    if (d.valueProblem) this.refuse('YAMLValue', d.valueProblem);
    return d.kind === 'bigint' ? Number(d.value) : d.value;
  }

  sequence(v: unknown[]): unknown[] {
    let size = 1;
    let depth = 0;
    this.literal += 1;
    for (let i = 0; i < v.length; i++) {
      this.path.push(i);
      const item = this.value(v[i]);
      this.path.pop();
      if (item !== v[i]) v[i] = item;
      if (typeof item !== 'object' || item === null) this.literal += 1;
      size += this.size;
      if (this.depth > depth) depth = this.depth;
    }
    this.size = size;
    this.depth = depth + 1;
    return v;
  }

  mapping(v: Record<string, unknown>): Record<string, unknown> {
    const keys = Object.keys(v);
    this.literal += 1 + keys.length;
    let marked = false;
    for (const k of keys) {
      if (k.charCodeAt(0) === 0 && k.startsWith(KEY_MARKER)) marked = true;
      else if (k === 'null' || k === '[object Object]' || k.includes(',')) this.suspectKeys = true;
    }
    if (marked) {
      const out = this.merged(v, keys);
      let size = 1;
      let depth = 0;
      for (const k of Object.keys(out)) {
        const val = out[k];
        size += 1 + this.sizeOf(val);
        if (typeof val === 'object' && val !== null) depth = Math.max(depth, this.info.get(val)!.depth);
      }
      this.size = size;
      this.depth = depth + 1;
      return out;
    }
    let size = 1;
    let depth = 0;
    for (const k of keys) {
      this.path.push(k);
      const val = this.value(v[k]);
      this.path.pop();
      if (val !== v[k]) setKey(v, k, val);
      if (typeof val !== 'object' || val === null) this.literal += 1;
      size += 1 + this.size;
      if (this.depth > depth) depth = this.depth;
    }
    this.size = size;
    this.depth = depth + 1;
    return v;
  }

  /** A mapping with `<<` keys (or refused keys), rebuilt in go-yaml's order. */
  merged(v: Record<string, unknown>, keys: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const explicit = new Set<string>();
    const mergedKeys = new Set<string>();
    for (const k of keys) {
      this.path.push(k.startsWith(KEY_MARKER) ? '<<' : k);
      const val = this.value(v[k]);
      if (typeof val !== 'object' || val === null) this.literal += 1;
      this.path.pop();
      if (!k.startsWith(KEY_MARKER)) {
        explicit.add(k);
        setKey(out, k, val);
        continue;
      }
      const what = k.slice(KEY_MARKER.length);
      if (what === 'null') this.refuse('YAMLKey', 'a mapping key is null; kubectl refuses it (quote it to mean the string "null")', [k]);
      if (what.startsWith('uint64:')) this.refuse('YAMLKey', `mapping key ${what.slice(7)} does not fit a 64-bit signed integer; kubectl refuses it (quote it)`, [k]);
      const sources = isPlainObject(val) ? [val] : Array.isArray(val) && val.every(isPlainObject) ? [...(val as Record<string, unknown>[])].reverse() : undefined;
      if (!sources) this.refuse('YAMLMerge', 'a merge key (<<) needs a mapping or a list of mappings, as kubectl does', ['<<']);
      for (const src of sources) {
        for (const [mk, mv] of Object.entries(src)) {
          mergedKeys.add(mk);
          setKey(out, mk, mv);
        }
      }
    }
    // JS objects put integer-like keys first, so their place relative to `<<` is lost; go-yaml's answer depends on it.
    for (const k of mergedKeys) {
      if (explicit.has(k) && INTEGER_KEY.test(k)) this.refuse('YAMLMerge', `key ${k} is both written and merged in; gitfed cannot tell which comes first for a numeric key, so write it once`, [k]);
    }
    return out;
  }
}

/** Settle one document that js-yaml read with KUBE_YAML_SCHEMA. */
export function settle(doc: unknown, limits: SettleLimits = DEFAULT_LIMITS): Settled {
  const w = new Walk(limits);
  try {
    const value = w.value(doc);
    const expanded = w.sizeOf(value);
    const added = expanded - w.literal;
    if (added > limits.maxAliasNodes || (expanded > 1000 && added > 100 && added / expanded > 0.99)) {
      return { value, suspectKeys: w.suspectKeys, problem: { code: 'AliasExpansion', message: `aliases expand this document from ${w.literal} to ${expanded.toExponential(2)} nodes; gitfed (like kubectl) refuses such expansion`, path: largestPath(w, value) } };
    }
    return { value, suspectKeys: w.suspectKeys };
  } catch (e) {
    if (e instanceof Refusal) return { value: undefined, suspectKeys: w.suspectKeys, problem: e.problem };
    throw e;
  }
}

/** The path down to where the expansion happens: follow the largest child while it holds most of its parent. */
function largestPath(w: Walk, root: unknown): (string | number)[] {
  const path: (string | number)[] = [];
  let node = root;
  for (;;) {
    if (typeof node !== 'object' || node === null) return path;
    const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
    let best: [string | number, unknown] | undefined;
    for (const e of entries) if (!best || w.sizeOf(e[1]) > w.sizeOf(best[1])) best = e;
    if (!best || w.sizeOf(best[1]) * 2 < w.sizeOf(node)) return path;
    path.push(best[0]);
    node = best[1];
  }
}
