/**
 * ReplicaSchedulingPreference (scheduling.kubefed.io/v1alpha1): reads the RSP, runs the planner and
 * rewrites its target the way upstream's scheduling plugin does (`pkg/schedulingtypes/plugin.go`):
 * `spec.placement.clusters` becomes every scheduled cluster, including those planned 0, and each
 * scheduled cluster gets a `/spec/replicas` override (updated in place if one exists, appended
 * otherwise; clusters not scheduled lose theirs).
 *
 * Without observed state every inventory cluster counts as Ready, and current replica counts and
 * capacity estimates are empty, so nothing is preallocated and nothing overflows. With state
 * (`render --state`) the planner gets them from the members (scheduling.ts).
 */
import type { SourceObject } from '../types.js';
import type { Findings } from './findings.js';
import type { Override, OverridesByCluster } from './overrides.js';
import { plan, type ClusterPreferences, type PlanEvent } from './planner.js';
import { explainPlan } from './rsp-explain.js';
import { isRecord } from './json.js';
import { integerProblem } from '../numbers.js';

export const RSP_GROUP = 'scheduling.kubefed.io';
export const RSP_VERSION = 'v1alpha1';
export const RSP_KIND = 'ReplicaSchedulingPreference';
export const RSP_TARGET_KINDS: readonly string[] = ['FederatedDeployment', 'FederatedReplicaSet'];

const REPLICAS_PATH = '/spec/replicas';

export interface Rsp {
  readonly src: SourceObject;
  readonly targetKind: string;
  readonly totalReplicas: number;
  readonly rebalance: boolean;
  readonly intersectWithClusterSelector: boolean;
  /** After upstream's defaulting: an empty map becomes {"*": {weight: 1}}. */
  readonly clusters: ReadonlyMap<string, ClusterPreferences>;
  /** Was the clusters map empty (and so defaulted)? */
  readonly defaulted: boolean;
}

/** Read an RSP; undefined (with findings) when it cannot be honoured. */
export function parseRsp(src: SourceObject, findings: Findings): Rsp | undefined {
  const spec = src.obj.spec;
  if (!isRecord(spec)) {
    findings.error('Schema', 'field spec: required mapping is missing', { src });
    return undefined;
  }
  let ok = true;
  const targetKind = spec.targetKind;
  if (typeof targetKind !== 'string' || !RSP_TARGET_KINDS.includes(targetKind)) {
    findings.error('InvalidRSP', `spec.targetKind must be FederatedDeployment or FederatedReplicaSet, not ${JSON.stringify(targetKind ?? null)}`, { src, field: ['spec', 'targetKind'] });
    ok = false;
  }
  // Typed as upstream's API: totalReplicas int32, a cluster's weight and replica bounds int64.
  const total = spec.totalReplicas === undefined || spec.totalReplicas === null ? 'is required' : integerProblem(spec.totalReplicas, 'int32', 0);
  if (total) {
    findings.error('Schema', `field spec.totalReplicas: ${total}`, { src, field: ['spec', 'totalReplicas'] });
    ok = false;
  }
  for (const flag of ['rebalance', 'intersectWithClusterSelector']) {
    if (spec[flag] !== undefined && spec[flag] !== null && typeof spec[flag] !== 'boolean') {
      findings.error('Schema', `field spec.${flag}: must be true or false`, { src, field: ['spec', flag] });
      ok = false;
    }
  }
  const clusters = new Map<string, ClusterPreferences>();
  const raw = spec.clusters ?? {};
  if (!isRecord(raw)) {
    findings.error('Schema', 'field spec.clusters: must be a mapping of cluster name (or "*") to {weight, minReplicas, maxReplicas}', { src, field: ['spec', 'clusters'] });
    ok = false;
  } else {
    for (const [name, pref] of Object.entries(raw)) {
      const field = ['spec', 'clusters', name];
      const p = pref ?? {};
      if (!isRecord(p)) {
        findings.error('Schema', `field spec.clusters.${name}: must be a mapping {weight, minReplicas, maxReplicas}`, { src, field });
        ok = false;
        continue;
      }
      const bad = ['weight', 'minReplicas', 'maxReplicas'].map((k) => [k, p[k] === undefined || p[k] === null ? undefined : integerProblem(p[k], 'int64', 0)] as const).filter(([, problem]) => problem);
      for (const [k, problem] of bad) findings.error('Schema', `field spec.clusters.${name}.${k}: ${problem}`, { src, field: [...field, k] });
      if (bad.length > 0) {
        ok = false;
        continue;
      }
      const max = p.maxReplicas as number | undefined | null;
      const min = (p.minReplicas as number | undefined | null) ?? 0;
      if (max != null && min > max) {
        findings.warning('RSPMinAboveMax', `spec.clusters.${name}: minReplicas ${min} is above maxReplicas ${max}: the planner gives the cluster its minimum first and cuts it to the maximum only if replicas are left to distribute, handing the difference to other clusters (as upstream); set minReplicas at most maxReplicas`, { src, field: [...field, 'minReplicas'] });
      }
      clusters.set(name, { weight: (p.weight as number | undefined | null) ?? 0, minReplicas: min, ...(max != null ? { maxReplicas: max } : {}) });
    }
  }
  if (!ok) return undefined;
  if (clusters.size > 0 && [...clusters.values()].every((c) => c.weight === 0)) {
    findings.warning('RSPNoWeight', `every entry of spec.clusters has weight 0 (a missing weight is 0, and an entry replaces "*" entirely), so of the ${spec.totalReplicas as number} replicas the planner places only the minReplicas and leaves the rest unscheduled (as upstream); give some cluster a weight`, { src, field: ['spec', 'clusters'] });
  }
  const defaulted = clusters.size === 0;
  if (defaulted) clusters.set('*', { weight: 1, minReplicas: 0 });
  return {
    src,
    targetKind: targetKind as string,
    totalReplicas: spec.totalReplicas as number,
    rebalance: spec.rebalance === true,
    intersectWithClusterSelector: spec.intersectWithClusterSelector === true,
    clusters,
    defaulted,
  };
}

export interface Schedule {
  /** Every scheduled cluster with its replicas; clusters without a preference are present with 0. */
  readonly replicas: ReadonlyMap<string, number>;
  /** The arithmetic in sentences; computed when asked (explain), by planning again with a trace. */
  readonly explain: () => string[];
}

/** The planner's live inputs, read from observed state (render/live.ts); absent in a stateless render. */
export interface LiveInputs {
  readonly current: ReadonlyMap<string, number>;
  readonly capacity: ReadonlyMap<string, number>;
  /** Where each number came from, for explain. */
  readonly lines: readonly string[];
}

/**
 * Run the planner over `available` (already narrowed by intersectWithClusterSelector where asked).
 * With live inputs each cluster gets `plan + overflow`, as upstream's plugin writes it: replicas
 * beyond a cluster's capacity stay asked of it (its pods stay Pending) while the plan places the
 * same number elsewhere; without rebalance the overflow is what could be placed nowhere.
 */
export function scheduleReplicas(rsp: Rsp, available: readonly string[], key: string, live?: LiveInputs): Schedule {
  const spec = { totalReplicas: rsp.totalReplicas, rebalance: rsp.rebalance, clusters: rsp.clusters };
  const none = new Map<string, number>();
  const current = live?.current ?? none;
  const capacity = live?.capacity ?? none;
  const result = plan(spec, available, current, capacity, key);
  const replicas = new Map(result.plan);
  for (const [c, n] of result.overflow) replicas.set(c, (replicas.get(c) ?? 0) + n);
  const explain = () => {
    const events: PlanEvent[] = [];
    plan(spec, available, current, capacity, key, (e) => events.push(e));
    const lines = explainPlan(rsp, events, key, replicas, live !== undefined);
    const overflow = [...result.overflow].map(([c, n]) => `${c} +${n}`);
    if (overflow.length > 0) lines.push(`Overflow added back where it arose (as upstream): ${overflow.join(', ')}.`);
    return live ? [...live.lines, ...lines] : lines;
  };
  return { replicas, explain };
}

/**
 * Upstream's `updateOverridesMap`: a `/spec/replicas` override per scheduled cluster (the value of
 * an existing one is updated where it stands, keeping its op), removed for the others.
 */
export function withReplicaOverrides(overrides: OverridesByCluster, replicas: ReadonlyMap<string, number>, rsp: Rsp): OverridesByCluster {
  const out: OverridesByCluster = new Map();
  const note = `replicas scheduled by ${RSP_KIND} ${rsp.src.obj.metadata.namespace ?? ''}/${rsp.src.obj.metadata.name}`;
  for (const [cluster, ops] of overrides) {
    if (replicas.has(cluster)) continue;
    out.set(cluster, ops.filter((o) => o.path !== REPLICAS_PATH));
  }
  for (const [cluster, n] of replicas) {
    const ops = overrides.get(cluster) ?? [];
    const i = ops.findIndex((o) => o.path === REPLICAS_PATH);
    const rewritten: Override = i >= 0 ? { ...ops[i]!, value: n, note } : { op: 'replace', path: REPLICAS_PATH, value: n, src: rsp.src, field: ['spec', 'totalReplicas'], note };
    out.set(cluster, i >= 0 ? ops.map((o, j) => (j === i ? rewritten : o)) : [...ops, rewritten]);
  }
  return out;
}
