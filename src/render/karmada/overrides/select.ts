/**
 * @module karmada/overrides/select
 * Which override policies apply to a template on a cluster, and in what order (upstream
 * `overridemanager.go`): ClusterOverridePolicies first, then the OverridePolicies of the
 * template's namespace; within each kind by implicit priority ascending (no selectors counts as
 * kind-only), then by name, so the most specific policy writes last and wins. Which propagation
 * policy placed the template does not matter.
 */
import type { Cluster, KubeObject } from '../../types.js';
import { clusterMatches } from '../cluster-affinity.js';
import type { OverridePolicy, Overriders } from '../model.js';
import { ImplicitPriority, selectorsPriority } from '../resource-selector.js';

export interface MatchedOverride {
  readonly policy: OverridePolicy;
  readonly priority: ImplicitPriority;
}

export interface RuleToApply {
  readonly policy: OverridePolicy;
  readonly rule: number;
  readonly overriders: Overriders;
}

export class OverrideIndex {
  private readonly cops: OverridePolicy[] = [];
  private readonly opsByNamespace = new Map<string, OverridePolicy[]>();

  constructor(policies: readonly OverridePolicy[]) {
    for (const p of policies) {
      if (p.kind === 'ClusterOverridePolicy') this.cops.push(p);
      else {
        const list = this.opsByNamespace.get(p.namespace) ?? [];
        list.push(p);
        this.opsByNamespace.set(p.namespace, list);
      }
    }
  }

  /** The policies selecting the template, in application order. `namespace` is '' for cluster-scoped templates. */
  matching(obj: KubeObject, namespace: string): MatchedOverride[] {
    const ops = namespace ? this.opsByNamespace.get(namespace) ?? [] : [];
    return [...sortMatches(this.cops, obj, namespace), ...sortMatches(ops, obj, namespace)];
  }

  /** Only ClusterOverridePolicies apply to automatically propagated Namespaces. */
  matchingClusterPolicies(obj: KubeObject): MatchedOverride[] {
    return sortMatches(this.cops, obj, '');
  }
}

function sortMatches(policies: readonly OverridePolicy[], obj: KubeObject, namespace: string): MatchedOverride[] {
  const out: MatchedOverride[] = [];
  for (const policy of policies) {
    if (policy.selectors.length === 0) out.push({ policy, priority: ImplicitPriority.MatchAll });
    else {
      const priority = selectorsPriority(obj, namespace, policy.selectors);
      if (priority > ImplicitPriority.Mismatch) out.push({ policy, priority });
    }
  }
  return out.sort((a, b) => a.priority - b.priority || (a.policy.name < b.policy.name ? -1 : a.policy.name > b.policy.name ? 1 : 0));
}

/**
 * Per policy and cluster, the indexes of the rules whose targetCluster takes the cluster. A policy
 * is asked once per template it selects and cluster, and one with a rule per cluster would
 * otherwise test every rule each time (templates x clusters x rules).
 */
const targeting = new WeakMap<OverridePolicy, WeakMap<Cluster, number[]>>();

function rulesTargeting(policy: OverridePolicy, cluster: Cluster): number[] {
  let byCluster = targeting.get(policy);
  if (!byCluster) targeting.set(policy, (byCluster = new WeakMap()));
  let rules = byCluster.get(cluster);
  if (!rules) {
    rules = [];
    for (let i = 0; i < policy.rules.length; i++) {
      const target = policy.rules[i]!.targetCluster;
      if (!target || clusterMatches(cluster, target)) rules.push(i);
    }
    byCluster.set(cluster, rules);
  }
  return rules;
}

/** The rules of the matched policies whose targetCluster takes `cluster` (no targetCluster: every cluster). */
export function rulesFor(matched: readonly MatchedOverride[], cluster: Cluster): RuleToApply[] {
  const out: RuleToApply[] = [];
  for (const { policy } of matched) {
    for (const i of rulesTargeting(policy, cluster)) out.push({ policy, rule: i, overriders: policy.rules[i]!.overriders ?? {} });
  }
  return out;
}
