/**
 * Fields a schema does not declare, as an API server's strict field validation finds them
 * (`kubectl --validate=strict`): every mapping key below a schema that lists properties and
 * allows nothing else. Values of the wrong type are not looked into here; the readers of each
 * kind report those.
 */
import type { FieldPath, Schema } from './types.js';
import { validate, type ValidateOptions } from './validate.js';

export interface UnknownField {
  /** Path of the unknown key itself. */
  readonly path: FieldPath;
  /** The names the schema declares beside it, for a suggestion. */
  readonly known: readonly string[];
}

export type WalkOptions = Pick<ValidateOptions, 'resolve' | 'override' | 'visit'>;

export function unknownFields(value: unknown, schema: Schema, opts: WalkOptions = {}, at: FieldPath = []): UnknownField[] {
  return validate(value, schema, { ...opts, unknownOnly: true }, at).map((p) => ({ path: p.path, known: p.known ?? [] }));
}
