/**
 * @module render/live
 * The observed state (src/state) as the engines read it: readiness, the taints Karmada's cluster
 * controller would add for it, and a workload's numbers on each member. Pure, like all of render:
 * the state arrives as data read from a state commit.
 *
 * A cluster the state has no document for counts as Ready with nothing observed (no current
 * replicas, no capacity), which is how a render without state treats every cluster.
 */
import type { FleetState, WorkloadState } from '../state/model.js';
import type { Cluster, Taint } from './types.js';

export type { FleetState, WorkloadState } from '../state/model.js';

export const NOT_READY_TAINT: Taint = { key: 'cluster.karmada.io/not-ready', effect: 'NoSchedule' };

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
 * Karmada's cluster controller taints a cluster whose Ready condition is False (or absent) with
 * `cluster.karmada.io/not-ready:NoSchedule` (reference/control-plane.md §3.5); the state says
 * which members are not ready, so their inventory entries get that taint here.
 */
export function withReadinessTaints(clusters: readonly Cluster[], state: FleetState | undefined): Cluster[] {
  if (!state) return [...clusters];
  return clusters.map((c) => {
    if (isReady(state, c.name) || c.taints.some((t) => t.key === NOT_READY_TAINT.key && t.effect === NOT_READY_TAINT.effect)) return c;
    return { ...c, taints: [...c.taints, NOT_READY_TAINT] };
  });
}

/** One sentence of what the state says about a workload on a member, for explain. */
export function describeWorkload(cluster: string, w: WorkloadState | undefined, free?: Readonly<Record<string, string>>): string {
  if (!w) return `${cluster}: not observed`;
  const room = free ? ` (free: ${Object.entries(free).map(([k, v]) => `${k} ${v}`).join(', ')})` : '';
  return `${cluster}: ${w.desired} desired, ${w.ready} ready, ${w.current} running, ${w.pending} pending (${w.unschedulable} unschedulable), room for ${w.fit} more${room}`;
}
