/**
 * @module karmada/hpa-overflow
 * A member HPA's demand under a Divided placement (render/hpa-demand.ts). The division of the
 * template's replicas stands; what an HPA wants beyond what its member holds is divided again,
 * alone, over the other selected clusters as the placement divides replicas: by the static weights,
 * or (dynamicWeight, Aggregated) by each cluster's room (what it holds less what the division gave
 * it) as a scale-up from nothing, group by group with overflowAffinities. What no cluster has room
 * for is placed nowhere: its pods stay pending where the HPA asked. A Duplicated workload does not
 * overflow: every cluster holds all of its replicas already, and its HPA keeps its bounds.
 *
 * The HPA keeps its own cluster's replicas, so the division's number there is not raised; the
 * clusters that receive the excess are told so (karmada/plan.ts raises their HPA bounds by it).
 */
import { describeHpaExcess, hpaExcess, roomBeyond, sum } from '../hpa-demand.js';
import { stateName, type FleetState } from '../live.js';
import type { Cluster } from '../types.js';
import { divideByEstimates, divideByStaticWeight, divideByTiers, type Division, type Estimate, type Strategy } from './divide.js';
import type { StaticClusterWeight } from './model.js';

export interface HpaDivision {
  readonly state: FleetState;
  readonly key: string;
  /** The selected clusters, sorted by name. */
  readonly selected: readonly Cluster[];
  /** The division of the template's replicas. */
  readonly targets: ReadonlyMap<string, number | undefined>;
  readonly strategy: Exclude<Strategy, 'Duplicated'>;
  readonly staticWeights?: readonly StaticClusterWeight[];
  /** overflowAffinities: each cluster's group (0: the term's own) and the groups' names. */
  readonly groups?: { readonly of: ReadonlyMap<string, number>; readonly names: readonly string[] };
}

export interface HpaPlacement {
  /** Receiving cluster -> the replicas of the excess it gets. */
  readonly added: Map<string, number>;
  readonly lines: string[];
}

/** Undefined when no selected cluster's HPA wants more than the cluster holds. */
export function placeHpaExcess(d: HpaDivision): HpaPlacement | undefined {
  const excess = hpaExcess(d.state, d.selected.map((c) => c.name), d.key);
  if (excess.length === 0) return undefined;
  const total = sum(excess.map((e) => e.excess));
  const sources = new Set(excess.map((e) => e.cluster));
  const receivers = d.selected.filter((c) => !sources.has(c.name));
  const lines = [`HPA demand in ${stateName(d.state)}:`, ...excess.map((e) => '  ' + describeHpaExcess(e))];
  let division: Division | { error: string } | undefined;
  if (receivers.length > 0 && d.strategy === 'StaticWeight') {
    lines.push(`The ${total} are divided over ${receivers.map((c) => c.name).join(', ')} by the static weights:`);
    division = divideByStaticWeight(total, receivers, d.staticWeights);
  } else if (receivers.length > 0 && d.strategy !== 'StaticWeight') {
    const strategy = d.strategy;
    const estimates: Estimate[] = receivers.map((c) => ({ name: c.name, assigned: 0, fit: roomBeyond(d.state, c.name, d.key, d.targets.get(c.name) ?? 0) ?? 0 }));
    const placeable = Math.min(total, sum(estimates.map((e) => e.fit)));
    lines.push(`The ${total} are divided over ${receivers.map((c) => c.name).join(', ')} by their room (what each holds less what the division gave it), ${placeable} of them as a scale-up:`);
    if (placeable > 0) {
      const tiers = d.groups;
      division = tiers
        ? divideByTiers(placeable, tiers.names.map((_, i) => estimates.filter((e) => (tiers.of.get(e.name) ?? 0) === i)), tiers.names, strategy)
        : divideByEstimates(placeable, estimates, strategy);
    }
  }
  // The placeable count never passes the room, so neither division can fail; an error places nothing.
  const added = division && !('error' in division) ? division.replicas : new Map<string, number>();
  if (division && !('error' in division)) lines.push(...division.steps.map((l) => '  ' + l));
  const placed = sum(added.values());
  lines.push(`Added: ${[...added].map(([c, n]) => `${c} +${n}`).join(', ') || 'none'}.`);
  if (placed < total) lines.push(`${total - placed} could be placed nowhere: their pods stay pending where the HPA asked for them.`);
  return { added, lines };
}
