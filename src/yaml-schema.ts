/**
 * How gitfed reads and writes Kubernetes YAML, on both sides of the output branch: as kubectl
 * (sigs.k8s.io/yaml over go-yaml v2) does, so what a member receives is what the author's kubectl
 * would have sent. The meaning of each plain scalar is yaml/resolve.ts; this module plugs it into
 * js-yaml (the fast reader and the writer) and into the `yaml` package (the editor that keeps
 * comments).
 *
 * js-yaml builds plain objects and stringifies keys itself, and merges `<<` its own way (explicit
 * keys win wherever they stand). go-yaml differs in both, so scalars whose meaning depends on
 * where they stand come out of js-yaml as Deferred placeholders: their `toString` is the key
 * sigs.k8s.io/yaml would write, and yaml/settle.ts turns them into values, applies the merges in
 * go-yaml's order and refuses what kubectl refuses.
 */
import { randomUUID } from 'node:crypto';
import jsyaml from 'js-yaml';
// Types only: loading the `yaml` package costs every render about 60 ms, and only an edit needs it.
import type { Scalar, ScalarTag, SchemaOptions } from 'yaml';
import { decodeGoBase64, goFloatKey, needsQuotes, resolvePlain, type Resolved } from './yaml/resolve.js';

/** A marker no fleet can forge: map keys that stand for something settle must handle. */
const NONCE = randomUUID();
export const KEY_MARKER = `\u0000gitfed:${NONCE}:`;

/** What a Deferred stands for. */
export type DeferredKind = 'null' | 'float' | 'bigint' | 'merge' | 'binary';

let merges = 0;

/** A scalar whose meaning as a key differs from its meaning as a value; see the module comment. */
export class Deferred {
  readonly key: string;
  constructor(
    readonly kind: DeferredKind,
    /** The value it has where it is not a key (for 'merge', the text `<<`). */
    readonly value: unknown,
    /** Why it cannot be a value, when it cannot. */
    readonly valueProblem?: string,
  ) {
    this.key = keyOf(kind, value);
  }
  get [Symbol.toStringTag](): string {
    return 'Deferred';
  }
  toString(): string {
    return this.key;
  }
}

function keyOf(kind: DeferredKind, value: unknown): string {
  switch (kind) {
    case 'null':
      return `${KEY_MARKER}null`;
    case 'merge':
      return `${KEY_MARKER}merge:${merges++}`;
    case 'float':
      return goFloatKey(value as number);
    case 'bigint':
      // An int64 key is written exactly; sigs.k8s.io/yaml refuses a uint64 key.
      return typeof value === 'bigint' && value < 1n << 63n ? value.toString() : `${KEY_MARKER}uint64:${String(value)}`;
    default:
      return String(value);
  }
}

/** The value for a resolved scalar: a primitive where its key and value forms agree, else a Deferred. */
function construct(r: Resolved, text: string): unknown {
  switch (r.kind) {
    case 'str':
    case 'timestamp':
      return text;
    case 'null':
      return new Deferred('null', null);
    case 'bool':
      return r.value;
    case 'merge':
      return new Deferred('merge', '<<');
    case 'float':
      return new Deferred('float', r.value, Number.isFinite(r.value) ? undefined : `${text} (${String(r.value)}) has no JSON form, so kubectl refuses it; quote it to mean the string`);
    case 'int':
      if (typeof r.value === 'number') return r.value;
      if (r.unsigned) return new Deferred('bigint', r.value);
      // kubectl keeps an int64 exactly; a double (and its JSON text) does not beyond 2^53.
      return new Deferred('bigint', r.value, `integer ${r.value.toString()} is beyond ±2^53, where gitfed's numbers stop being exact; kubectl would send every digit, so quote it to mean the string`);
  }
}

/** The key the loader gives a plain scalar's text (`0x10` is "16", `yes` is "true"). */
export function keyString(text: string): string {
  const r = resolvePlain(text);
  return r.kind === 'merge' ? '<<' : String(construct(r, text));
}

let lastText = '';
let lastResolved: Resolved = { kind: 'str' };
function resolveCached(text: string): Resolved {
  if (text !== lastText) {
    lastText = text;
    lastResolved = resolvePlain(text);
  }
  return lastResolved;
}

const YAML = 'tag:yaml.org,2002:';

/** Every untagged plain scalar, read as kubectl reads it; on output, the test for strings that need quotes. */
const plainScalar = new jsyaml.Type('tag:gitfed.io,2025:plain', {
  kind: 'scalar',
  resolve: (data: string) => needsQuotes(data, resolveCached(data)),
  construct: (data: string) => construct(resolveCached(data), data),
  predicate: (v: unknown) => v === null || typeof v === 'number' || typeof v === 'boolean',
  represent: (v: unknown) => representPlain(v),
});

function representPlain(v: unknown): string {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '.nan';
    if (!Number.isFinite(v)) return v > 0 ? '.inf' : '-.inf';
    return String(v);
  }
  return String(v);
}

/** An explicit `!!int`, `!!float`, `!!bool` or `!!null`: go-yaml resolves the text and refuses a mismatch (a `!!float` may hold an int). */
function taggedType(name: 'int' | 'float' | 'bool' | 'null'): jsyaml.Type {
  const accepts = (r: Resolved) => r.kind === name || (name === 'float' && r.kind === 'int');
  return new jsyaml.Type(YAML + name, {
    kind: 'scalar',
    resolve: (data: string | null) => accepts(resolvePlain(data ?? '')),
    construct: (data: string | null) => {
      const r = resolvePlain(data ?? '');
      if (name === 'float' && r.kind === 'int') return new Deferred('float', Number(r.value));
      return construct(r, data ?? '');
    },
  });
}

/** `!!timestamp`: go-yaml checks the form, then hands interface{} the text itself. */
const timestampType = new jsyaml.Type(YAML + 'timestamp', {
  kind: 'scalar',
  resolve: (data: string | null) => resolvePlain(data ?? '').kind === 'timestamp',
  construct: (data: string) => data,
});

/** `!!binary`: the decoded bytes as a string; gitfed refuses bytes that are not UTF-8 text (kubectl would replace them). */
const binaryType = new jsyaml.Type(YAML + 'binary', {
  kind: 'scalar',
  resolve: (data: string | null) => decodeGoBase64(data ?? '') !== undefined,
  construct: (data: string | null) => {
    const bytes = decodeGoBase64(data ?? '')!;
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      return new Deferred('binary', '', '!!binary value is not UTF-8 text; kubectl would replace its bytes with U+FFFD');
    }
  },
});

/** An explicit `!!merge` merges in go-yaml; js-yaml would merge it its own way, so it is refused. */
const explicitMerge = new jsyaml.Type(YAML + 'merge', { kind: 'scalar', resolve: () => false });

/** Any other tag: go-yaml ignores it and decodes the node as if untagged but not resolved (a tagged scalar is its text). */
const otherTags = (['scalar', 'sequence', 'mapping'] as const).map(
  (kind) =>
    new jsyaml.Type('', {
      kind,
      multi: true,
      resolve: () => true,
      construct: (data: unknown) => (data === null ? (kind === 'scalar' ? '' : kind === 'sequence' ? [] : {}) : data),
    }),
);

/** The js-yaml schema for reading (with yaml/settle.ts after) and writing Kubernetes YAML. */
export const KUBE_YAML_SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [plainScalar],
  explicit: [taggedType('int'), taggedType('float'), taggedType('bool'), taggedType('null'), timestampType, binaryType, explicitMerge, ...otherTags],
});

// ---------------------------------------------------------------------------------------------
// The `yaml` package, for editing a document in place.

/** A plain scalar's own text when it still says what the node holds, so an edit never rewrites `0755` as `493`. */
function sourceText(node: Scalar): string | undefined {
  if (typeof node.source !== 'string' || (node.type !== undefined && node.type !== 'PLAIN')) return undefined;
  const r = resolvePlain(node.source);
  const v = r.kind === 'null' ? null : r.kind === 'bool' ? r.value : r.kind === 'int' ? Number(r.value) : r.kind === 'float' ? r.value : undefined;
  return Object.is(v, node.value) || (typeof v === 'number' && v === node.value) ? node.source : undefined;
}

function editTag(name: 'null' | 'bool' | 'int' | 'float', identify: (v: unknown) => boolean): ScalarTag {
  return {
    tag: YAML + name,
    default: true,
    identify,
    // The `yaml` package only calls test(); a RegExp is what its type asks for.
    test: { test: (s: string) => resolvePlain(s).kind === name } as unknown as RegExp,
    resolve: (s: string) => {
      const r = resolvePlain(s);
      return r.kind === 'bool' ? r.value : r.kind === 'int' ? Number(r.value) : r.kind === 'float' ? r.value : null;
    },
    stringify: (item, ctx) => {
      const node = item as Scalar;
      return sourceText(node) ?? (node.value === null || node.value === undefined ? (ctx.options.nullStr ?? 'null') : representPlain(node.value));
    },
  };
}

/**
 * Options for the `yaml` package's parseDocument that read scalars as kubectl does and print an
 * untouched scalar exactly as it was written.
 */
export const EDIT_YAML_OPTIONS: SchemaOptions = {
  schema: 'failsafe',
  customTags: [
    editTag('null', (v) => v === null || v === undefined),
    editTag('bool', (v) => typeof v === 'boolean'),
    editTag('int', (v) => typeof v === 'number' && Number.isInteger(v)),
    editTag('float', (v) => typeof v === 'number' && !Number.isInteger(v)),
  ],
};
