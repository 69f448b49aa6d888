/**
 * The planner's trace in plain sentences, for `gitfed explain`: which preference each cluster
 * got, the order and its tie-break, the minimums, and every share of every round.
 */
import type { ClusterPreferences, PlanEvent } from './planner.js';
import type { Rsp } from './rsp.js';

function describePrefs(p: ClusterPreferences): string {
  const parts = [`weight ${p.weight}`, `minReplicas ${p.minReplicas}`];
  if (p.maxReplicas !== undefined) parts.push(`maxReplicas ${p.maxReplicas}`);
  return parts.join(', ');
}

function hex(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}

function sentence(e: PlanEvent, rsp: Rsp, key: string, round: { distribute: number; weightSum: number }): string | undefined {
  switch (e.type) {
    case 'preference':
      if (e.source === 'explicit') return `${e.cluster}: its own entry {${describePrefs(rsp.clusters.get(e.cluster)!)}}.`;
      if (e.source === 'wildcard') return `${e.cluster}: no entry of its own, so "*" applies {${describePrefs(rsp.clusters.get('*')!)}}.`;
      return `${e.cluster}: no entry and no "*", so it is planned 0 replicas (it is still placed, with 0).`;
    case 'order':
      if (e.clusters.length === 0) return 'No cluster takes part in the split.';
      return `Order: weight descending, ties by FNV-1 hash of cluster name + "${key}" ascending: ${e.clusters.map((c) => `${c.cluster} (weight ${c.weight}, hash ${hex(c.hash)})`).join(', ')}.`;
    case 'minimum':
      if (e.wanted === 0) return undefined;
      return e.given === e.wanted
        ? `Minimum: ${e.cluster} gets its minReplicas ${e.given}; ${e.remaining} left.`
        : `Minimum: ${e.cluster} wants ${e.wanted} but only ${e.given} are left to give; ${e.remaining} left.`;
    case 'preallocate':
      return `Kept: ${e.cluster} already runs ${e.current}, so ${e.extra} more stay there; ${e.remaining} left.`;
    case 'round':
      if (e.weightSum === 0) return `Round ${e.round}: ${e.distribute} left, but the clusters still open have weight 0, so they stay unplaced.`;
      return `Round ${e.round}: ${e.distribute} to distribute by weight over a total weight of ${e.weightSum}.`;
    case 'share': {
      let s = `  ${e.cluster}: ceil(${round.distribute}×${e.weight}/${round.weightSum}) = ${e.share}`;
      if (e.extra < e.share) s += `, only ${e.extra} left`;
      s += `; ${e.start} -> ${e.start + e.extra}`;
      if (e.cappedBy === 'maxReplicas') s += `, capped at maxReplicas ${e.total} (full)`;
      if (e.cappedBy === 'capacity') s += `, capped at its capacity ${e.total} (full)`;
      return `${s}; ${e.remaining} left.`;
    }
    case 'done':
      return e.remaining > 0 ? `${e.remaining} replicas could not be placed (weights 0 or every cluster at its maximum).` : undefined;
  }
}

/** Sentences for one schedule, ending with the result per cluster. */
export function explainPlan(rsp: Rsp, events: readonly PlanEvent[], key: string, result: ReadonlyMap<string, number>, live = false): string[] {
  const lines = [
    `ReplicaSchedulingPreference ${rsp.src.pos.file}:${rsp.src.pos.line}: totalReplicas ${rsp.totalReplicas}, rebalance ${rsp.rebalance}.` +
      (rsp.defaulted ? ' spec.clusters is empty, so it defaults to {"*": {weight: 1}}.' : ''),
    ...(live ? [] : ['Live inputs are absent in a render without --state: every inventory cluster counts as Ready, and there are no current replica counts or capacity estimates, so nothing is kept in place and nothing overflows.']),
  ];
  let round = { distribute: 0, weightSum: 0 };
  for (const e of events) {
    if (e.type === 'round') round = e;
    const s = sentence(e, rsp, key, round);
    if (s !== undefined) lines.push(s);
  }
  const names = [...result.keys()].sort();
  lines.push(`Result: ${names.map((c) => `${c} ${result.get(c)}`).join(', ') || 'no cluster'}.`);
  return lines;
}
