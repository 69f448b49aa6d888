/** Helpers for parsed YAML values (mappings, lists, scalars). */

/** A YAML mapping (not a list, not null). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export { cloneJson } from '../clone.js';
