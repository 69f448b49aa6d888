/**
 * @module karmada/hpa
 * A HorizontalPodAutoscaler template that propagates with its workload gets its bounds divided
 * over the clusters the workload lands on, in proportion to the workload's replicas there.
 * Upstream Karmada sends each member the template's bounds unchanged, so a fleet of n clusters
 * scales between n·minReplicas and n·maxReplicas; its answer is FederatedHPA, which gitfed does not
 * implement (unsupported-kinds.ts). Dividing keeps the fleet-wide bounds what the template says.
 *
 * The rounding, so that the sums hold and every cluster running the workload keeps a minimum of 1
 * (an HPA's minReplicas 0 is an alpha feature):
 * - minReplicas: each of the n clusters starts with 1; the other minReplicas − n are handed out by
 *   the Webster method weighted by the workload's replicas there (ties to the cluster with fewer,
 *   then by name). The sum is minReplicas, or n when minReplicas < n.
 * - maxReplicas: each cluster starts at its minimum; the other maxReplicas − Σmin are handed out
 *   the same way. The sum is maxReplicas, or Σmin when maxReplicas is smaller (only when it is
 *   below n).
 * A workload Duplicated to its clusters holds all its replicas on each, so each keeps the bounds
 * unchanged. A cluster the HPA goes to without the workload keeps them unchanged too (the HPA
 * there has nothing to scale).
 */
import type { KubeObject, ObjectKey } from '../types.js';
import { templateKey } from './scope.js';
import { allocateWebsterSeats } from './webster.js';

export interface HpaBounds {
  readonly min: number;
  readonly max: number;
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const asCount = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined);

export function isHpa(obj: KubeObject): boolean {
  return obj.kind === 'HorizontalPodAutoscaler' && /^autoscaling\/v(1|2|2beta1|2beta2)$/.test(obj.apiVersion);
}

/** The key of the template the HPA scales (same namespace), or undefined if it names none. */
export function hpaTarget(obj: KubeObject, namespace: string): ObjectKey | undefined {
  const ref = asObj(asObj(obj.spec)?.scaleTargetRef);
  if (!ref || typeof ref.apiVersion !== 'string' || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
  return templateKey({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name } }, namespace);
}

/** The template's own bounds (minReplicas defaults to 1), or undefined when the API server would refuse them. */
export function hpaBounds(obj: KubeObject): HpaBounds | undefined {
  const spec = asObj(obj.spec);
  const max = asCount(spec?.maxReplicas);
  const min = spec?.minReplicas === undefined ? 1 : asCount(spec.minReplicas);
  if (max === undefined || min === undefined || max < 1 || min > max) return undefined;
  return { min, max };
}

/** Divides `bounds` over the clusters with replicas > 0 in `replicas`, as the module says. */
export function divideHpaBounds(bounds: HpaBounds, replicas: ReadonlyMap<string, number>): Map<string, HpaBounds> {
  const votes = new Map([...replicas].filter(([, r]) => r > 0));
  const ones = new Map([...votes.keys()].map((c) => [c, 1]));
  const mins = seats(Math.max(0, bounds.min - votes.size), votes, ones);
  const maxs = seats(Math.max(0, bounds.max - [...mins.values()].reduce((s, n) => s + n, 0)), votes, mins);
  return new Map([...votes.keys()].sort().map((c) => [c, { min: mins.get(c)!, max: maxs.get(c)! }]));
}

function seats(more: number, votes: ReadonlyMap<string, number>, initial: ReadonlyMap<string, number>): Map<string, number> {
  return new Map(allocateWebsterSeats(more, votes, initial).map((p) => [p.name, p.seats]));
}

/** Writes a cluster's bounds into its copy of the HPA. */
export function reviseHpa(obj: KubeObject, bounds: HpaBounds | undefined): void {
  if (!bounds) return;
  const spec = (obj.spec ??= {}) as Obj;
  spec.minReplicas = bounds.min;
  spec.maxReplicas = bounds.max;
}
