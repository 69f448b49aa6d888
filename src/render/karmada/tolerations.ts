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

export function formatTaint(taint: Taint): string {
  return `${taint.key}${taint.value ? '=' + taint.value : ''}:${taint.effect}`;
}
