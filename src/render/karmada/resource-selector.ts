/**
 * @module karmada/resource-selector
 * Which templates a policy's resourceSelectors pick, and how specifically (upstream
 * `pkg/util/selector.go` ResourceSelectorPriority). The implicit priority orders competing
 * propagation policies and the application order of override policies.
 */
import { matchesSelector, SelectorError } from '../selector.js';
import type { KubeObject } from '../types.js';
import type { ResourceSelector } from './model.js';

export const ImplicitPriority = {
  Mismatch: 0,
  MatchAll: 1,
  MatchLabelSelector: 2,
  MatchName: 3,
} as const;
export type ImplicitPriority = (typeof ImplicitPriority)[keyof typeof ImplicitPriority];

const priorityWords: Record<ImplicitPriority, string> = {
  0: 'no match',
  1: 'kind only (implicit priority 1)',
  2: 'label selector (implicit priority 2)',
  3: 'name (implicit priority 3)',
};

export function describePriority(p: ImplicitPriority): string {
  return priorityWords[p];
}

/** How the template is matched by one selector. `namespace` is the template's effective namespace ('' if cluster-scoped). */
export function selectorPriority(obj: KubeObject, namespace: string, rs: ResourceSelector): ImplicitPriority {
  if (obj.apiVersion !== rs.apiVersion || obj.kind !== rs.kind) return ImplicitPriority.Mismatch;
  if (rs.namespace && rs.namespace !== namespace) return ImplicitPriority.Mismatch;
  // A name settles it: upstream ignores the label selector entirely once a name is given.
  if (rs.name) return rs.name === obj.metadata.name ? ImplicitPriority.MatchName : ImplicitPriority.Mismatch;
  if (rs.labelSelector === undefined || rs.labelSelector === null) return ImplicitPriority.MatchAll;
  try {
    return matchesSelector(rs.labelSelector, obj.metadata.labels ?? {}) ? ImplicitPriority.MatchLabelSelector : ImplicitPriority.Mismatch;
  } catch (err) {
    // An invalid selector matches nothing, as upstream; validate.ts reports it as an error.
    if (err instanceof SelectorError) return ImplicitPriority.Mismatch;
    throw err;
  }
}

/** The best priority over a policy's selectors (0 when none matches). */
export function selectorsPriority(obj: KubeObject, namespace: string, selectors: readonly ResourceSelector[]): ImplicitPriority {
  let best: ImplicitPriority = ImplicitPriority.Mismatch;
  for (const rs of selectors) {
    const p = selectorPriority(obj, namespace, rs);
    if (p > best) best = p;
  }
  return best;
}
