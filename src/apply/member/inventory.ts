/**
 * @module inventory
 * The record, kept on each member, of every object gitfed applied there: a ConfigMap in the
 * gitfed-system namespace. Prune deletes what the inventory has and the branch no longer has.
 * The record is widened to old ∪ new before any apply and narrowed only after prune, so a
 * crash at any point leaves every object gitfed may have created listed somewhere.
 */
import { ApplyError } from '../../errors.js';
import type { KubeObject } from '../../render/types.js';
import { apiVersionOf, refKey, splitApiVersion, type ObjectRef } from '../../object.js';
import { compareForApply } from './order.js';
import { CLUSTER_LABEL, MANAGED_BY_LABEL } from './ownership.js';

export const INVENTORY_NAMESPACE = 'gitfed-system';
export const INVENTORY_NAME = 'gitfed-inventory';
const FORMAT = 'v1';

export interface Inventory {
  readonly objects: readonly ObjectRef[];
  /** Branch commit of the last reconcile that completed (apply and prune). */
  readonly branchCommit?: string;
  readonly sourceCommit?: string;
}

export const EMPTY_INVENTORY: Inventory = { objects: [] };

/** One line per object, `apiVersion kind namespace name`, `-` for no namespace: readable with kubectl. */
function encodeLine(ref: ObjectRef): string {
  return `${apiVersionOf(ref)} ${ref.kind} ${ref.namespace || '-'} ${ref.name}`;
}

function decodeLine(line: string, cluster: string): ObjectRef {
  const parts = line.split(' ');
  if (parts.length !== 4 || parts.some((p) => p === '')) {
    throw new ApplyError('InventoryCorrupt', `inventory line ${JSON.stringify(line)} is not "apiVersion kind namespace name"`, {
      object: `ConfigMap/${INVENTORY_NAMESPACE}/${INVENTORY_NAME}`,
      cluster,
    });
  }
  const [apiVersion, kind, ns, name] = parts as [string, string, string, string];
  return { ...splitApiVersion(apiVersion), kind, namespace: ns === '-' ? '' : ns, name };
}

export function sortRefs(refs: Iterable<ObjectRef>): ObjectRef[] {
  return [...refs].sort(compareForApply);
}

export function encodeInventory(inv: Inventory, cluster: string): KubeObject {
  const data: Record<string, string> = { format: FORMAT, objects: sortRefs(inv.objects).map(encodeLine).join('\n') };
  if (inv.branchCommit) data.branchCommit = inv.branchCommit;
  if (inv.sourceCommit) data.sourceCommit = inv.sourceCommit;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: INVENTORY_NAME,
      namespace: INVENTORY_NAMESPACE,
      labels: { [MANAGED_BY_LABEL]: 'gitfed-inventory', [CLUSTER_LABEL]: cluster },
    },
    data,
  };
}

export function decodeInventory(cm: KubeObject, cluster: string): Inventory {
  const data = (cm.data ?? {}) as Record<string, string>;
  if (data.format !== FORMAT) {
    throw new ApplyError('InventoryCorrupt', `inventory format ${JSON.stringify(data.format)} is not ${FORMAT}`, {
      object: `ConfigMap/${INVENTORY_NAMESPACE}/${INVENTORY_NAME}`,
      cluster,
    });
  }
  const objects = (data.objects ?? '').split('\n').filter((l) => l !== '').map((l) => decodeLine(l, cluster));
  return { objects, branchCommit: data.branchCommit, sourceCommit: data.sourceCommit };
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

/** True when the inventory's ConfigMap must be written to hold `next`. */
export function inventoryChanged(prev: Inventory, next: Inventory): boolean {
  return prev.branchCommit !== next.branchCommit || prev.sourceCommit !== next.sourceCommit || !sameRefs(prev.objects, next.objects);
}

/** The inventory ConfigMap lives in its own namespace, which gitfed creates. */
export function inventoryNamespace(cluster: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: INVENTORY_NAMESPACE, labels: { [MANAGED_BY_LABEL]: 'gitfed-inventory', [CLUSTER_LABEL]: cluster } },
  };
}

