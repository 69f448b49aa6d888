/**
 * @module ignore
 * Ignore rules: fields that another controller legitimately owns (an HPA's replicas, a
 * webhook's caBundle). One set of rules serves the apply payload, drift detection and
 * `gitfed diff --live`, so the preview and the daemon never disagree about them.
 */
import { minimatch } from 'minimatch';
import type { KubeObject } from '../../object.js';
import type { ObjectRef } from '../../object.js';
import { getAt, removeAt, setAt } from '../../json-pointer.js';

export interface IgnoreRule {
  /** API group; absent matches every group, "" is the core group. */
  readonly group?: string;
  readonly kind: string;
  /** Glob on the name; absent matches every name. */
  readonly name?: string;
  /** Glob on the namespace; absent matches every namespace. */
  readonly namespace?: string;
  readonly jsonPointers: readonly string[];
}

export function ruleMatches(rule: IgnoreRule, ref: Pick<ObjectRef, 'group' | 'kind' | 'namespace' | 'name'>): boolean {
  if (rule.kind !== ref.kind && rule.kind !== '*') return false;
  if (rule.group !== undefined && rule.group !== ref.group && rule.group !== '*') return false;
  if (rule.name !== undefined && !minimatch(ref.name, rule.name)) return false;
  if (rule.namespace !== undefined && !minimatch(ref.namespace, rule.namespace)) return false;
  return true;
}

/** Every pointer the rules ignore on this object, sorted and without repeats. */
export function ignoredPointers(rules: readonly IgnoreRule[], ref: Pick<ObjectRef, 'group' | 'kind' | 'namespace' | 'name'>): string[] {
  const out = new Set<string>();
  for (const rule of rules) if (ruleMatches(rule, ref)) for (const p of rule.jsonPointers) out.add(p);
  return [...out].sort();
}

/** `obj` without the ignored fields (a deep copy when there are any): what drift and diff compare. */
export function withoutIgnored<T>(obj: T, pointers: readonly string[]): T {
  // Nothing to take out: the caller only reads, so the object itself will do.
  if (pointers.length === 0) return obj;
  const copy = structuredClone(obj);
  // Longest first, so that removing a list element does not shift a later pointer's index.
  for (const p of [...pointers].sort((a, b) => b.length - a.length || (a < b ? 1 : -1))) removeAt(copy, p);
  return copy;
}

/**
 * The payload for an object that already exists: each ignored field takes the live value, or
 * is left out when live has none. Applying the live value keeps the field (dropping a field
 * gitfed solely owns would delete it) without ever fighting the controller that sets it.
 */
export function adoptIgnored(desired: KubeObject, live: KubeObject | undefined, pointers: readonly string[]): KubeObject {
  if (!live || pointers.length === 0) return desired;
  const payload = structuredClone(desired);
  for (const p of pointers) {
    const current = getAt(live, p);
    if (current.found) setAt(payload as unknown as Record<string, unknown>, p, structuredClone(current.value));
    else removeAt(payload, p);
  }
  return payload;
}
