/**
 * Integer fields as the Kubernetes API types them: int32 (replica counts, a Karmada policy's
 * priority, an RSP's totalReplicas) and int64 (weights, spread group counts, minReplicas and
 * maxReplicas of an RSP). A value the API server would refuse is refused here too, with the
 * field's type in the message. gitfed reads numbers as doubles, exact up to 2^53-1; an int64
 * beyond that is refused as gitfed's own limit, since the YAML parser has already rounded it.
 */
import { groupOf } from '../object.js';
import type { KubeObject } from './types.js';

export const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

export type IntType = 'int32' | 'int64';

/** How a value that is not an integer reads in a message. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v} ${String(v)}`;
}

/** What is wrong with `v` as an integer of `type` that must be at least `min`; undefined when nothing. */
export function integerProblem(v: unknown, type: IntType, min?: number): string | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v)) return `must be an integer (${type}), not ${typeof v === 'number' ? v : describeValue(v)}`;
  if (type === 'int32' && (v > INT32_MAX || v < INT32_MIN)) return `${v} is out of range for an int32 (at most ${INT32_MAX})`;
  if (type === 'int64' && !Number.isSafeInteger(v)) return `${v} is beyond ${Number.MAX_SAFE_INTEGER}, the largest integer gitfed reads exactly`;
  if (min !== undefined && v < min) return `must be greater than or equal to ${min}, not ${v}`;
  return undefined;
}

/** A field of an object that an API server would refuse. */
export interface FieldProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

/** The replica counts of the built-in workload kinds, by `<group>/<Kind>`: int32, never negative. */
const COUNT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'apps/Deployment': ['replicas'],
  'apps/ReplicaSet': ['replicas'],
  'apps/StatefulSet': ['replicas'],
  'batch/Job': ['parallelism', 'completions'],
};

/**
 * The replica counts of a workload (Deployment, ReplicaSet, StatefulSet replicas; Job parallelism
 * and completions) that its API server would refuse: not an integer, beyond int32, negative.
 * A missing or null count is the API server's default, not a problem.
 */
export function replicaCountProblems(obj: KubeObject): FieldProblem[] {
  const fields = COUNT_FIELDS[`${groupOf(obj.apiVersion)}/${obj.kind}`];
  const spec = obj.spec;
  if (!fields || spec === undefined || spec === null) return [];
  if (typeof spec !== 'object' || Array.isArray(spec)) return [{ path: ['spec'], message: `field spec: must be a mapping, not ${describeValue(spec)}` }];
  const out: FieldProblem[] = [];
  for (const f of fields) {
    const v = (spec as Record<string, unknown>)[f];
    if (v === undefined || v === null) continue;
    const problem = integerProblem(v, 'int32', 0);
    if (problem) out.push({ path: ['spec', f], message: `field spec.${f}: ${problem}` });
  }
  return out;
}
