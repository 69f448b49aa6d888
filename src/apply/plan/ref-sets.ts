/**
 * @module ref-sets
 * Sets of object references as the inventory and the plan combine them: always in apply order,
 * one entry per object whatever its version.
 */
import { refKey, type ObjectRef } from '../../object.js';
import { compareForApply } from '../member/order.js';

export function sortRefs(refs: Iterable<ObjectRef>): ObjectRef[] {
  return [...refs].sort(compareForApply);
}

/** Every ref of `a` and `b` once, in apply order. The version of `b` wins for a ref in both. */
export function unionRefs(a: readonly ObjectRef[], b: readonly ObjectRef[]): ObjectRef[] {
  const byKey = new Map<string, ObjectRef>();
  for (const r of a) byKey.set(refKey(r), r);
  for (const r of b) byKey.set(refKey(r), r);
  return sortRefs(byKey.values());
}

/** Refs of the inventory that the desired set no longer has: the prune candidates. */
export function staleRefs(inventory: readonly ObjectRef[], desired: readonly ObjectRef[]): ObjectRef[] {
  const keep = new Set(desired.map(refKey));
  return sortRefs(inventory.filter((r) => !keep.has(refKey(r))));
}

export function sameRefs(a: readonly ObjectRef[], b: readonly ObjectRef[]): boolean {
  if (a.length !== b.length) return false;
  const keys = new Set(a.map((r) => `${refKey(r)}@${r.version}`));
  return b.every((r) => keys.has(`${refKey(r)}@${r.version}`));
}

