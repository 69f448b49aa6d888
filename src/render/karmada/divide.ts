/**
 * @module karmada/divide
 * Replica counts and their division over the selected clusters (upstream
 * `pkg/scheduler/core/assignment.go`, `division_algorithm.go`, native `replica.go`).
 */
import type { Cluster, KubeObject } from '../types.js';
import { clusterMatches } from './cluster-affinity.js';
import type { Placement, StaticClusterWeight } from './model.js';
import { allocateWebsterSeats, type NameOrder } from './webster.js';

export type Strategy = 'Duplicated' | 'StaticWeight' | 'DynamicWeight' | 'Aggregated';

export function strategyOf(placement: Placement | undefined): Strategy {
  const rs = placement?.replicaScheduling;
  if (!rs || rs.replicaSchedulingType === 'Duplicated') return 'Duplicated';
  if (rs.replicaDivisionPreference === 'Aggregated') return 'Aggregated';
  return rs.weightPreference?.dynamicWeight ? 'DynamicWeight' : 'StaticWeight';
}

export interface WorkloadReplicas {
  /** What the scheduler divides. */
  readonly replicas: number;
  /** Pod resource requests or node constraints: a 0-replica workload with them goes nowhere. */
  readonly hasRequirements: boolean;
  /** The field the per-cluster count is written to (upstream ReviseReplica), if any. */
  readonly field?: 'replicas' | 'parallelism';
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const asInt = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

/**
 * The replica interpreter of the built-in workload kinds; undefined for every other kind (they
 * go to each selected cluster unchanged). Unlike upstream, which reads objects the API server
 * already defaulted, gitfed reads raw YAML, so the Kubernetes defaults (replicas 1, Job
 * parallelism 1) are applied here.
 */
export function workloadReplicas(obj: KubeObject): WorkloadReplicas | undefined {
  const spec = asObj(obj.spec) ?? {};
  const tmpl = asObj(asObj(spec.template)?.spec);
  switch (`${obj.apiVersion}/${obj.kind}`) {
    case 'apps/v1/Deployment':
    case 'apps/v1/ReplicaSet':
    case 'apps/v1/StatefulSet':
      return { replicas: asInt(spec.replicas) ?? 1, hasRequirements: podHasRequirements(tmpl), field: 'replicas' };
    case 'batch/v1/Job': {
      const parallelism = asInt(spec.parallelism) ?? 1;
      const completions = asInt(spec.completions) ?? parallelism;
      return { replicas: Math.min(parallelism, completions), hasRequirements: podHasRequirements(tmpl), field: 'parallelism' };
    }
    case 'v1/Pod':
      return { replicas: 1, hasRequirements: podHasRequirements(spec) };
    default:
      return undefined;
  }
}

function podHasRequirements(podSpec: Obj | undefined): boolean {
  if (!podSpec) return false;
  if (Object.keys(asObj(podSpec.nodeSelector) ?? {}).length > 0) return true;
  if (Array.isArray(podSpec.tolerations) && podSpec.tolerations.length > 0) return true;
  if (asObj(asObj(podSpec.affinity)?.nodeAffinity)) return true;
  for (const list of [podSpec.containers, podSpec.initContainers]) {
    for (const c of Array.isArray(list) ? list : []) {
      const req = asObj(asObj(asObj(c)?.resources)?.requests) ?? {};
      if (Object.values(req).some((q) => q !== 0 && q !== '0')) return true;
    }
  }
  return false;
}

export interface Division {
  /** Cluster -> replicas, zero-replica clusters removed, sorted by name. */
  readonly replicas: Map<string, number>;
  readonly steps: string[];
}

/**
 * Static weights: each cluster's weight is the largest of the staticWeightList entries whose
 * targetCluster it matches; weight 0 drops the cluster; if all are 0 (or weightPreference is
 * absent) every cluster weighs 1. Then Webster, ties to the name order.
 */
export function divideByStaticWeight(
  replicas: number,
  clusters: readonly Cluster[],
  weightList: readonly StaticClusterWeight[] | undefined,
  order: NameOrder = 'ascending',
): Division {
  const steps: string[] = [];
  const dropped: string[] = [];
  const votes = new Map<string, number>();
  if (weightList !== undefined) {
    for (const c of clusters) {
      let w = 0;
      for (const rule of weightList) if (clusterMatches(c, rule.targetCluster)) w = Math.max(w, rule.weight);
      if (w > 0) votes.set(c.name, w);
      else dropped.push(`${c.name} matches no staticWeightList entry with a weight above 0, so it gets no replicas.`);
    }
  }
  if (votes.size > 0) steps.push(...dropped);
  else {
    steps.push(weightList === undefined ? 'No weightPreference: every selected cluster weighs 1.' : 'No cluster has a weight above 0, so every cluster weighs 1.');
    for (const c of clusters) votes.set(c.name, 1);
  }
  steps.push(`Weights: ${[...votes].map(([n, w]) => `${n}=${w}`).join(', ')}.`);
  return { replicas: webster(replicas, votes, order, steps), steps };
}

/**
 * Capacity-driven division (dynamicWeight: AvailableReplicas, and Aggregated). `available` is in
 * the scheduler's order (capacity desc); Aggregated keeps its shortest prefix that holds them all.
 */
export function divideByCapacity(
  replicas: number,
  available: readonly { name: string; replicas: number }[],
  strategy: 'DynamicWeight' | 'Aggregated',
): Division | { error: string } {
  const total = available.reduce((s, c) => s + c.replicas, 0);
  if (total < replicas) return { error: `Clusters available replicas ${total} are not enough to schedule.` };
  let used = available;
  if (strategy === 'Aggregated') {
    let sum = 0;
    const n = available.findIndex((c) => (sum += c.replicas) >= replicas);
    used = available.slice(0, n + 1);
  }
  const steps = [`Capacity weights: ${used.map((c) => `${c.name}=${c.replicas}`).join(', ')}.`];
  return { replicas: webster(replicas, new Map(used.map((c) => [c.name, c.replicas])), 'ascending', steps), steps };
}

/** A candidate cluster's live numbers: replicas it holds now, and how many more fit (the estimate). */
export interface Estimate {
  readonly name: string;
  readonly assigned: number;
  readonly fit: number;
}

const byWeight = (weight: (e: Estimate) => number) => (a: Estimate, b: Estimate) => weight(b) - weight(a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Upstream's Steady mode (`assignment.go` dynamicScale*), with the replicas each candidate holds
 * now as the previous result; clusters that are no longer candidates (not ready, filtered) drop
 * out and their replicas are placed again as a scale-up:
 * - as many as wanted: unchanged (a change of capacity alone never moves replicas);
 * - more than wanted: the wanted count divided over the holders, weighted by what each holds;
 * - fewer: the difference divided by what fits where (Aggregated: the fewest clusters, holders
 *   first), added to what each holds.
 */
export function divideByEstimates(desired: number, candidates: readonly Estimate[], strategy: 'DynamicWeight' | 'Aggregated'): Division | { error: string } {
  const assigned = candidates.reduce((s, c) => s + c.assigned, 0);
  const held = candidates.filter((c) => c.assigned > 0);
  const holds = `Held now: ${held.map((c) => `${c.name} ${c.assigned}`).join(', ') || 'nothing'}.`;
  if (assigned === desired) {
    return { replicas: new Map([...held].sort(byWeight(() => 0)).map((c) => [c.name, c.assigned])), steps: [holds, `The candidates hold the ${desired} wanted: unchanged (a change of capacity alone never moves replicas).`] };
  }
  if (assigned > desired) {
    const d = divideByCapacity(desired, [...held].sort(byWeight((c) => c.assigned)).map((c) => ({ name: c.name, replicas: c.assigned })), strategy);
    if ('error' in d) return d;
    return { replicas: d.replicas, steps: [holds, `Scale down to ${desired}, weighted by what each holds.`, ...d.steps] };
  }
  const delta = desired - assigned;
  let order = [...candidates].sort(byWeight((c) => c.fit));
  if (strategy === 'Aggregated') order = [...order.filter((c) => c.assigned > 0), ...order.filter((c) => c.assigned === 0)];
  const d = divideByCapacity(delta, order.map((c) => ({ name: c.name, replicas: c.fit })), strategy);
  if ('error' in d) return d;
  const replicas = new Map<string, number>();
  for (const c of [...candidates].sort(byWeight(() => 0))) {
    const n = c.assigned + (d.replicas.get(c.name) ?? 0);
    if (n > 0) replicas.set(c.name, n);
  }
  return { replicas, steps: [holds, `${delta} more to place, weighted by how many more fit (AvailableReplicas).`, ...d.steps] };
}

/**
 * overflowAffinities (Karmada v1.18, `assignWorkloadReplicas`): the term's own group first, then
 * each overflow group in order. A group gets as many of the replicas still to place as it can hold
 * (what fits there plus what it holds), divided inside it as above; the rest go on to the next.
 * So the overflow groups fill last and, when replicas shrink, empty first.
 */
export function divideByTiers(desired: number, tiers: readonly (readonly Estimate[])[], names: readonly string[], strategy: 'DynamicWeight' | 'Aggregated'): Division | { error: string } {
  const replicas = new Map<string, number>();
  const steps: string[] = [];
  let remaining = desired;
  for (const [i, tier] of tiers.entries()) {
    if (tier.length === 0) continue;
    const room = tier.reduce((s, c) => s + c.fit + c.assigned, 0);
    const share = Math.min(remaining, room);
    steps.push(`Group ${names[i]} (${tier.map((c) => c.name).join(', ')}) can hold ${room}: it gets ${share} of the ${remaining} left.`);
    const d = divideByEstimates(share, tier, strategy);
    if ('error' in d) return d;
    steps.push(...d.steps.map((l) => '  ' + l));
    for (const [n, r] of d.replicas) replicas.set(n, r);
    remaining -= share;
    if (remaining <= 0) break;
  }
  if (remaining > 0) return { error: 'Clusters available replicas are not enough to schedule.' };
  return { replicas: new Map([...replicas].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), steps };
}

function webster(replicas: number, votes: ReadonlyMap<string, number>, order: NameOrder, steps: string[]): Map<string, number> {
  const parties = allocateWebsterSeats(replicas, votes, new Map(), order);
  const sum = [...votes.values()].reduce((s, v) => s + v, 0);
  steps.push(
    `Webster method: ${replicas} replica(s) handed out one at a time to the cluster with the largest weight/(2*replicas+1); ` +
      `ties go to the cluster with fewer replicas, then to the name first in ${order} order.`,
  );
  const out = new Map<string, number>();
  for (const p of parties) {
    steps.push(`${p.name}: weight ${p.votes} of ${sum} -> ${p.seats} replica(s).`);
    if (p.seats > 0) out.set(p.name, p.seats);
  }
  return out;
}
