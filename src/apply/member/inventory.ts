/**
 * @module inventory
 * The record, kept on each member, of every object a fleet applied there: one ConfigMap per
 * fleet in the gitfed-system namespace, which is also the fleet's ApplySet parent (kubectl's
 * labels and annotations, tooling `gitfed/<version>`). Prune deletes what the inventory has and
 * the branch no longer has. The record is widened to old ∪ new before any apply and narrowed
 * only after prune, so a crash at any point leaves every object gitfed may have created listed.
 */
import { ApplyError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import { VERSION } from '../../version.js';
import { identityOfInventory, INVENTORY_NAMESPACE, LEGACY_INVENTORY_NAME, type FleetIdentity } from '../fleet.js';
import { apiVersionOf, splitApiVersion, type ObjectRef } from '../../object.js';
import { sameRefs, sortRefs, unionRefs } from '../plan/ref-sets.js';
import { CLUSTER_LABEL, FLEET_LABEL, MANAGED_BY_LABEL } from './ownership.js';

export { INVENTORY_NAMESPACE, LEGACY_INVENTORY_NAME } from '../fleet.js';
export { sameRefs, sortRefs, staleRefs, unionRefs } from '../plan/ref-sets.js';
const FORMAT = 'v1';

/** Selects every fleet's inventory (and the legacy one) in gitfed-system. */
export const INVENTORY_SELECTOR = `${MANAGED_BY_LABEL}=gitfed-inventory`;
export const APPLYSET_ID_LABEL = 'applyset.kubernetes.io/id';
export const APPLYSET_TOOLING_ANNOTATION = 'applyset.kubernetes.io/tooling';
export const APPLYSET_KINDS_ANNOTATION = 'applyset.kubernetes.io/contains-group-kinds';
export const APPLYSET_NAMESPACES_ANNOTATION = 'applyset.kubernetes.io/additional-namespaces';

export function inventoryRef(name: string): ObjectRef {
  return { group: '', version: 'v1', kind: 'ConfigMap', namespace: INVENTORY_NAMESPACE, name };
}

export interface Inventory {
  /** The fleet it belongs to; the legacy inventory's is LEGACY_FLEET. */
  readonly fleet?: FleetIdentity;
  /** uid of the ConfigMap it was read from, for a delete that must not hit a newer one. */
  readonly uid?: string;
  /**
   * resourceVersion of the ConfigMap it was read (or last written) at. A write carries it as a
   * precondition: a writer acting on an old view (a replica that lost the member's Lease) gets
   * 409 Conflict instead of overwriting a newer record.
   */
  readonly resourceVersion?: string;
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

function decodeLine(line: string, cluster: string, inventory: string): ObjectRef {
  const parts = line.split(' ');
  if (parts.length !== 4 || parts.some((p) => p === '')) {
    throw new ApplyError('InventoryCorrupt', `inventory line ${JSON.stringify(line)} is not "apiVersion kind namespace name"`, {
      object: { group: '', kind: 'ConfigMap', namespace: INVENTORY_NAMESPACE, name: inventory },
      cluster,
    });
  }
  const [apiVersion, kind, ns, name] = parts as [string, string, string, string];
  return { ...splitApiVersion(apiVersion), kind, namespace: ns === '-' ? '' : ns, name };
}

/** `Kind.group` (`Kind` for the core group) of every kind listed, sorted: kubectl's contains-group-kinds. */
function groupKinds(refs: readonly ObjectRef[]): string {
  return [...new Set(refs.map((r) => (r.group ? `${r.kind}.${r.group}` : r.kind)))].sort().join(',');
}

/** Namespaces of the objects other than the parent's own, sorted: kubectl's additional-namespaces. */
function otherNamespaces(refs: readonly ObjectRef[]): string {
  return [...new Set(refs.map((r) => r.namespace).filter((ns) => ns !== '' && ns !== INVENTORY_NAMESPACE))].sort().join(',');
}

export function encodeInventory(inv: Inventory, cluster: string, fleet: FleetIdentity): KubeObject {
  const objects = sortRefs(inv.objects);
  const data: Record<string, string> = { format: FORMAT, fleet: fleet.name, objects: objects.map(encodeLine).join('\n') };
  if (inv.branchCommit) data.branchCommit = inv.branchCommit;
  if (inv.sourceCommit) data.sourceCommit = inv.sourceCommit;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: fleet.inventory,
      namespace: INVENTORY_NAMESPACE,
      labels: { [MANAGED_BY_LABEL]: 'gitfed-inventory', [CLUSTER_LABEL]: cluster, [FLEET_LABEL]: fleet.name, [APPLYSET_ID_LABEL]: fleet.id },
      annotations: {
        [APPLYSET_TOOLING_ANNOTATION]: `gitfed/v${VERSION}`,
        [APPLYSET_KINDS_ANNOTATION]: groupKinds(objects),
        [APPLYSET_NAMESPACES_ANNOTATION]: otherNamespaces(objects),
      },
    },
    data,
  };
}

/** Reads an inventory ConfigMap, this version's or the single one of an earlier gitfed. */
export function decodeInventory(cm: KubeObject, cluster: string): Inventory {
  const name = cm.metadata.name;
  const data = (cm.data ?? {}) as Record<string, string>;
  if (data.format !== FORMAT) {
    throw new ApplyError('InventoryCorrupt', `inventory format ${JSON.stringify(data.format)} is not ${FORMAT}`, {
      object: { group: '', kind: 'ConfigMap', namespace: INVENTORY_NAMESPACE, name },
      cluster,
    });
  }
  const objects = (data.objects ?? '').split('\n').filter((l) => l !== '').map((l) => decodeLine(l, cluster, name));
  const fleet = name === LEGACY_INVENTORY_NAME || name.startsWith(`${LEGACY_INVENTORY_NAME}-`) ? identityOfInventory(name) : undefined;
  return {
    ...(fleet ? { fleet } : {}),
    ...(typeof cm.metadata.uid === 'string' ? { uid: cm.metadata.uid } : {}),
    ...(typeof cm.metadata.resourceVersion === 'string' && cm.metadata.resourceVersion ? { resourceVersion: cm.metadata.resourceVersion } : {}),
    objects,
    branchCommit: data.branchCommit,
    sourceCommit: data.sourceCommit,
  };
}

/** True when the inventory's ConfigMap must be written to hold `next`. */
export function inventoryChanged(prev: Inventory, next: Inventory): boolean {
  return prev.branchCommit !== next.branchCommit || prev.sourceCommit !== next.sourceCommit || !sameRefs(prev.objects, next.objects);
}

/** A fleet's view of the member's inventories. */
export interface FleetInventories {
  /** Its own (empty before its first apply). */
  readonly own: Inventory;
  /** Those written under earlier names of its own (see below). */
  readonly earlier: readonly Inventory[];
  /** Everything it answers for: its own objects and its earlier names'. */
  readonly tracked: readonly ObjectRef[];
}

/**
 * Sorts the member's inventories for one fleet. Another fleet's inventory is the fleet's own under
 * an earlier name when its last applied branch commit is in the branch's history: a `fleet:` added
 * to gitfed.yaml, a new repository URL, or the single inventory of gitfed before fleets had names.
 * Its objects are the fleet's to apply and prune, and it is deleted once a reconcile has taken
 * everything over. An inventory that never completed a reconcile names no commit and is nobody's
 * to claim; nor is anything without a history to look in (a plain directory).
 */
export async function fleetInventories(all: readonly Inventory[], fleet: FleetIdentity, inHistory?: (commit: string) => Promise<boolean>): Promise<FleetInventories> {
  const own = all.find((i) => i.fleet?.id === fleet.id) ?? EMPTY_INVENTORY;
  const others = inHistory ? all.filter((i) => i.fleet && i.fleet.id !== fleet.id && i.branchCommit) : [];
  const mine = await Promise.all(others.map((i) => inHistory!(i.branchCommit!)));
  const earlier = others.filter((_, k) => mine[k]);
  return { own, earlier, tracked: earlier.reduce<readonly ObjectRef[]>((acc, i) => unionRefs(acc, i.objects), own.objects) };
}

/** The inventory ConfigMap lives in its own namespace, which gitfed creates. */
export function inventoryNamespace(cluster: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: INVENTORY_NAMESPACE, labels: { [MANAGED_BY_LABEL]: 'gitfed-inventory', [CLUSTER_LABEL]: cluster } },
  };
}

