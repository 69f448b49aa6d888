/**
 * A fleet diff as a reviewer reads it: first what the change does overall (clusters touched,
 * objects added, changed and removed, replicas moved, placements widened or narrowed, Secrets
 * changed), then per object the clusters that change the same way, grouped, so that 47 clusters
 * with one new image read as one line. Pure; the texts are the diff's, Secret values masked.
 */
import { memoParse, PairMap, type ChangeAction, type FleetDiff, type ObjectChange } from './diff.js';
import { fieldChanges, type FieldChange } from './field-diff.js';

/** Clusters that change one object the same way. */
export interface ChangeGroup {
  readonly action: ChangeAction;
  /** Sorted. */
  readonly clusters: readonly string[];
  /** What changed, field by field (changed objects only). */
  readonly fields: readonly FieldChange[];
  /** The change of the first cluster: its unified diff stands for the group. */
  readonly sample: ObjectChange;
}

/** One field of one object, and the clusters on which it changes each way. */
export interface FieldGroup {
  readonly path: string;
  /** Most clusters first. */
  readonly variants: readonly { readonly before?: unknown; readonly after?: unknown; readonly clusters: readonly string[] }[];
}

export interface ObjectReview {
  /** The object's file inside a cluster directory: one object on every cluster. */
  readonly key: string;
  /** `Kind/namespace/name`. */
  readonly object: string;
  readonly kind: string;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  /** Clusters with the same change of the whole object, largest group first. */
  readonly groups: readonly ChangeGroup[];
  /** The changed fields, each with the clusters that change it the same way: "image a -> b on 47 clusters". */
  readonly fields: readonly FieldGroup[];
  /** On how many clusters the object is, before and after. */
  readonly before: number;
  readonly after: number;
}

export interface ReplicaMove {
  readonly object: string;
  /** Clusters whose count changes: before -> after (0 where the workload is not). */
  readonly clusters: readonly { readonly cluster: string; readonly before: number; readonly after: number }[];
  /** Replicas that leave one cluster for another: the smaller of what is gained and what is lost. */
  readonly moved: number;
  /** After minus before, over every cluster. */
  readonly net: number;
}

export interface Placement {
  readonly object: string;
  /** Clusters it newly goes to (widened) or leaves (narrowed). */
  readonly clusters: readonly string[];
  readonly before: number;
  readonly after: number;
}

export interface DiffSummary {
  readonly clustersTouched: number;
  readonly clustersTotal: number;
  readonly newClusters: readonly string[];
  readonly goneClusters: readonly string[];
  /** Distinct objects, and copies (object on a cluster). */
  readonly added: { readonly objects: number; readonly copies: number };
  readonly changed: { readonly objects: number; readonly copies: number };
  readonly removed: { readonly objects: number; readonly copies: number };
  readonly replicas: readonly ReplicaMove[];
  /** Objects that existed before and now go to more clusters. */
  readonly widened: readonly Placement[];
  /** Objects that stay and now go to fewer clusters. */
  readonly narrowed: readonly Placement[];
  /** Secrets added, changed or removed, with the number of clusters (values never shown). */
  readonly secrets: readonly { readonly object: string; readonly clusters: number }[];
}

export interface DiffReview {
  readonly summary: DiffSummary;
  /** Most clusters first, then by name. */
  readonly objects: readonly ObjectReview[];
}

/** Kinds whose spec.replicas defaults to 1 when absent, as the API server defaults it. */
const SCALED = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);

const kindOf = (object: string) => object.slice(0, object.indexOf('/'));

function replicasOf(v: unknown): number | undefined {
  const o = v as { kind?: unknown; spec?: { replicas?: unknown } } | undefined;
  if (!o || typeof o.kind !== 'string' || !SCALED.has(o.kind)) return undefined;
  const n = o.spec?.replicas;
  return typeof n === 'number' ? n : n === undefined ? 1 : undefined;
}

export function reviewDiff(d: FleetDiff): DiffReview {
  const parse = d.parse ?? memoParse();
  const parsed = { of: (text: string | undefined) => (text === undefined ? undefined : parse(text)) };
  const perObject = new Map<string, { object: string; changes: { cluster: string; change: ObjectChange }[] }>();
  for (const c of d.clusters) {
    for (const ch of c.changes) {
      let o = perObject.get(ch.key);
      if (!o) perObject.set(ch.key, (o = { object: ch.object, changes: [] }));
      o.changes.push({ cluster: c.cluster, change: ch });
    }
  }
  // The fields of a pair of texts, and the id of their group (the same change on every cluster that has that pair).
  const fieldsCache = new PairMap<{ fields: FieldChange[]; id: string }>();
  const none = { fields: [] as FieldChange[], id: '' };
  const fieldsOf = (ch: ObjectChange): { fields: FieldChange[]; id: string } => {
    if (ch.action !== 'changed') return none;
    const a = String(ch.before);
    const b = String(ch.after);
    let f = fieldsCache.get(a, b);
    if (!f) {
      const fields = fieldChanges(parsed.of(ch.before), parsed.of(ch.after));
      fieldsCache.set(a, b, (f = { fields, id: `c\0${JSON.stringify(fields)}` }));
    }
    return f;
  };

  const objects: ObjectReview[] = [];
  const replicas: ReplicaMove[] = [];
  for (const [key, { object, changes }] of perObject) {
    const groups = new Map<string, { action: ChangeAction; clusters: string[]; fields: FieldChange[]; sample: ObjectChange }>();
    for (const { cluster, change } of changes) {
      const { fields, id: changedId } = fieldsOf(change);
      // Same action and same result: the same change, whatever else differs between the copies.
      const id = change.action === 'changed' ? changedId : change.action === 'added' ? `a\0${change.after}` : `r\0${change.before}`;
      const g = groups.get(id);
      if (g) g.clusters.push(cluster);
      else groups.set(id, { action: change.action, clusters: [cluster], fields, sample: change });
    }
    const count = (a: ChangeAction) => changes.filter((c) => c.change.action === a).length;
    const presence = d.presence?.get(key) ?? { before: 0, after: 0 };
    objects.push({
      fields: groupFields(groups.values()),
      key,
      object,
      kind: kindOf(object),
      added: count('added'),
      changed: count('changed'),
      removed: count('removed'),
      groups: [...groups.values()].map((g) => ({ ...g, clusters: g.clusters.sort() })).sort((x, y) => y.clusters.length - x.clusters.length || (x.clusters[0]! < y.clusters[0]! ? -1 : 1)),
      before: presence.before,
      after: presence.after,
    });
    const move = replicaMove(object, changes, parsed);
    if (move) replicas.push(move);
  }
  objects.sort((x, y) => y.groups.reduce((n, g) => n + g.clusters.length, 0) - x.groups.reduce((n, g) => n + g.clusters.length, 0) || (x.object < y.object ? -1 : 1));
  return { summary: summarize(d, objects, replicas), objects };
}

/** Per field path, the clusters that change it each way; paths in the order they first appear. */
function groupFields(groups: Iterable<{ action: ChangeAction; clusters: string[]; fields: FieldChange[] }>): FieldGroup[] {
  const paths = new Map<string, Map<string, { before?: unknown; after?: unknown; clusters: string[] }>>();
  for (const g of groups) {
    if (g.action !== 'changed') continue;
    for (const f of g.fields) {
      let variants = paths.get(f.path);
      if (!variants) paths.set(f.path, (variants = new Map()));
      const id = JSON.stringify([f.before, f.after, 'before' in f, 'after' in f]);
      let v = variants.get(id);
      if (!v) variants.set(id, (v = { ...('before' in f ? { before: f.before } : {}), ...('after' in f ? { after: f.after } : {}), clusters: [] }));
      v.clusters.push(...g.clusters);
    }
  }
  return [...paths].map(([path, variants]) => ({
    path,
    variants: [...variants.values()].map((v) => ({ ...v, clusters: v.clusters.sort() })).sort((x, y) => y.clusters.length - x.clusters.length || (x.clusters[0]! < y.clusters[0]! ? -1 : 1)),
  }));
}

function replicaMove(object: string, changes: readonly { cluster: string; change: ObjectChange }[], parsed: { of: (text: string | undefined) => unknown }): ReplicaMove | undefined {
  const clusters: { cluster: string; before: number; after: number }[] = [];
  for (const { cluster, change } of changes) {
    const before = replicasOf(parsed.of(change.before));
    const after = replicasOf(parsed.of(change.after));
    if (before === undefined && after === undefined) continue;
    if ((before ?? 0) !== (after ?? 0)) clusters.push({ cluster, before: before ?? 0, after: after ?? 0 });
  }
  if (clusters.length === 0) return undefined;
  clusters.sort((a, b) => (a.cluster < b.cluster ? -1 : 1));
  const gained = clusters.reduce((n, c) => n + Math.max(0, c.after - c.before), 0);
  const lost = clusters.reduce((n, c) => n + Math.max(0, c.before - c.after), 0);
  return { object, clusters, moved: Math.min(gained, lost), net: gained - lost };
}

function summarize(d: FleetDiff, objects: readonly ObjectReview[], replicas: ReplicaMove[]): DiffSummary {
  // An object that existed before and goes to more clusters is widened, not added; one that stays
  // somewhere is narrowed, not removed.
  const tally = (a: ChangeAction) => {
    const withIt = objects.filter((o) => o[a] > 0 && (a === 'added' ? o.before === 0 : a === 'removed' ? o.after === 0 : true));
    return { objects: withIt.length, copies: withIt.reduce((n, o) => n + o[a], 0) };
  };
  const clustersOf = (o: ObjectReview, a: ChangeAction) => o.groups.filter((g) => g.action === a).flatMap((g) => g.clusters).sort();
  const widened = objects.filter((o) => o.added > 0 && o.before > 0).map((o) => ({ object: o.object, clusters: clustersOf(o, 'added'), before: o.before, after: o.after }));
  const narrowed = objects.filter((o) => o.removed > 0 && o.after > 0).map((o) => ({ object: o.object, clusters: clustersOf(o, 'removed'), before: o.before, after: o.after }));
  return {
    clustersTouched: d.clusters.length,
    clustersTotal: d.clustersTotal ?? d.clusters.length,
    newClusters: d.clusters.filter((c) => c.status === 'new').map((c) => c.cluster),
    goneClusters: d.clusters.filter((c) => c.status === 'gone').map((c) => c.cluster),
    added: tally('added'),
    changed: tally('changed'),
    removed: tally('removed'),
    replicas: replicas.sort((a, b) => (a.object < b.object ? -1 : 1)),
    widened,
    narrowed,
    secrets: objects.filter((o) => o.kind === 'Secret').map((o) => ({ object: o.object, clusters: o.added + o.changed + o.removed })),
  };
}
