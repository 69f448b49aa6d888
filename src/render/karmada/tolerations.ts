/**
 * @module karmada/tolerations
 * The TaintToleration filter: a cluster passes when every NoSchedule/NoExecute taint is tolerated
 * by `placement.clusterTolerations` (Kubernetes toleration semantics; PreferNoSchedule is ignored).
 */
import type { Taint } from '../types.js';
import type { Toleration } from './model.js';

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  // An empty key with Exists tolerates every taint.
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

/** The first taint that keeps the object off the cluster, if any. */
export function untoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[]): Taint | undefined {
  return taints.find(
    (taint) => (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerations.some((t) => tolerates(t, taint)),
  );
}

/** Upstream GetMatchingTolerations: for each taint the first toleration that tolerates it, or undefined if one is not tolerated. */
function matchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[]): Toleration[] | undefined {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = tolerations.find((x) => tolerates(x, taint));
    if (!t) return undefined;
    used.push(t);
  }
  return used;
}

export type Eviction =
  | { readonly evict: false; readonly until?: number }
  | { readonly evict: true; readonly untolerated?: Taint; readonly ranOut?: number };

/**
 * Karmada's NoExecute taint manager (`needEvictionWithCurrentTime`,
 * `GetMinTolerationTimeWithCurrentTime`), at `now` (unix seconds): a NoExecute taint no toleration
 * tolerates evicts at once; otherwise the earliest timeAdded + tolerationSeconds over the
 * tolerations used evicts once it is not after `now`. A toleration without tolerationSeconds, or a
 * taint without timeAdded, tolerates forever.
 */
export function noExecuteEviction(taints: readonly Taint[], tolerations: readonly Toleration[], now: number): Eviction {
  const noExecute = taints.filter((t) => t.effect === 'NoExecute');
  if (noExecute.length === 0) return { evict: false };
  const used = matchingTolerations(noExecute, tolerations);
  if (!used) return { evict: true, untolerated: noExecute.find((taint) => !tolerations.some((t) => tolerates(t, taint)))! };
  let trigger = Infinity;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    for (const taint of noExecute) if (taint.timeAdded !== undefined && tolerates(t, taint)) trigger = Math.min(trigger, taint.timeAdded + t.tolerationSeconds);
  }
  if (trigger === Infinity) return { evict: false };
  return trigger <= now ? { evict: true, ranOut: trigger } : { evict: false, until: trigger };
}

export function formatTaint(taint: Taint): string {
  return `${taint.key}${taint.value ? '=' + taint.value : ''}:${taint.effect}`;
}
