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
 * Each policy's rules per cluster, worked out once: a rule's targetCluster does not
 * depend on the template, and a fleet with a rule per cluster would otherwise test every rule
 * for every template on every cluster.
 */
const rulesByCluster = new WeakMap<OverridePolicy, WeakMap<Cluster, RuleToApply[]>>();

/**
 * A policy's rules that can take a cluster of a given name, by rule number: a rule naming
 * clusters (clusterNames) takes only those, whatever else its targetCluster says, so a policy
 * with a rule per cluster tests one rule per cluster, not all of them.
 */
interface RuleIndex {
  readonly anyName: readonly number[];
  readonly byName: ReadonlyMap<string, readonly number[]>;
}
const ruleIndexes = new WeakMap<OverridePolicy, RuleIndex>();

function ruleIndex(policy: OverridePolicy): RuleIndex {
  let index = ruleIndexes.get(policy);
  if (index) return index;
  const anyName: number[] = [];
  const byName = new Map<string, number[]>();
  for (const [i, r] of policy.rules.entries()) {
    const names = r.targetCluster?.clusterNames ?? [];
    if (names.length === 0) anyName.push(i);
    for (const name of new Set(names)) {
      const list = byName.get(name);
      if (list) list.push(i);
      else byName.set(name, [i]);
    }
  }
  ruleIndexes.set(policy, (index = { anyName, byName }));
  return index;
}

/** The rule numbers of two ascending lists, in one ascending list. */
function merged(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i]! < b[j]!) ? a[i++]! : b[j++]!);
  return out;
}

function policyRules(policy: OverridePolicy, cluster: Cluster): RuleToApply[] {
  let byCluster = rulesByCluster.get(policy);
  if (!byCluster) rulesByCluster.set(policy, (byCluster = new WeakMap()));
  // Keyed by the cluster object, not its name: a cached policy meets a re-read inventory afresh.
  let rules = byCluster.get(cluster);
  if (!rules) {
    rules = [];
    const index = ruleIndex(policy);
    for (const i of merged(index.anyName, index.byName.get(cluster.name) ?? [])) {
      const r = policy.rules[i]!;
      if (!r.targetCluster || clusterMatches(cluster, r.targetCluster)) rules.push({ policy, rule: i, overriders: r.overriders ?? {} });
    }
    byCluster.set(cluster, rules);
  }
  return rules;
}

/** The rules of the matched policies whose targetCluster takes `cluster` (no targetCluster: every cluster). */
export function rulesFor(matched: readonly MatchedOverride[], cluster: Cluster): RuleToApply[] {
  return matched.flatMap(({ policy }) => policyRules(policy, cluster));
}
