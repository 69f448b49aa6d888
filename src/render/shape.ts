/**
 * The types of the fields gitfed reads from a document, declared as data and checked in one
 * walk, so a string where a mapping goes or words where a number goes is an error naming the
 * field, as an API server's schema validation would refuse it, instead of a silent default or a
 * crash later on. Fields not declared are not looked at; null counts as absent, as an API server
 * drops nulls of non-nullable fields.
 */
import { describeValue, integerProblem, type IntType } from './numbers.js';

export type Shape =
  | 'string'
  | 'boolean'
  | 'any'
  | { readonly int: IntType; readonly min?: number }
  | { readonly list: Shape }
  /** A mapping of any keys to values of one shape (labels, annotations). */
  | { readonly map: Shape }
  /** A mapping with these fields. */
  | { readonly fields: Readonly<Record<string, Shape>> };

export type FieldPath = (string | number)[];

export interface ShapeProblem {
  readonly path: FieldPath;
  readonly message: string;
}

/** `spec.placement.clusterAffinities[0].affinityName` */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every field of `value` (at `path`) that does not have its declared shape. */
export function shapeProblems(value: unknown, shape: Shape, path: FieldPath = []): ShapeProblem[] {
  const out: ShapeProblem[] = [];
  // A list item or a map value has no field to leave out, so null there is a wrong shape.
  const walk = (v: unknown, s: Shape, p: FieldPath, item = false): void => {
    if (s === 'any' || v === undefined || (v === null && !item)) return;
    const fail = (what: string) => out.push({ path: p, message: `field ${formatPath(p)}: ${what}` });
    if (s === 'string' || s === 'boolean') {
      if (typeof v !== s) fail(`must be a ${s === 'string' ? 'string' : 'boolean (true or false)'}, not ${describeValue(v)}`);
    } else if ('int' in s) {
      const problem = integerProblem(v, s.int, s.min);
      if (problem) fail(problem);
    } else if ('list' in s) {
      if (!Array.isArray(v)) fail(`must be a list, not ${describeValue(v)}`);
      else v.forEach((x, i) => walk(x, s.list, [...p, i], true));
    } else if (!isMapping(v)) {
      fail(`must be a mapping, not ${describeValue(v)}`);
    } else if ('map' in s) {
      for (const [k, x] of Object.entries(v)) walk(x, s.map, [...p, k], true);
    } else {
      for (const [k, fieldShape] of Object.entries(s.fields)) walk(v[k], fieldShape, [...p, k]);
    }
  };
  walk(value, shape, path);
  return out;
}

/**
 * A copy of `value` without the null fields the shape declares, as an API server drops them, so
 * later code sees them absent. Values of shape 'any' (a patch's value) are kept as written.
 */
export function withoutNulls(value: unknown, shape: Shape): unknown {
  if (shape === 'any' || value === null || typeof value !== 'object') return value;
  if (typeof shape !== 'object' || 'int' in shape) return value;
  if ('list' in shape) return Array.isArray(value) ? value.map((x) => withoutNulls(x, shape.list)) : value;
  if (!isMapping(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const fieldShape = 'map' in shape ? shape.map : shape.fields[k];
    if (v === null && fieldShape !== undefined && !('map' in shape)) continue;
    out[k] = fieldShape === undefined ? v : withoutNulls(v, fieldShape);
  }
  return out;
}
