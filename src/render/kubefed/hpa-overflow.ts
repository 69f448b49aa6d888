/**
 * @module kubefed/hpa-overflow
 * A member HPA's demand under a ReplicaSchedulingPreference (render/hpa-demand.ts). The RSP's plan
 * stands; what an HPA wants beyond what its member holds is planned again, alone, over the other
 * available clusters with the RSP's weights and maxima, and each cluster's room (what it holds less
 * what the plan gave it) as its capacity: the planner's own way with replicas a full cluster cannot
 * run. What no cluster has room for is placed nowhere: its pods stay pending where the HPA asked.
 *
 * The HPA keeps its own cluster's replicas (apply leaves `/spec/replicas` to it where an ignore rule
 * says so), so the plan's number there is not raised.
 */
import { describeHpaExcess, hpaExcess, roomBeyond, sum } from '../hpa-demand.js';
import { stateName, type FleetState } from '../live.js';
import { plan, type ClusterPreferences } from './planner.js';
import type { Rsp } from './rsp.js';

export interface HpaOverflow {
  /** The plan's replicas with the excess added. */
  readonly replicas: Map<string, number>;
  /** Receiving cluster -> the replicas of the excess it gets. */
  readonly added: Map<string, number>;
  readonly lines: readonly string[];
}

/** Undefined when no available cluster's HPA wants more than the cluster holds. */
export function hpaOverflow(rsp: Rsp, available: readonly string[], key: string, member: string, state: FleetState, planned: ReadonlyMap<string, number>): HpaOverflow | undefined {
  const excess = hpaExcess(state, available, member);
  if (excess.length === 0) return undefined;
  const total = sum(excess.map((e) => e.excess));
  const sources = new Set(excess.map((e) => e.cluster));
  const receivers = available.filter((c) => !sources.has(c));
  const prefs = new Map<string, ClusterPreferences>();
  const capacity = new Map<string, number>();
  for (const c of receivers) {
    const p = rsp.clusters.get(c) ?? rsp.clusters.get('*');
    if (!p) continue;
    const base = planned.get(c) ?? 0;
    prefs.set(c, { weight: p.weight, minReplicas: 0, ...(p.maxReplicas !== undefined ? { maxReplicas: Math.max(0, p.maxReplicas - base) } : {}) });
    const room = roomBeyond(state, c, member, base);
    if (room !== undefined) capacity.set(c, room);
  }
  const extra = plan({ totalReplicas: total, rebalance: true, clusters: prefs }, receivers, new Map(), capacity, key).plan;
  const replicas = new Map(planned);
  const added = new Map([...extra].filter(([, n]) => n > 0));
  for (const [c, n] of added) replicas.set(c, (replicas.get(c) ?? 0) + n);
  const placed = sum(extra.values());
  const to = [...added].map(([c, n]) => `${c} +${n}`);
  const lines = [
    `HPA demand in ${stateName(state)}:`,
    ...excess.map((e) => '  ' + describeHpaExcess(e)),
    `The ${total} go to the other clusters by the RSP's weights and maxima, each up to its room (what it holds less what the plan gave it): ${to.join(', ') || 'none'}.`,
    ...(placed < total ? [`${total - placed} could be placed nowhere: their pods stay pending where the HPA asked for them.`] : []),
  ];
  return { replicas, added, lines };
}
