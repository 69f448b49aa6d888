/**
 * @module karmada/schedule
 * The scheduler's pipeline for one template under its winning policy (upstream
 * `generic_scheduler.go`, `scheduler.go`): filter (taints, affinity, spread fields) -> select
 * (spread constraints) -> assign replicas -> drop zero-replica clusters. With ordered
 * clusterAffinities each term is tried in turn, from the one the replicas are in, and the first
 * that schedules wins.
 */
import type { Cluster } from '../types.js';
import { affinityMismatch, clusterMatches } from './cluster-affinity.js';
import { divideByEstimates, divideByStaticWeight, divideByTiers, strategyOf, type Estimate, type WorkloadReplicas } from './divide.js';
import { placeHpaExcess } from './hpa-overflow.js';
import { holds } from '../hpa-demand.js';
import { describeWorkload, observedAt, stateName, workloadOn, type FleetState } from '../live.js';
import { formatTime } from '../../state/model.js';
import type { ClusterAffinity, ClusterAffinityTerm, Placement } from './model.js';
import { selectBestClusters, sortCandidates, spreadIgnored, type CandidateCluster } from './spread.js';
import { formatTaint, noExecuteEviction, untoleratedTaint, type Eviction } from './tolerations.js';

export type ScheduleOutcome =
  | {
      readonly ok: true;
      /** Cluster -> replicas (undefined when the template is not divided: it goes unchanged). */
      readonly targets: Map<string, number | undefined>;
      readonly affinityName?: string;
      readonly placement: string[];
      readonly scheduling: string[];
      /** Replicas a cluster gets because another's HPA wants more than that one holds (hpa-overflow.ts). */
      readonly hpaOverflow?: ReadonlyMap<string, number>;
    }
  | {
      readonly ok: false;
      /** NoClusterFit: nothing passed the filters. SchedulingFailed: the constraints cannot be met. */
      readonly code: 'NoClusterFit' | 'SchedulingFailed';
      readonly message: string;
      readonly placement: string[];
      readonly scheduling: string[];
    };

/** The observed state and the template's key in it (`render --state`). */
export interface Live {
  readonly state: FleetState;
  readonly key: string;
}

/**
 * `clusters` sorted by name: without state a render has no scores, so name order is upstream's
 * last tie-break and ours. With state, clusters already holding replicas score first and the
 * estimates order and divide (dynamicWeight, Aggregated).
 */
export function schedule(placement: Placement, clusters: readonly Cluster[], workload: WorkloadReplicas | undefined, live?: Live): ScheduleOutcome {
  const terms = placement.clusterAffinities ?? [];
  if (terms.length === 0) return scheduleTerm(placement, placement.clusterAffinity, clusters, workload, live);
  const placementLines: string[] = [];
  const schedulingLines: string[] = [];
  let allNoFit = true;
  let last = '';
  const start = observedTerm(terms, clusters, live);
  if (start.index > 0) placementLines.push(start.line!);
  for (const [i, term] of terms.entries()) {
    if (i < start.index) continue;
    const r = scheduleTerm(placement, term, clusters, workload, live);
    placementLines.push(`clusterAffinities term ${i} (${term.affinityName}):`, ...r.placement.map((l) => '  ' + l));
    schedulingLines.push(...r.scheduling);
    if (r.ok) {
      placementLines.push(
        live
          ? `Term ${term.affinityName} schedules, so it is used. As upstream keeps the term it observed last, the replicas stay in it until it cannot hold them, the placement changes or a reschedule is asked for: they do not move back to an earlier term by themselves.`
          : `Term ${term.affinityName} schedules, so it is used. Live Karmada would keep the term it observed last until a reschedule; a render without state knows no such term and starts from the first.`,
      );
      return { ...r, affinityName: term.affinityName, placement: placementLines, scheduling: schedulingLines };
    }
    placementLines.push(`Term ${term.affinityName} fails (${r.message}); trying the next term.`);
    if (r.code !== 'NoClusterFit') allNoFit = false;
    last = r.message;
  }
  return {
    ok: false,
    code: allNoFit ? 'NoClusterFit' : 'SchedulingFailed',
    message: `no clusterAffinities term can be scheduled (last: ${last})`,
    placement: placementLines,
    scheduling: schedulingLines,
  };
}

/**
 * The term to start from. Upstream starts from the term it observed last
 * (`status.schedulerObservedAffinityName`), and from the first only when the placement changed or
 * a reschedule was asked for, so replicas that moved on to a later term (their clusters not ready,
 * or full) stay there when the earlier term's clusters come back. The state says where the
 * replicas are: each cluster holding some belongs to the first term that matches it (with its
 * overflow groups); the term observed is the latest of those. Nothing held: the first term.
 */
function observedTerm(terms: readonly ClusterAffinityTerm[], clusters: readonly Cluster[], live: Live | undefined): { index: number; line?: string } {
  if (!live) return { index: 0 };
  let index = 0;
  const holders: string[] = [];
  for (const c of clusters) {
    if ((workloadOn(live.state, c.name, live.key)?.desired ?? 0) === 0) continue;
    const i = terms.findIndex((t) => clusterMatches(c, t) || (t.overflowAffinities ?? []).some((o) => clusterMatches(c, o)));
    if (i < 0) continue;
    holders.push(`${c.name} (term ${terms[i]!.affinityName})`);
    index = Math.max(index, i);
  }
  if (index === 0) return { index };
  const skipped = terms.slice(0, index).map((t) => t.affinityName).join(', ');
  return { index, line: `The replicas are in term ${terms[index]!.affinityName} in ${stateName(live.state)} (held by ${holders.join(', ')}): scheduling starts there, as upstream starts from the term it observed last; earlier terms (${skipped}) are not tried.` };
}

function scheduleTerm(placement: Placement, affinity: ClusterAffinity | ClusterAffinityTerm | undefined, clusters: readonly Cluster[], workload: WorkloadReplicas | undefined, live?: Live): ScheduleOutcome {
  const lines: string[] = [];
  const scheduling: string[] = [];
  const tolerations = placement.clusterTolerations ?? [];
  const spreadFields = (placement.spreadConstraints ?? []).map((s) => s.spreadByField).filter((f): f is 'region' | 'zone' | 'provider' => f === 'region' || f === 'zone' || f === 'provider');
  const divided = workload !== undefined && (workload.replicas > 0 || workload.hasRequirements);
  // Upstream widens a term by its overflow groups for workloads only: a ConfigMap needs no room.
  const overflow = divided && affinity && 'overflowAffinities' in affinity ? (affinity.overflowAffinities ?? []) : [];
  const overflowOrder = new Map<string, number>();
  const observed = (name: string) => (live ? workloadOn(live.state, name, live.key) : undefined);
  const now = live ? observedAt(live.state) : undefined;
  const feasible: Cluster[] = [];
  for (const c of clusters) {
    // Upstream skips the taint filter where the template is scheduled already; with state, that is
    // where the member holds its replicas. What stays there is up to the NoExecute taint manager.
    const held = (observed(c.name)?.desired ?? 0) > 0;
    const untolerated = untoleratedTaint(c.taints, tolerations);
    const taint = held ? undefined : untolerated;
    const eviction: Eviction = now !== undefined ? noExecuteEviction(c.taints, tolerations, now) : { evict: false };
    let mismatch = affinity ? affinityMismatch(c, affinity) : undefined;
    const group = mismatch ? overflow.findIndex((o) => clusterMatches(c, o)) : -1;
    if (group >= 0) {
      mismatch = undefined;
      overflowOrder.set(c.name, group + 1);
    }
    const missing = spreadFields.find((f) => (f === 'zone' ? c.zones.length === 0 : !c[f]));
    if (taint) lines.push(`${c.name}: excluded, taint ${formatTaint(taint)} is not tolerated by clusterTolerations.`);
    else if (eviction.evict) lines.push(`${c.name}: excluded, ${evictionSentence(eviction, now!)}.`);
    else if (mismatch) lines.push(`${c.name}: excluded, ${mismatch}.`);
    else if (missing) lines.push(`${c.name}: excluded, it has no ${missing}, which the ${missing} spread constraint needs.`);
    else {
      const until = eviction.until !== undefined ? `; its NoExecute taints are tolerated until ${formatTime(eviction.until)}` : '';
      lines.push(`${c.name}: passes the filters${group >= 0 ? ` (overflow group ${overflow[group]!.affinityName})` : ''}${held && untolerated ? ` (taint ${formatTaint(untolerated)} is not checked: it holds replicas, and upstream skips the taint filter for a cluster already scheduled)` : ''}${until}.`);
      feasible.push(c);
    }
  }
  const fail = (code: 'NoClusterFit' | 'SchedulingFailed', message: string): ScheduleOutcome => ({ ok: false, code, message, placement: lines, scheduling });
  if (feasible.length === 0) return fail('NoClusterFit', 'no cluster passes the filters');

  const replicas = workload?.replicas ?? 0;
  if ((placement.spreadConstraints ?? []).length > 0 && spreadIgnored(placement)) {
    lines.push('spreadConstraints are ignored: Karmada skips them when replicas are divided by static weights.');
  }
  const byName = new Map(feasible.map((c) => [c.name, c]));
  // Upstream's ClusterLocality scores 100 where the workload is scheduled; AvailableReplicas = estimate + held.
  const candidates: CandidateCluster[] = sortCandidates(feasible.map((c) => {
    const w = observed(c.name);
    return { name: c.name, score: w && w.desired > 0 ? 100 : 0, available: live ? (w?.fit ?? 0) + (w?.desired ?? 0) : Infinity, region: c.region, overflowOrder: overflowOrder.get(c.name) ?? 0 };
  }));
  const spread = selectBestClusters(placement, candidates, replicas);
  if ('error' in spread) return fail('SchedulingFailed', `spread constraints: ${spread.error}`);
  const selected = spread.clusters.map((c) => byName.get(c.name)!).sort((a, b) => (a.name < b.name ? -1 : 1));
  if (selected.length === 0) {
    const unset = (placement.spreadConstraints ?? []).some((s) => !s.maxGroups);
    return fail('SchedulingFailed', `no clusters available to schedule${unset ? ' (a spread constraint has no maxGroups, which upstream reads as 0 clusters)' : ''}`);
  }
  if ((placement.spreadConstraints ?? []).length > 0 && !spreadIgnored(placement)) {
    lines.push(`Spread constraints select ${selected.map((c) => c.name).join(', ')}${live ? ` (by score and available replicas in ${stateName(live.state)}, then name)` : ' (no scores or capacity in a render without state: ties go by name)'}.`);
  }

  const targets = new Map<string, number | undefined>();
  if (!divided) {
    scheduling.push(workload ? `The template asks for 0 replicas and no resources, so it goes to every selected cluster unchanged.` : 'Not a workload with replicas: it goes to every selected cluster unchanged.');
    for (const c of selected) targets.set(c.name, undefined);
    return { ok: true, targets, placement: lines, scheduling };
  }
  const strategy = strategyOf(placement);
  if (strategy === 'Duplicated') {
    scheduling.push(`Duplicated: every selected cluster gets all ${replicas} replica(s).`);
    for (const c of selected) if (replicas > 0) targets.set(c.name, replicas);
  } else if (strategy === 'StaticWeight') {
    scheduling.push(`Divided by static weights: ${replicas} replica(s) over ${selected.length} cluster(s).`);
    const d = divideByStaticWeight(replicas, selected, placement.replicaScheduling?.weightPreference?.staticWeightList ?? (placement.replicaScheduling?.weightPreference ? [] : undefined));
    scheduling.push(...d.steps);
    for (const [n, r] of d.replicas) targets.set(n, r);
  } else if (live) {
    scheduling.push(`${strategy === 'Aggregated' ? 'Divided, Aggregated' : 'Divided by dynamicWeight AvailableReplicas'}: ${replicas} replica(s) from the estimates in ${stateName(live.state)}:`);
    for (const c of selected) scheduling.push('  ' + describeWorkload(c.name, observed(c.name), live.state.members.get(c.name)?.free));
    // Where a member's HPA sets the replicas, what the members run is not the previous division
    // (Steady mode's input): divide afresh by what each can hold, which no HPA or overflow changes.
    const hpaScaled = selected.some((c) => observed(c.name)?.hpa !== undefined);
    if (hpaScaled) scheduling.push('  An HPA on a member sets the replicas there, so what the members run is not the previous division: the replicas are divided afresh by what each cluster can hold (the replicas it runs plus how many more fit).');
    const estimate = (c: Cluster): Estimate => {
      const w = observed(c.name);
      return hpaScaled ? { name: c.name, assigned: 0, fit: w ? holds(w) : 0 } : { name: c.name, assigned: w?.desired ?? 0, fit: w?.fit ?? 0 };
    };
    const d = overflow.length > 0
      ? divideByTiers(replicas, [0, ...overflow.map((_, i) => i + 1)].map((t) => selected.filter((c) => (overflowOrder.get(c.name) ?? 0) === t).map(estimate)), [(affinity as ClusterAffinityTerm).affinityName, ...overflow.map((o) => o.affinityName)], strategy)
      : divideByEstimates(replicas, selected.map(estimate), strategy);
    if ('error' in d) return fail('SchedulingFailed', d.error);
    scheduling.push(...d.steps);
    for (const [n, r] of d.replicas) targets.set(n, r);
  } else {
    return fail('SchedulingFailed', `${strategy} division needs live capacity estimates`);
  }
  const hpa = live && strategy !== 'Duplicated'
    ? placeHpaExcess({
        state: live.state, key: live.key, selected, targets, strategy,
        ...(strategy === 'StaticWeight' ? { staticWeights: placement.replicaScheduling?.weightPreference?.staticWeightList ?? (placement.replicaScheduling?.weightPreference ? [] : undefined) } : {}),
        ...(overflow.length > 0 ? { groups: { of: overflowOrder, names: [(affinity as ClusterAffinityTerm).affinityName, ...overflow.map((o) => o.affinityName)] } } : {}),
      })
    : undefined;
  if (hpa) {
    scheduling.push(...hpa.lines);
    for (const [n, r] of hpa.added) targets.set(n, (targets.get(n) ?? 0) + r);
  }
  if (targets.size < selected.length) {
    scheduling.push(`Clusters left with 0 replicas are dropped: ${selected.filter((c) => !targets.has(c.name)).map((c) => c.name).join(', ')}.`);
  }
  return { ok: true, targets, placement: lines, scheduling, ...(hpa && hpa.added.size > 0 ? { hpaOverflow: hpa.added } : {}) };
}

/** Why the NoExecute taint manager evicts: a taint no toleration tolerates, or a toleration that ran out. */
function evictionSentence(e: Extract<Eviction, { evict: true }>, now: number): string {
  if (e.untolerated) return `evicted: taint ${formatTaint(e.untolerated)} is not tolerated by clusterTolerations`;
  return `evicted: its NoExecute taints were tolerated until ${formatTime(e.ranOut!)}, and the state was observed at ${formatTime(now)}`;
}
