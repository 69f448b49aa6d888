/**
 * @module karmada/spread
 * spreadConstraints: choosing the clusters among the feasible ones (upstream
 * `pkg/scheduler/core/spreadconstraint`). Only `cluster` and `region` select; `zone` and
 * `provider` act only as filters (schedule.ts). A renderer has no scores (every cluster scores 0:
 * nothing was scheduled before) and no capacity estimates; callers pass `available: Infinity`
 * for that, and the functions here stay faithful to upstream for any numbers given.
 */
import type { Placement, SpreadConstraint } from './model.js';

export interface CandidateCluster {
  readonly name: string;
  readonly score: number;
  /** Replicas the cluster can still take; Infinity when unknown. */
  readonly available: number;
  readonly region?: string;
  /** 0 in a term's own group, i + 1 in its i-th overflowAffinities group: the lower first. */
  readonly overflowOrder?: number;
}

export type SpreadResult = { readonly clusters: CandidateCluster[] } | { readonly error: string };

/** Upstream sortClusters: score desc, then available replicas desc, then name asc. */
export function sortCandidates(list: CandidateCluster[]): CandidateCluster[] {
  return list.sort((a, b) => {
    if ((a.overflowOrder ?? 0) !== (b.overflowOrder ?? 0)) return (a.overflowOrder ?? 0) - (b.overflowOrder ?? 0);
    if (a.score !== b.score) return b.score - a.score;
    if (a.available !== b.available) return a.available > b.available ? -1 : 1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

/** Static weights make the scheduler skip spread constraints entirely (issue #4805). */
export function spreadIgnored(placement: Placement): boolean {
  const rs = placement.replicaScheduling;
  if (!rs || rs.replicaSchedulingType !== 'Divided' || rs.replicaDivisionPreference !== 'Weighted') return false;
  const wp = rs.weightPreference;
  return wp === undefined || ((wp.staticWeightList ?? []).length > 0 && !wp.dynamicWeight);
}

function capacityIgnored(placement: Placement): boolean {
  const rs = placement.replicaScheduling;
  return !rs || rs.replicaSchedulingType === 'Duplicated';
}

/** Upstream SelectBestClusters. `candidates` must already be sorted (sortCandidates). */
export function selectBestClusters(placement: Placement, candidates: CandidateCluster[], needReplicas: number): SpreadResult {
  const constraints = placement.spreadConstraints ?? [];
  if (constraints.length === 0 || spreadIgnored(placement)) return { clusters: candidates };
  const need = capacityIgnored(placement) ? -1 : needReplicas;
  const byField = new Map<string, SpreadConstraint>();
  for (const c of constraints) byField.set(c.spreadByField ?? '', c);
  const region = byField.get('region');
  const cluster = byField.get('cluster');
  if (region) return selectByRegion(region, cluster, candidates, placement, needReplicas);
  if (cluster) return selectByCluster(cluster, candidates, need);
  return { error: 'just support cluster and region spread constraint' };
}

function selectByCluster(sc: SpreadConstraint, candidates: CandidateCluster[], needReplicas: number): SpreadResult {
  if (candidates.length < (sc.minGroups ?? 0)) {
    return { error: `the number of feasible clusters (${candidates.length}) is less than spreadConstraint.MinGroups (${sc.minGroups})` };
  }
  const needCnt = Math.min(candidates.length, sc.maxGroups ?? 0);
  if (needReplicas === -1) return { clusters: candidates.slice(0, needCnt) };
  const picked = selectByAvailableResource(candidates, needCnt, needReplicas);
  return picked.length === 0 ? { error: `no enough resource when selecting ${needCnt} clusters` } : { clusters: picked };
}

// When the best-scored clusters lack room, the lowest-scored picks are swapped, from the end,
// for the roomiest clusters left over.
function selectByAvailableResource(candidates: CandidateCluster[], needCnt: number, needReplicas: number): CandidateCluster[] {
  const ret = candidates.slice(0, needCnt);
  const rest = candidates.slice(needCnt);
  const enough = (): boolean => ret.reduce((s, c) => s + c.available, 0) >= needReplicas;
  for (let i = ret.length - 1; !enough() && i >= 0; i--) {
    let best = -1;
    let max = ret[i]!.available;
    rest.forEach((c, j) => {
      if (max < c.available) {
        best = j;
        max = c.available;
      }
    });
    if (best === -1) continue;
    [ret[i], rest[best]] = [rest[best]!, ret[i]!];
  }
  return enough() ? ret : [];
}

interface Region {
  readonly name: string;
  readonly clusters: CandidateCluster[];
  score: number;
}

function selectByRegion(
  regionSc: SpreadConstraint,
  clusterSc: SpreadConstraint | undefined,
  candidates: CandidateCluster[],
  placement: Placement,
  replicas: number,
): SpreadResult {
  const regions = new Map<string, Region>();
  for (const c of candidates) {
    if (!c.region) continue;
    let r = regions.get(c.region);
    if (!r) regions.set(c.region, (r = { name: c.region, clusters: [], score: 0 }));
    r.clusters.push(c);
  }
  for (const r of regions.values()) r.score = groupScore(r.clusters, placement, replicas, regionSc.minGroups ?? 0, clusterSc?.minGroups ?? 0);
  if (regions.size < (regionSc.minGroups ?? 0)) {
    return { error: `the number of feasible regions (${regions.size}) is less than spreadConstraint.MinGroups (${regionSc.minGroups})` };
  }
  const chosen = selectGroups(
    [...regions.values()].map((r) => ({ name: r.name, value: r.clusters.length, weight: r.score })),
    regionSc.minGroups ?? 0,
    regionSc.maxGroups ?? 0,
    clusterSc?.minGroups ?? 0,
  );
  if (chosen.length === 0) return { error: 'the number of clusters is less than the cluster spreadConstraint.MinGroups' };
  const selected: CandidateCluster[] = [];
  const rest: CandidateCluster[] = [];
  for (const g of chosen) {
    const r = regions.get(g.name)!;
    selected.push(r.clusters[0]!);
    rest.push(...r.clusters.slice(1));
  }
  const needCnt = Math.min(selected.length + rest.length, clusterSc?.maxGroups ?? 0);
  sortCandidates(rest);
  const restCnt = needCnt - selected.length;
  for (let i = 0; i < restCnt; i++) selected.push(rest[i]!);
  return { clusters: selected };
}

const weightUnit = 1000;

/** Upstream calcGroupScore: capacity first (in units of 1000), the mean cluster score second. */
export function groupScore(clusters: readonly CandidateCluster[], placement: Placement, replicas: number, minGroups: number, clusterMinGroups: number): number {
  if (capacityIgnored(placement)) {
    const valid = clusters.filter((c) => c.available >= replicas);
    if (valid.length === 0) return 0;
    return valid.length * weightUnit + Math.trunc(valid.reduce((s, c) => s + c.score, 0) / valid.length);
  }
  const target = Math.ceil(replicas / minGroups);
  const needClusters = Math.max(clusterMinGroups, minGroups);
  let sumAvailable = 0;
  let sumScore = 0;
  let valid = 0;
  for (const c of clusters) {
    sumAvailable += c.available;
    sumScore += c.score;
    valid++;
    if (valid >= needClusters && sumAvailable >= target) break;
  }
  if (sumAvailable < target) return sumAvailable * weightUnit + Math.trunc(sumScore / clusters.length);
  return target * weightUnit + Math.trunc(sumScore / valid);
}

export interface Group {
  readonly name: string;
  /** Clusters in the group. */
  readonly value: number;
  /** The group's score. */
  readonly weight: number;
}

interface Path {
  id: number;
  groups: Group[];
  weight: number;
  value: number;
}

/**
 * Upstream selectGroups: every combination of min..max groups holding at least `target` clusters
 * (depth-first over groups sorted by size asc, score desc, name), then the best by total score,
 * total size and discovery order, preferring a shorter prefix of the winner.
 */
export function selectGroups(groups: Group[], min: number, max: number, target: number): Group[] {
  if (groups.length === 0) return [];
  const sorted = [...groups].sort((a, b) => {
    if (a.value !== b.value) return a.value - b.value;
    if (a.weight !== b.weight) return b.weight - a.weight;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  const paths: Path[] = [];
  const stack: Group[] = [];
  let nextId = 0;
  const dfs = (sum: number, begin: number): void => {
    if (sum >= target && stack.length >= min && stack.length <= max) {
      const g = [...stack].sort((a, b) => (a.weight !== b.weight ? b.weight - a.weight : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      paths.push({ id: ++nextId, groups: g, weight: g.reduce((s, x) => s + x.weight, 0), value: g.reduce((s, x) => s + x.value, 0) });
      return;
    }
    if (stack.length >= max) return;
    for (let i = begin; i < sorted.length; i++) {
      stack.push(sorted[i]!);
      dfs(sum + sorted[i]!.value, i + 1);
      if (sorted.length === min) break;
      stack.pop();
    }
  };
  dfs(0, 0);
  if (paths.length === 0) return [];
  paths.sort((a, b) => (a.weight !== b.weight ? b.weight - a.weight : a.value !== b.value ? b.value - a.value : a.id - b.id));
  let best = paths[0]!;
  for (const p of paths.slice(1)) {
    if (p.groups.length < best.groups.length && p.groups.every((g, i) => best.groups[i]!.name === g.name)) best = p;
  }
  return best.groups;
}
