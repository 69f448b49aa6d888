/**
 * What a change does to every cluster's rendered output: objects added, changed and removed per
 * cluster, with unified YAML diffs of the changed ones. Pure: two sets of output branches in, a
 * report out. Secret values never appear in a diff.
 */
import { createTwoFilesPatch } from 'diff';
import jsyaml from 'js-yaml';
import { formatRef } from '../object.js';
import type { BranchOutput } from './types.js';

export type ChangeAction = 'added' | 'changed' | 'removed';

export interface ObjectChange {
  readonly action: ChangeAction;
  /** Path of the object's file in its branch. */
  readonly path: string;
  /** `Kind/namespace/name`. */
  readonly object: string;
  /** Unified diff (changed), or the whole object prefixed +/- (added/removed); Secret values masked. */
  readonly diff: string;
}

export interface ClusterDiff {
  readonly cluster: string;
  readonly branch: string;
  /** The cluster joined or left the fleet (or this output) with this change. */
  readonly status: 'new' | 'gone' | 'kept';
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  readonly changes: readonly ObjectChange[];
}

export interface FleetDiff {
  readonly base: string;
  readonly head: string;
  readonly clusters: readonly ClusterDiff[];
  readonly changed: boolean;
}

interface Side {
  branch: string;
  files: ReadonlyMap<string, string>;
}

function clustersOf(branches: readonly BranchOutput[]): Map<string, Side> {
  const m = new Map<string, Side>();
  for (const b of branches) for (const c of b.clusters) m.set(`${b.branch}\0${c.cluster}`, { branch: b.branch, files: c.files });
  return m;
}

export function diffOutputs(base: readonly BranchOutput[], head: readonly BranchOutput[], labels: { base: string; head: string }): FleetDiff {
  const a = clustersOf(base);
  const b = clustersOf(head);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  const clusters: ClusterDiff[] = [];
  for (const key of keys) {
    const cluster = key.split('\0')[1]!;
    const before = a.get(key);
    const after = b.get(key);
    const oldFiles = before?.files ?? new Map<string, string>();
    const newFiles = after?.files ?? new Map<string, string>();
    const paths = [...new Set([...oldFiles.keys(), ...newFiles.keys()])].sort();
    const changes: ObjectChange[] = [];
    for (const p of paths) {
      const o = oldFiles.get(p);
      const n = newFiles.get(p);
      if (o === n) continue;
      const action: ChangeAction = o === undefined ? 'added' : n === undefined ? 'removed' : 'changed';
      const [mo, mn] = maskSecrets(o, n);
      changes.push({ action, path: p, object: describe(n ?? o!), diff: unified(p, mo, mn) });
    }
    const count = (x: ChangeAction) => changes.filter((c) => c.action === x).length;
    if (changes.length === 0 && before && after) continue;
    clusters.push({
      cluster,
      branch: (after ?? before)!.branch,
      status: !before ? 'new' : !after ? 'gone' : 'kept',
      added: count('added'),
      changed: count('changed'),
      removed: count('removed'),
      changes,
    });
  }
  return { base: labels.base, head: labels.head, clusters, changed: clusters.length > 0 };
}

function unified(path: string, before: string | undefined, after: string | undefined): string {
  const patch = createTwoFilesPatch(before === undefined ? '/dev/null' : 'a/' + path, after === undefined ? '/dev/null' : 'b/' + path, before ?? '', after ?? '', undefined, undefined, { context: 3 });
  // Drop the `Index:`/`===` preamble; keep from the `---` line on.
  return patch.slice(patch.indexOf('--- '));
}

function describe(yaml: string): string {
  try {
    const o = jsyaml.load(yaml) as { kind?: string; metadata?: { name?: string; namespace?: string } };
    return formatRef({ kind: String(o.kind), namespace: o.metadata?.namespace ?? '', name: String(o.metadata?.name) });
  } catch {
    return '(unparseable)';
  }
}

/**
 * Secret values are replaced on both sides: equal values by the same mask, different values by
 * different masks, so the diff shows that a key changed without showing either value (as Argo CD does).
 */
export function maskSecrets(before: string | undefined, after: string | undefined): [string | undefined, string | undefined] {
  const parse = (s: string | undefined) => {
    if (s === undefined) return undefined;
    try {
      return jsyaml.load(s) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };
  const o = parse(before);
  const n = parse(after);
  const isSecret = (x: Record<string, unknown> | undefined) => x?.kind === 'Secret' && x.apiVersion === 'v1';
  if (!isSecret(o) && !isSecret(n)) return [before, after];
  const masks = new Map<string, string>();
  const maskFor = (field: string, key: string, value: unknown, side: 'old' | 'new', other: unknown) => {
    const same = JSON.stringify(value) === JSON.stringify(other);
    const id = `${field}.${key}:${same ? 'same' : side}`;
    if (!masks.has(id)) masks.set(id, same ? '********' : side === 'old' ? '******** (old value)' : '******** (new value)');
    return masks.get(id)!;
  };
  const mask = (x: Record<string, unknown> | undefined, other: Record<string, unknown> | undefined, side: 'old' | 'new') => {
    if (!x || !isSecret(x)) return x === undefined ? undefined : jsyaml.dump(x, { lineWidth: -1, noRefs: true, quotingType: '"' });
    const copy: Record<string, unknown> = { ...x };
    for (const field of ['data', 'stringData']) {
      const m = x[field] as Record<string, unknown> | undefined;
      if (!m || typeof m !== 'object') continue;
      const om = (other?.[field] ?? {}) as Record<string, unknown>;
      copy[field] = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, maskFor(field, k, v, side, om[k])]));
    }
    return jsyaml.dump(copy, { lineWidth: -1, noRefs: true, quotingType: '"' });
  };
  return [mask(o, n, 'old'), mask(n, o, 'new')];
}
