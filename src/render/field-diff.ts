/**
 * What changed in one object, field by field: the leaves whose value differs between two versions,
 * so that a reviewer reads "image web:1.8.2 -> web:1.9.0" instead of a hunk, and so that clusters
 * with the same change can be told apart from those with another. Lists of named items
 * (containers, env, ports, volumes) are matched by name, other lists by position.
 */

export interface FieldChange {
  /** Display path: `spec.replicas`, `spec.template.spec.containers[web].image`. */
  readonly path: string;
  /** Absent: the field is added. */
  readonly before?: unknown;
  /** Absent: the field is removed. */
  readonly after?: unknown;
}

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Items all carry a distinct string `name`: match them by it, so an insertion is not a change of every later item. */
function byName(list: readonly unknown[]): Map<string, unknown> | undefined {
  const m = new Map<string, unknown>();
  for (const x of list) {
    if (!isMapping(x) || typeof x.name !== 'string' || m.has(x.name)) return undefined;
    m.set(x.name, x);
  }
  return m;
}

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (a === b) return;
    if (isMapping(a) && isMapping(b)) {
      for (const k of Object.keys(b)) {
        if (!Object.hasOwn(a, k)) out.push({ path: join(path, k), after: b[k] });
        else walk(a[k], b[k], join(path, k));
      }
      for (const k of Object.keys(a)) if (!Object.hasOwn(b, k)) out.push({ path: join(path, k), before: a[k] });
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      const na = byName(a);
      const nb = byName(b);
      if (na && nb) {
        for (const [name, x] of nb) {
          if (!na.has(name)) out.push({ path: `${path}[${name}]`, after: x });
          else walk(na.get(name), x, `${path}[${name}]`);
        }
        for (const [name, x] of na) if (!nb.has(name)) out.push({ path: `${path}[${name}]`, before: x });
        return;
      }
      const n = Math.max(a.length, b.length);
      for (let i = 0; i < n; i++) {
        if (i >= a.length) out.push({ path: `${path}[${i}]`, after: b[i] });
        else if (i >= b.length) out.push({ path: `${path}[${i}]`, before: a[i] });
        else walk(a[i], b[i], `${path}[${i}]`);
      }
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, before: a, after: b });
  };
  walk(before, after, '');
  return out;
}

