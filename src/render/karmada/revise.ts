/**
 * @module karmada/revise
 * What the binding controller changes in each cluster's copy before overrides (upstream
 * `controllers/binding/common.go` ensureWork): the assigned replica count is written, and a
 * divided Job's completions are split. Pruning comes after the overrides (prune.ts).
 */
import type { KubeObject } from '../types.js';
import type { WorkloadReplicas } from './divide.js';
import { allocateWebsterSeats } from './webster.js';

/** Writes the cluster's share (Deployment/ReplicaSet/StatefulSet replicas, Job parallelism). */
export function reviseReplicas(obj: KubeObject, workload: WorkloadReplicas | undefined, replicas: number | undefined): void {
  if (!workload?.field || replicas === undefined) return;
  const spec = (obj.spec ??= {}) as Record<string, unknown>;
  spec[workload.field] = replicas;
}

/**
 * A divided Job with spec.completions: completions are split by Webster with each cluster's
 * parallelism as its weight. Undefined when nothing is to split.
 */
export function splitJobCompletions(obj: KubeObject, targets: ReadonlyMap<string, number | undefined>): Map<string, number> | undefined {
  const completions = (obj.spec as { completions?: unknown } | undefined)?.completions;
  if (obj.apiVersion !== 'batch/v1' || obj.kind !== 'Job' || typeof completions !== 'number') return undefined;
  const votes = new Map<string, number>();
  for (const [name, r] of targets) if (r !== undefined) votes.set(name, r);
  if (votes.size === 0) return undefined;
  return new Map(allocateWebsterSeats(completions, votes).map((p) => [p.name, p.seats]));
}
