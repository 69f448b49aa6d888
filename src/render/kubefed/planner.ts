/**
 * The KubeFed replica planner (`pkg/controller/util/planner/planner.go` `Plan`), ported to the
 * replica: the same order of phases, the same integer rounding and the same FNV-1 tie-break, so a
 * fleet moved from KubeFed to gitfed keeps its replica counts. Pure: no objects, no clusters, no I/O.
 *
 * Owns: the arithmetic and a trace of it for `gitfed explain`. Does not own: which clusters are
 * available or how the result is written back (rsp.ts).
 */

/** One entry of an RSP's `spec.clusters` map. */
export interface ClusterPreferences {
  readonly minReplicas: number;
  /** Absent = unbounded. */
  readonly maxReplicas?: number;
  readonly weight: number;
}

export interface PlannerSpec {
  readonly totalReplicas: number;
  readonly rebalance: boolean;
  /** Cluster name or "*" to preferences. An explicit entry replaces "*" entirely; fields are not merged. */
  readonly clusters: ReadonlyMap<string, ClusterPreferences>;
}

export interface PlanResult {
  /** Every available cluster: the clusters without a preference are present with 0. */
  readonly plan: Map<string, number>;
  /** Replicas that would be nice to place beyond a cluster's estimated capacity. */
  readonly overflow: Map<string, number>;
}

/** What the planner did, step by step, for explanations. */
export type PlanEvent =
  | { readonly type: 'preference'; readonly cluster: string; readonly source: 'explicit' | 'wildcard' | 'none' }
  | { readonly type: 'order'; readonly clusters: readonly { readonly cluster: string; readonly weight: number; readonly hash: number }[] }
  | { readonly type: 'minimum'; readonly cluster: string; readonly wanted: number; readonly given: number; readonly remaining: number }
  | { readonly type: 'preallocate'; readonly cluster: string; readonly current: number; readonly extra: number; readonly remaining: number }
  | { readonly type: 'round'; readonly round: number; readonly distribute: number; readonly weightSum: number }
  | {
      readonly type: 'share';
      readonly cluster: string;
      readonly weight: number;
      /** ceil(distribute * weight / weightSum), before any limit. */
      readonly share: number;
      /** The share limited to what was left when this cluster's turn came. */
      readonly extra: number;
      readonly start: number;
      readonly total: number;
      readonly cappedBy?: 'maxReplicas' | 'capacity';
      readonly full: boolean;
      readonly remaining: number;
    }
  | { readonly type: 'done'; readonly remaining: number };

export type PlanTrace = (event: PlanEvent) => void;

/** Go's `hash/fnv.New32()`: FNV-1 (multiply, then xor), over the UTF-8 bytes. Not FNV-1a. */
export function fnv1_32(s: string): number {
  let h = 0x811c9dc5;
  // Cluster names and object keys are ASCII in practice; only other strings pay for encoding.
  const bytes = /^[\x00-\x7f]*$/.test(s) ? undefined : new TextEncoder().encode(s);
  const n = bytes ? bytes.length : s.length;
  for (let i = 0; i < n; i++) {
    h = Math.imul(h, 0x01000193) >>> 0;
    h = (h ^ (bytes ? bytes[i]! : s.charCodeAt(i))) >>> 0;
  }
  return h >>> 0;
}

interface Named extends ClusterPreferences {
  readonly cluster: string;
  readonly hash: number;
}

// ceil(a*b/c) in integers; weights are int64 upstream, so the product may pass 2^53.
function ceilShare(distribute: number, weight: number, weightSum: number): number {
  const product = distribute * weight;
  if (Number.isSafeInteger(product + weightSum)) return Math.floor((product + weightSum - 1) / weightSum);
  return Number((BigInt(distribute) * BigInt(weight) + BigInt(weightSum) - 1n) / BigInt(weightSum));
}

/**
 * Distribute `spec.totalReplicas` over `availableClusters`.
 * `current` and `capacity` are the live inputs upstream reads from member clusters; a render has
 * neither and passes empty maps. `key` is `<namespace>/<name>` of the federated object.
 */
export function plan(
  spec: PlannerSpec,
  availableClusters: readonly string[],
  current: ReadonlyMap<string, number>,
  capacity: ReadonlyMap<string, number>,
  key: string,
  trace?: PlanTrace,
): PlanResult {
  const planned = new Map<string, number>();
  const overflow = new Map<string, number>();
  let prefs: Named[] = [];

  for (const cluster of availableClusters) {
    const explicit = spec.clusters.get(cluster);
    const pref = explicit ?? spec.clusters.get('*');
    trace?.({ type: 'preference', cluster, source: explicit ? 'explicit' : pref ? 'wildcard' : 'none' });
    // Spelled out rather than spread: one object shape keeps this loop fast over many clusters.
    if (pref) prefs.push({ cluster, hash: fnv1_32(cluster + key), weight: pref.weight, minReplicas: pref.minReplicas, maxReplicas: pref.maxReplicas });
    else planned.set(cluster, 0);
  }
  // Upstream sorts by hash, not name, so single-replica workloads do not all land on the
  // alphabetically first cluster.
  prefs.sort((a, b) => b.weight - a.weight || a.hash - b.hash);
  trace?.({ type: 'order', clusters: prefs.map((p) => ({ cluster: p.cluster, weight: p.weight, hash: p.hash })) });

  let remaining = spec.totalReplicas;
  for (const p of prefs) {
    let m = Math.min(p.minReplicas, remaining);
    const cap = capacity.get(p.cluster);
    if (cap !== undefined) m = Math.min(m, cap);
    remaining -= m;
    planned.set(p.cluster, m);
    trace?.({ type: 'minimum', cluster: p.cluster, wanted: p.minReplicas, given: m, remaining });
  }

  // Without rebalance, replicas already running are kept where they are.
  const preallocated = new Map<string, number>();
  if (!spec.rebalance) {
    for (const p of prefs) {
      const start = planned.get(p.cluster)!;
      const count = current.get(p.cluster);
      if (count === undefined || count <= start) continue;
      let target = count;
      if (p.maxReplicas !== undefined) target = Math.min(p.maxReplicas, target);
      const cap = capacity.get(p.cluster);
      if (cap !== undefined) target = Math.min(cap, target);
      const extra = Math.max(0, Math.min(target - start, remaining));
      remaining -= extra;
      preallocated.set(p.cluster, extra);
      planned.set(p.cluster, start + extra);
      trace?.({ type: 'preallocate', cluster: p.cluster, current: count, extra, remaining });
    }
  }

  // Rounding up, maxima and capacity can leave replicas over after one pass; repeat over the
  // clusters that are not full until nothing changes.
  let modified = true;
  for (let round = 1; modified && remaining > 0; round++) {
    modified = false;
    let weightSum = 0;
    for (const p of prefs) weightSum += p.weight;
    const distribute = remaining;
    trace?.({ type: 'round', round, distribute, weightSum });
    const stillOpen: Named[] = [];
    for (const p of prefs) {
      if (weightSum <= 0) break;
      const start = planned.get(p.cluster)!;
      const share = ceilShare(distribute, p.weight, weightSum);
      let extra = Math.min(share, remaining);
      const limited = extra;
      let cappedBy: 'maxReplicas' | 'capacity' | undefined;
      const prealloc = preallocated.get(p.cluster) ?? 0;
      const used = Math.min(extra, prealloc);
      preallocated.set(p.cluster, prealloc - used);
      extra -= used;
      if (used > 0) modified = true;

      let total = start + extra;
      let full = false;
      if (p.maxReplicas !== undefined && total > p.maxReplicas) {
        total = p.maxReplicas;
        full = true;
        cappedBy = 'maxReplicas';
      }
      const cap = capacity.get(p.cluster);
      if (cap !== undefined && total > cap) {
        overflow.set(p.cluster, total - cap);
        total = cap;
        full = true;
        cappedBy = 'capacity';
      }
      if (!full) stillOpen.push(p);
      remaining -= total - start;
      planned.set(p.cluster, total);
      if (total > start) modified = true;
      trace?.({ type: 'share', cluster: p.cluster, weight: p.weight, share, extra: limited, start, total, ...(cappedBy ? { cappedBy } : {}), full, remaining });
    }
    prefs = stillOpen;
  }
  trace?.({ type: 'done', remaining });

  if (spec.rebalance) return { plan: planned, overflow };
  // Without rebalance the overflow is trimmed to what could not be placed anywhere.
  const trimmed = new Map<string, number>();
  for (const [cluster, v] of overflow) {
    const t = Math.min(v, remaining);
    if (t > 0) trimmed.set(cluster, t);
  }
  return { plan: planned, overflow: trimmed };
}
