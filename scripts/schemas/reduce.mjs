/** What the schema generators keep of an OpenAPI schema: what validation reads, nothing else. */

/** Every key validation reads; descriptions, defaults, examples and merge hints go. */
export const KEEP = new Set([
  'type', 'format', 'properties', 'additionalProperties', 'items', 'required', 'enum', 'nullable', '$ref', 'allOf', 'oneOf', 'anyOf',
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-int-or-string', 'x-kubernetes-embedded-resource',
]);

/** The schema with only KEEP's keys; an allOf of one reference (how /openapi/v3 attaches a description) becomes the reference. */
export function reduce(s) {
  if (Array.isArray(s)) return s.map(reduce);
  if (s === null || typeof s !== 'object') return s;
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (!KEEP.has(k)) continue;
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v).map(([name, p]) => [name, reduce(p)])) : reduce(v);
  }
  if (out.allOf?.length === 1 && out.allOf[0].$ref && Object.keys(out).length === 1) return { $ref: out.allOf[0].$ref };
  return out;
}
