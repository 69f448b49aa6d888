/**
 * @module kubefed/hpa-division
 * A FederatedHorizontalPodAutoscaler whose template scales a workload that a
 * ReplicaSchedulingPreference divides gets its bounds divided over the clusters where both go, in
 * proportion to the replicas the RSP gave the workload there: the same division, rounding and
 * rules as a Karmada HPA template (karmada/hpa.ts divideHpaBounds). Upstream KubeFed sends every
 * cluster the template's bounds, so n clusters scale between n·min and n·max.
 *
 * - A cluster the HPA goes to where the workload has no replicas keeps the template's bounds (its
 *   HPA has nothing to scale); a workload no RSP divides keeps them everywhere.
 * - The object's own `/spec/minReplicas` or `/spec/maxReplicas` override for a cluster is the
 *   user's word and wins over the division, field by field; the other field keeps its share,
 *   moved just enough that min <= max still holds.
 * - With observed state, a cluster running replicas for another cluster's HPA has its bounds
 *   raised by them on top of the above (kubefed/hpa-bounds.ts); where the RSP gave the workload
 *   nothing its share is 0..0, so it gets n..n, as Karmada's.
 * The division is written as overrides (noted, so explain names the RSP) and described in the
 * HPA's explanation.
 */
import { divideHpaBounds, hpaBounds, type HpaBounds } from '../karmada/hpa.js';
import type { FederatedDoc } from './federated.js';
import { hpasByTarget, raiseHpaBounds, type StartBounds } from './hpa-bounds.js';
import type { Override } from './overrides.js';
import { RSP_KIND, type Rsp } from './rsp.js';
import type { Scheduled } from './scheduling.js';

type Field = 'minReplicas' | 'maxReplicas';
const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined);
const list = (m: ReadonlyMap<string, number>): string => [...m].map(([c, n]) => `${c} ${n}`).join(', ');

/**
 * Divides (and, with state, raises) the bounds of every HPA of every scheduled workload, writing
 * overrides on the HPAs. `selected` is each object's final placement. Returns explain lines per
 * object: the HPA's say how its bounds were set, the workload's name the raise.
 */
export function divideKubeFedHpas(federated: readonly FederatedDoc[], scheduled: ReadonlyMap<FederatedDoc, Scheduled>, selected: (f: FederatedDoc) => ReadonlySet<string>): Map<FederatedDoc, string[]> {
  const lines = new Map<FederatedDoc, string[]>();
  const say = (f: FederatedDoc, line: string) => (lines.get(f) ?? lines.set(f, []).get(f)!).push(line);
  const hpasOf = hpasByTarget(federated);
  for (const [target, s] of scheduled) {
    if (!s.planned) continue;
    for (const hpa of hpasOf(target)) {
      const start = divide(hpa, target, s.rsp, s.planned, selected, (l) => say(hpa, l));
      if (s.added && s.added.size > 0) {
        const raised = raiseHpaBounds(hpa, s.added, s.rsp, start);
        say(target, raised);
        say(hpa, raised);
      }
    }
  }
  return lines;
}

function divide(hpa: FederatedDoc, target: FederatedDoc, rsp: Rsp, planned: ReadonlyMap<string, number>, selected: (f: FederatedDoc) => ReadonlySet<string>, say: (line: string) => void): StartBounds | undefined {
  const bounds = hpaBounds(hpa.base);
  const by = `${RSP_KIND} ${rsp.src.obj.metadata.namespace ?? ''}/${rsp.src.obj.metadata.name}`;
  const workload = `${target.src.obj.kind} ${target.namespace ?? ''}/${target.src.obj.metadata.name}`;
  if (!bounds) {
    say(`The template's minReplicas and maxReplicas are not valid bounds, so they are not divided over ${workload}'s clusters.`);
    return undefined;
  }
  const here = selected(hpa);
  const there = selected(target);
  const replicas = new Map([...planned].filter(([c, n]) => n > 0 && here.has(c) && there.has(c)));
  const shares = divideHpaBounds(bounds, replicas);
  if (shares.size > 0) {
    say(`Bounds divided as the replicas ${by} gives ${workload} where both go (${list(replicas)}): minReplicas ${bounds.min}, maxReplicas ${bounds.max} -> ${[...shares].map(([c, b]) => `${c} ${b.min}..${b.max}`).join(', ')} (each cluster at least 1; Webster method by replicas).`);
  }
  const elsewhere = [...planned].filter(([c, n]) => n > 0 && there.has(c) && !here.has(c)).map(([c]) => c);
  if (elsewhere.length > 0) say(`${elsewhere.join(', ')}: the workload runs there without this HPA, so those replicas take no share of the bounds.`);
  for (const [c, share] of shares) {
    const own = writeShare(hpa, c, share, bounds, rsp, by);
    if (own) say(`${c}: ${own}`);
  }
  const unchanged = [...here].filter((c) => !shares.has(c)).sort();
  if (unchanged.length > 0) say(`${unchanged.join(', ')}: the workload has no replicas there, so the bounds are the template's (or the object's own overrides).`);
  return (c) => shares.get(c) ?? { min: 0, max: 0 };
}

/** Writes a cluster's share as overrides, the user's own override winning; returns what the user's override changed, for explain. */
function writeShare(hpa: FederatedDoc, cluster: string, share: HpaBounds, template: HpaBounds, rsp: Rsp, by: string): string | undefined {
  const ops = [...(hpa.overrides.get(cluster) ?? [])];
  const userMin = ops.findLast((o) => o.path === '/spec/minReplicas');
  const userMax = ops.findLast((o) => o.path === '/spec/maxReplicas');
  const minOf = userMin ? count(userMin.value) : undefined;
  const maxOf = userMax ? count(userMax.value) : undefined;
  const min = maxOf !== undefined ? Math.min(share.min, maxOf) : share.min;
  const max = minOf !== undefined ? Math.max(share.max, minOf) : share.max;
  const note = `this cluster's share of the HPA's bounds, by the replicas ${by} gives the workload here`;
  const write = (field: Field, value: number, was: number) => {
    // A share equal to the template's bound needs no override (and the file stays as written).
    if (value !== was) ops.push({ op: 'replace', path: `/spec/${field}`, value, src: rsp.src, field: ['spec', 'totalReplicas'], note });
  };
  if (!userMin) write('minReplicas', min, template.min);
  if (!userMax) write('maxReplicas', max, template.max);
  hpa.overrides.set(cluster, ops);
  if (!userMin && !userMax) return undefined;
  const shown = (o: Override | undefined, v: number | undefined, divided: number) => (o ? (o.op === 'remove' ? 'removed' : String(v ?? '?')) : String(divided));
  return `the object's own override of ${[userMin && 'minReplicas', userMax && 'maxReplicas'].filter(Boolean).join(' and ')} wins over the share ${share.min}..${share.max}: ${shown(userMin, minOf, min)}..${shown(userMax, maxOf, max)}.`;
}
