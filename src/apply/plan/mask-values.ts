/**
 * @module mask-values
 * Secret values kept out of what people read: `gitfed diff --live` shows which keys of a
 * Secret's data change, never their values (as `flux diff` masks them), and nothing at all of
 * the values of an object that was SOPS-encrypted on the branch.
 */
import type { FieldChange } from './structural-diff.js';

export const HIDDEN = '(hidden)';

/** The value's shape with every scalar replaced: the keys a Secret holds stay readable. */
function hide(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(hide);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, hide(x)]));
  return v === undefined ? undefined : HIDDEN;
}

const SECRET_VALUES = /^\/(data|stringData)(\/|$)/;

/**
 * The changes with values hidden: under `data` and `stringData` of a Secret, and everywhere in
 * an object that was encrypted (`sealed`). A whole-object change (`/` on creation) is masked inside.
 */
export function maskSecretValues(changes: readonly FieldChange[], kind: { group: string; kind: string }, sealed: boolean): FieldChange[] {
  const isSecret = kind.group === '' && kind.kind === 'Secret';
  if (!isSecret && !sealed) return [...changes];
  return changes.map((c) => {
    const masked = (v: unknown): unknown => {
      if (sealed && !isSecret) return hide(v);
      if (SECRET_VALUES.test(c.path)) return hide(v);
      if (c.path === '' || c.path === '/') {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
        const o = { ...(v as Record<string, unknown>) };
        for (const f of ['data', 'stringData']) if (o[f] !== undefined) o[f] = hide(o[f]);
        return o;
      }
      return v;
    };
    return { ...c, ...(c.from !== undefined ? { from: masked(c.from) } : {}), ...(c.to !== undefined ? { to: masked(c.to) } : {}) };
  });
}
