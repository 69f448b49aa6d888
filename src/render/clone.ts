/**
 * Deep copy of parsed YAML (mappings, lists, scalars; the loader's schema yields nothing else).
 * Several times faster than structuredClone, which matters at one copy per object per cluster.
 */
export function cloneJson<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(cloneJson) as T;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const copy = cloneJson((v as Record<string, unknown>)[k]);
    // A YAML key "__proto__" is data; plain assignment would set the prototype instead.
    if (k === '__proto__') Object.defineProperty(out, k, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[k] = copy;
  }
  return out as T;
}
