/**
 * The field check of the documents gitfed interprets (Federated<Kind>, RSP, type configs, Karmada
 * policies): a field their upstream API does not have is an error, with the nearest known name,
 * since ignoring it silently changes what a render produces (a misspelt `replicaScheduling` turns
 * a Divided policy into a Duplicated one). A field upstream has but gitfed does not act on is named
 * by the engine's rules: a warning, or an error where ignoring it changes the outcome.
 */
import { formatPath } from '../shape.js';
import type { FieldPath, Schema } from './types.js';
import { closest } from './suggest.js';
import { unknownFields } from './unknown-fields.js';
import { OBJECT_META } from './upstream.js';

/** A field upstream declares that gitfed does not honour, and what to say when a document sets it. */
export interface IgnoredField {
  /** Dotted path, `[]` for any list item: `spec.placement.clusterAffinities[].overflowAffinities`. */
  readonly path: string;
  /** Whether this value is one gitfed cannot honour (default: any value but null). */
  readonly when?: (value: unknown) => boolean;
  readonly message: (value: unknown) => string;
}

export interface FieldFinding {
  readonly kind: 'unknown' | 'ignored';
  readonly path: FieldPath;
  readonly message: string;
}

const pattern = (path: FieldPath) => path.map((p) => (typeof p === 'number' ? '[]' : `.${p}`)).join('').replace(/^\./, '');

/** `unknown field "spec.foo"; did you mean "fooBar"?`, or the names known there when none is near. */
export function unknownFieldMessage(path: FieldPath, known: readonly string[]): string {
  const name = String(path[path.length - 1]);
  const near = closest(name, known);
  const where = `unknown field "${formatPath(path)}"`;
  if (near) return `${where}; did you mean "${near}"?`;
  const names = [...known].sort();
  return names.length === 0 ? `${where}: nothing may be set here` : `${where} (known here: ${names.length <= 12 ? names.join(', ') : names.slice(0, 12).join(', ') + ', ...'})`;
}

const NONE: readonly IgnoredField[] = [];

// Every render on a thread (a diff's two sides, watch's renders) checks the fleet's documents
// again, and most are the very objects the parse cache kept: what a document has was found once.
const found = new WeakMap<object, { readonly schema: Schema; readonly ignored: readonly IgnoredField[]; readonly findings: readonly FieldFinding[] }[]>();

/**
 * Every unknown field of `doc` under `schema` (metadata read as ObjectMeta), and every ignored
 * field it sets. Read-only: a document read again gives the same list.
 */
export function checkFields(doc: unknown, schema: Schema, ignored: readonly IgnoredField[] = NONE): readonly FieldFinding[] {
  if (doc === null || typeof doc !== 'object') return findFields(doc, schema, ignored);
  let kept = found.get(doc);
  const hit = kept?.find((k) => k.schema === schema && k.ignored === ignored);
  if (hit) return hit.findings;
  const findings = findFields(doc, schema, ignored);
  if (!kept) found.set(doc, (kept = []));
  kept.push({ schema, ignored, findings });
  return findings;
}

function findFields(doc: unknown, schema: Schema, ignored: readonly IgnoredField[]): FieldFinding[] {
  const out: FieldFinding[] = [];
  const rules = new Map(ignored.map((r) => [r.path, r]));
  const paths = ignored.map((r) => r.path);
  const visit = (path: FieldPath, value: unknown) => {
    // The walk visits every field: the pattern is built only where a rule ends with the same segment.
    const last = path[path.length - 1];
    const tail = typeof last === 'number' ? '[]' : String(last);
    if (!paths.some((p) => p.endsWith(tail))) return;
    const rule = rules.get(pattern(path));
    if (rule && value !== null && value !== undefined && (rule.when ?? (() => true))(value)) out.push({ kind: 'ignored', path: [...path], message: rule.message(value) });
  };
  const override = (path: FieldPath) => (path.length === 1 && path[0] === 'metadata' ? OBJECT_META : undefined);
  for (const u of unknownFields(doc, schema, { visit, override })) out.push({ kind: 'unknown', path: u.path, message: unknownFieldMessage(u.path, u.known) });
  return out;
}
