/**
 * @module render/live
 * The observed state (src/state) as the engines read it: readiness, the taints Karmada's cluster
 * controller would add for it, and a workload's numbers on each member. Pure, like all of render:
 * the state arrives as data read from a state commit.
 *
 * A cluster the state has no document for counts as Ready with nothing observed (no current
 * replicas, no capacity), which is how a render without state treats every cluster.
 */
import { timeOf, type FleetState, type WorkloadState } from '../state/model.js';
import type { Cluster, Taint } from './types.js';

export type { FleetState, WorkloadState } from '../state/model.js';

export const NOT_READY_KEY = 'cluster.karmada.io/not-ready';

export function isReady(state: FleetState | undefined, cluster: string): boolean {
  return state?.members.get(cluster)?.ready ?? true;
}

export function workloadOn(state: FleetState | undefined, cluster: string, key: string): WorkloadState | undefined {
  return state?.members.get(cluster)?.workloads[key];
}

/** The commit a render's live inputs come from, for sentences: `state 1a2b3c4`. */
export function stateName(state: FleetState): string {
  return state.commit ? `state ${state.commit.slice(0, 7)}` : 'the given state';
}

/**
 * The taints a member observed not ready gets, added when it stopped being ready (`readySince`):
 * - `cluster.karmada.io/not-ready:NoSchedule`, as Karmada's cluster controller adds it for a
 *   Ready condition False or absent (`taintClusterByCondition`): no new placements there;
 * - `cluster.karmada.io/not-ready:NoExecute`, which upstream adds only through a ClusterTaintPolicy
 *   (v1.14+; before, the controller itself): its taint manager evicts what does not tolerate it,
 *   and what tolerates it with `tolerationSeconds` once that time has run out.
 * gitfed adds both, so a not-ready member fails over unless a policy tolerates it. The state does
 * not tell Ready=False from Unknown, so upstream's `cluster.karmada.io/unreachable` is not used.
 * An inventory taint of the same key and effect stands as written.
 */
export function withReadinessTaints(clusters: readonly Cluster[], state: FleetState | undefined): Cluster[] {
  if (!state) return [...clusters];
  return clusters.map((c) => {
    const m = state.members.get(c.name);
    if (!m || m.ready) return c;
    const add = (['NoSchedule', 'NoExecute'] as const)
      .filter((effect) => !c.taints.some((t) => t.key === NOT_READY_KEY && t.effect === effect))
      .map((effect): Taint => ({ key: NOT_READY_KEY, effect, timeAdded: timeOf(m.readySince) }));
    return add.length === 0 ? c : { ...c, taints: [...c.taints, ...add] };
  });
}

/**
 * The state's observation time: its commit's time; for a state not read from git, the latest
 * time a member document records (a lower bound).
 */
export function observedAt(state: FleetState): number {
  if (state.observedAt !== undefined) return state.observedAt;
  let t = -Infinity;
  for (const m of state.members.values()) t = Math.max(t, timeOf(m.changedAt), timeOf(m.readySince));
  return t;
}

/** One sentence of what the state says about a workload on a member, for explain. */
export function describeWorkload(cluster: string, w: WorkloadState | undefined, free?: Readonly<Record<string, string>>): string {
  if (!w) return `${cluster}: not observed`;
  const room = free ? ` (free: ${Object.entries(free).map(([k, v]) => `${k} ${v}`).join(', ')})` : '';
  const hpa = w.hpa ? `; HPA ${w.hpa.name} wants ${w.hpa.desired} (bounds ${w.hpa.min}..${w.hpa.max})` : '';
  return `${cluster}: ${w.desired} desired, ${w.ready} ready, ${w.current} running, ${w.pending} pending (${w.unschedulable} unschedulable), room for ${w.fit} more${room}${hpa}`;
}
