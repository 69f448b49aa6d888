/**
 * @module render/hpa-demand
 * A member's HorizontalPodAutoscaler as demand (issue 12: "a cluster whose HPA wants more replicas
 * than it can hold overflows like any other demand"). What the HPA wants beyond what the member
 * can hold is the excess; each engine places it on its other clusters as its division places
 * replicas a full cluster cannot run (kubefed/hpa-overflow.ts, karmada/schedule.ts). Pure.
 *
 * What a member holds is what KubeFed's capacity reads when no pod has been unschedulable long:
 * the replicas its nodes took (desired − pending) plus how many more of the pod template fit. When
 * the HPA has already scaled the workload, its pods beyond that are pending and count for nothing.
 */
import type { FleetState, HpaState, WorkloadState } from '../state/model.js';
import { workloadOn } from './live.js';

export interface HpaExcess {
  readonly cluster: string;
  readonly workload: WorkloadState;
  readonly hpa: HpaState;
  /** What the member can hold of the workload. */
  readonly holds: number;
  /** hpa.desired − holds, at least 1. */
  readonly excess: number;
}

/** The replicas of a workload a member can run: those its nodes took plus how many more fit. */
export function holds(w: WorkloadState): number {
  return Math.max(0, w.desired - w.pending) + w.fit;
}

/** The clusters among `clusters` whose HPA for `key` wants more than they hold, in the order given. */
export function hpaExcess(state: FleetState, clusters: readonly string[], key: string): HpaExcess[] {
  const out: HpaExcess[] = [];
  for (const cluster of clusters) {
    const w = workloadOn(state, cluster, key);
    if (!w?.hpa) continue;
    const h = holds(w);
    if (w.hpa.desired > h) out.push({ cluster, workload: w, hpa: w.hpa, holds: h, excess: w.hpa.desired - h });
  }
  return out;
}

/** What a receiving member still has room for, beyond the `planned` replicas a division gave it. */
export function roomBeyond(state: FleetState, cluster: string, key: string, planned: number): number | undefined {
  const w = workloadOn(state, cluster, key);
  return w ? Math.max(0, holds(w) - planned) : undefined;
}

/** One line for explain: `onprem: HPA web wants 12 (bounds 1..12), holds 4 (4 running, 0 more fit): 8 to place elsewhere`. */
export function describeHpaExcess(e: HpaExcess): string {
  const w = e.workload;
  return `${e.cluster}: HPA ${e.hpa.name} wants ${e.hpa.desired} (bounds ${e.hpa.min}..${e.hpa.max}), the member holds ${e.holds} (${Math.max(0, w.desired - w.pending)} placed, ${w.fit} more fit): ${e.excess} to place elsewhere`;
}

export function sum(m: Iterable<number>): number {
  let s = 0;
  for (const v of m) s += v;
  return s;
}
