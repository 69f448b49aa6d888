/**
 * @module karmada/plan
 * Decides, for every template, which clusters get it and with how many replicas: automatic
 * Namespace propagation, policy choice, scheduling, then propagateDeps. Nothing is copied or
 * overridden here (materialise.ts does that).
 */
import { replicaCountProblems } from '../numbers.js';
import type { Cluster, Diagnostic, ObjectKey, SourceObject } from '../types.js';
import { dependenciesOf } from './dependencies.js';
import { divideHpaBounds, hpaBounds, hpaTarget, isHpa, type HpaBounds } from './hpa.js';
import { strategyOf, workloadReplicas, type Strategy, type WorkloadReplicas } from './divide.js';
import { policyRef, type OverridePolicy, type PropagationPolicy } from './model.js';
import type { NamespaceRules } from './namespaces.js';
import type { PropagationIndex } from './policy-match.js';
import { schedule } from './schedule.js';
import type { FleetState } from '../live.js';
import { templateKey, type ScopeTable } from './scope.js';

export interface Template {
  readonly src: SourceObject;
  readonly key: ObjectKey;
  /** '' when cluster-scoped. */
  readonly namespace: string;
}

export interface Plan {
  readonly template: Template;
  /** Cluster -> replicas (undefined: the template's own count, unchanged). */
  readonly targets: Map<string, number | undefined>;
  readonly policy?: PropagationPolicy;
  readonly workload?: WorkloadReplicas;
  readonly strategy?: Strategy;
  /** Auto-propagated Namespace: only ClusterOverridePolicies apply. */
  readonly autoNamespace: boolean;
  /** In a namespace Karmada never propagates from, or refused by the API server (already reported). */
  readonly skipped?: boolean;
  readonly placement: string[];
  readonly scheduling: string[];
  /** A HorizontalPodAutoscaler's bounds per cluster, divided as its workload's replicas (hpa.ts). */
  readonly hpa?: ReadonlyMap<string, HpaBounds>;
  /** Of `targets`, the replicas a cluster gets for another cluster's HPA demand (hpa-overflow.ts). */
  readonly hpaOverflow?: ReadonlyMap<string, number>;
}

export interface PlanContext {
  readonly clusters: readonly Cluster[];
  readonly namespaces: NamespaceRules;
  readonly propagation: PropagationIndex;
  readonly overrides: readonly OverridePolicy[];
  readonly diagnostics: Diagnostic[];
  /** Observed member state (`render --state`): capacity for dynamicWeight and Aggregated. */
  readonly state?: FleetState;
}

export function toTemplate(src: SourceObject, scope: ScopeTable): Template {
  const namespace = scope.namespaceOf(src.obj);
  return { src, namespace, key: templateKey(src.obj, namespace) };
}

/** Plans every template; templates nothing places get a plan with no targets and a NotPropagated warning. */
export function planAll(templates: readonly Template[], ctx: PlanContext): Map<ObjectKey, Plan> {
  const plans = new Map<ObjectKey, Plan>();
  const byKey = new Map(templates.map((t) => [t.key, t]));
  const required = new Map<ObjectKey, { from: ObjectKey; clusters: string[] }[]>();

  for (const t of templates) {
    const plan = planOne(t, ctx);
    plans.set(t.key, plan);
    if (!plan.policy?.spec.propagateDeps || plan.targets.size === 0) continue;
    for (const dep of dependenciesOf(t.src.obj)) {
      const depKey = templateKey({ apiVersion: dep.apiVersion, kind: dep.kind, metadata: { name: dep.name } }, t.namespace);
      if (!byKey.has(depKey)) continue; // upstream skips missing dependents silently; so does a render
      const list = required.get(depKey) ?? [];
      list.push({ from: t.key, clusters: [...plan.targets.keys()] });
      required.set(depKey, list);
    }
  }

  for (const [depKey, reqs] of required) {
    const plan = plans.get(depKey)!;
    const own = new Set(plan.targets.keys());
    for (const r of reqs) {
      plan.placement.push(`propagateDeps: ${r.from} needs it on ${r.clusters.join(', ')}.`);
      for (const c of r.clusters) if (!plan.targets.has(c)) plan.targets.set(c, undefined);
    }
    if (own.size === 0 && !plan.policy) {
      plan.placement.push('It is placed only because a workload depends on it (propagateDeps).');
    }
  }

  for (const [key, plan] of plans) if (isHpa(plan.template.src.obj) && plan.targets.size > 0) plans.set(key, withHpaBounds(plan, plans));

  for (const plan of plans.values()) {
    // A plan with a policy but no targets was already reported by the scheduling step.
    if (plan.targets.size > 0 || plan.policy || plan.skipped) continue;
    const { src, key } = plan.template;
    ctx.diagnostics.push({
      severity: 'warning',
      code: 'NotPropagated',
      message: `${key}: no PropagationPolicy or ClusterPropagationPolicy selects it, so no cluster gets it`,
      file: src.pos.file,
      line: src.pos.line,
      object: key,
    });
  }
  return plans;
}

function planOne(t: Template, ctx: PlanContext): Plan {
  const obj = t.src.obj;
  const placement: string[] = [];
  const scheduling: string[] = [];
  const empty = (): Plan => ({ template: t, targets: new Map(), autoNamespace: false, placement, scheduling });

  // The API server would refuse the template itself, so Karmada never sees it.
  const counts = replicaCountProblems(obj);
  for (const p of counts) {
    ctx.diagnostics.push({ severity: 'error', code: 'Schema', message: p.message, file: t.src.pos.file, line: t.src.lineOf(p.path), object: t.key });
  }
  if (counts.length > 0) return { ...empty(), skipped: true };

  const skip = ctx.namespaces.skipReason(t.namespace);
  if (skip) {
    placement.push(`${skip}; Karmada never propagates objects there.`);
    ctx.diagnostics.push({ severity: 'warning', code: 'NotPropagated', message: `${t.key}: ${skip}, so Karmada never propagates it`, file: t.src.pos.file, line: t.src.pos.line, object: t.key });
    return { ...empty(), skipped: true };
  }

  if (obj.apiVersion === 'v1' && obj.kind === 'Namespace') {
    const why = ctx.namespaces.autoPropagationSkip(obj);
    if (!why) {
      placement.push('A Namespace goes to every cluster automatically (Karmada namespace sync); only ClusterOverridePolicies apply to it.');
      return { template: t, targets: new Map(ctx.clusters.map((c) => [c.name, undefined])), autoNamespace: true, placement, scheduling };
    }
    placement.push(`Not propagated automatically: ${why}.`);
  }

  const choice = ctx.propagation.choose(obj, t.namespace);
  placement.push(...choice.lines);
  const winner = choice.winner?.policy;
  if (!winner) return empty();

  const blocked = policyBlocked(winner, t, ctx);
  if (blocked) return { ...empty(), policy: winner };

  const workload = workloadReplicas(obj);
  const outcome = schedule(winner.spec.placement ?? {}, ctx.clusters, workload, ctx.state ? { state: ctx.state, key: t.key } : undefined);
  placement.push(...outcome.placement);
  scheduling.push(...outcome.scheduling);
  const base = { template: t, policy: winner, workload, strategy: strategyOf(winner.spec.placement), autoNamespace: false, placement, scheduling };
  if (!outcome.ok) {
    const d: Diagnostic = {
      ...(outcome.code === 'NoClusterFit' ? ({ severity: 'warning', code: outcome.code } as const) : ({ severity: 'error', code: outcome.code } as const)),
      message: `${t.key}: ${policyRef(winner)} cannot be honoured: ${outcome.message}${outcome.code === 'NoClusterFit' ? ', so no cluster gets it' : ''}`,
      file: winner.src.pos.file,
      line: winner.src.lineOf(['spec', 'placement']),
      object: t.key,
    };
    ctx.diagnostics.push(d);
    return { ...base, targets: new Map() };
  }
  if (outcome.targets.size === 0) {
    ctx.diagnostics.push({
      severity: 'warning',
      code: 'ZeroReplicas',
      message: `${t.key}: 0 replicas with resource requests leaves every cluster at 0, and Karmada drops 0-replica clusters, so no cluster gets it`,
      file: t.src.pos.file,
      line: t.src.lineOf(['spec', 'replicas']),
      object: t.key,
    });
  }
  return { ...base, targets: outcome.targets, ...(outcome.hpaOverflow ? { hpaOverflow: outcome.hpaOverflow } : {}) };
}

/** Reports what keeps the winning policy from being honoured at all; true when something does. */
function policyBlocked(policy: PropagationPolicy, t: Template, ctx: PlanContext): boolean {
  // Division by capacity is what observed state provides; the other live parts stay refused.
  const byCapacity = (u: PropagationPolicy['unsupported'][number]) => u.path.includes('replicaDivisionPreference') || u.path.includes('dynamicWeight') || u.path.includes('overflowAffinities');
  const unsupported = policy.unsupported.filter((u) => !(ctx.state && byCapacity(u)));
  for (const u of unsupported) {
    const hint = byCapacity(u) ? 'observe the members (`gitfed observe`) and render with their state (`gitfed render --state fleet-state`): then gitfed divides by the observed capacity' : undefined;
    ctx.diagnostics.push({ severity: 'error', code: u.code, message: `${t.key}: ${policyRef(policy)}: ${u.message}`, file: policy.src.pos.file, line: policy.src.lineOf(u.path), object: t.key, ...(hint ? { hint } : {}) });
  }
  let missing = false;
  (policy.spec.dependentOverrides ?? []).forEach((name, i) => {
    const found = ctx.overrides.some((o) => o.name === name && (o.kind === 'ClusterOverridePolicy' || o.namespace === policy.namespace));
    if (found) return;
    missing = true;
    ctx.diagnostics.push({
      severity: 'error',
      code: 'DependentOverrideMissing',
      message: `${t.key}: ${policyRef(policy)} waits for override policy ${JSON.stringify(name)}, which does not exist${policy.namespace ? ` in namespace ${policy.namespace}` : ''}; Karmada would never propagate it`,
      file: policy.src.pos.file,
      line: policy.src.lineOf(['spec', 'dependentOverrides', i]),
      object: t.key,
    });
  });
  return unsupported.length > 0 || missing;
}

/** The HPA's plan with its bounds divided over the clusters its workload runs on (hpa.ts). */
function withHpaBounds(plan: Plan, plans: ReadonlyMap<ObjectKey, Plan>): Plan {
  const obj = plan.template.src.obj;
  const targetKey = hpaTarget(obj, plan.template.namespace);
  const target = targetKey ? plans.get(targetKey) : undefined;
  const bounds = hpaBounds(obj);
  if (!target || !bounds || !target.strategy || target.strategy === 'Duplicated') {
    if (target && target.strategy === 'Duplicated') plan.scheduling.push(`${targetKey} is Duplicated: every cluster holds all its replicas, so each keeps the bounds unchanged.`);
    return plan;
  }
  // What a cluster received for another's HPA demand is not its share: the bounds divide the rest.
  const received = target.hpaOverflow ?? new Map<string, number>();
  const replicas = new Map<string, number>();
  for (const [c, r] of target.targets) if (r !== undefined && r - (received.get(c) ?? 0) > 0) replicas.set(c, r - (received.get(c) ?? 0));
  if (replicas.size === 0 && received.size === 0) return plan;
  const hpa = replicas.size > 0 ? divideHpaBounds(bounds, replicas) : new Map<string, HpaBounds>();
  if (replicas.size > 0) {
    plan.scheduling.push(
      `Bounds divided as ${targetKey}'s replicas (${[...replicas].map(([c, r]) => `${c} ${r}`).join(', ')}): minReplicas ${bounds.min}, maxReplicas ${bounds.max} -> ${[...hpa].map(([c, b]) => `${c} ${b.min}..${b.max}`).join(', ')} (each cluster at least 1; Webster method by replicas).`,
    );
  }
  for (const [c, n] of [...received].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const own = hpa.get(c);
    hpa.set(c, { min: (own?.min ?? 0) + n, max: (own?.max ?? 0) + n });
    plan.scheduling.push(`${c} runs ${n} replica(s) that another cluster's HPA wants and that cluster cannot hold: its bounds are raised by ${n}, to ${hpa.get(c)!.min}..${hpa.get(c)!.max}, so its HPA does not scale them away; the overflowing cluster keeps the bounds of its own share.`);
  }
  const here = [...hpa].filter(([c]) => plan.targets.has(c)).sort(([a], [b]) => (a < b ? -1 : 1));
  const without = [...plan.targets.keys()].filter((c) => !hpa.has(c));
  if (without.length > 0) plan.scheduling.push(`${without.join(', ')}: the workload has no replicas there, so the bounds are unchanged.`);
  return { ...plan, hpa: new Map(here) };
}
