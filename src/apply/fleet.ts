/**
 * @module fleet
 * Which fleet the apply side acts for, in kubectl's ApplySet terms: the fleet's inventory
 * ConfigMap on each member is the ApplySet's parent, its id (derived from the parent's name,
 * namespace, kind and group, as kubectl derives it) is the `applyset.kubernetes.io/part-of`
 * label of every object the fleet applied. The name comes from the branch metadata; render
 * decides it (gitfed.yaml's `fleet`, or a default distinct per fleet repo).
 */
import { createHash } from 'node:crypto';
import { fleetNameFromRepo } from '../fleet-name.js';
import type { BranchMetadata } from '../git/branch-read.js';

export const INVENTORY_NAMESPACE = 'gitfed-system';
/** The one inventory of gitfed before fleets had names; migrated by the fleet whose history holds it. */
export const LEGACY_INVENTORY_NAME = 'gitfed-inventory';
/** The fleet of a branch whose metadata names neither a fleet nor a repository. */
export const DEFAULT_FLEET = 'default';

export interface FleetIdentity {
  /** As in gitfed.yaml (`fleet:`) or derived; '' for the unnamed fleet of an earlier gitfed. */
  readonly name: string;
  /** The ApplySet id: value of the part-of label on the fleet's objects. */
  readonly id: string;
  /** Name of the fleet's inventory ConfigMap in gitfed-system: the ApplySet parent. */
  readonly inventory: string;
}

/** kubectl's ApplySet id of a parent object: `applyset-` + base64url(sha256(name.namespace.Kind.group)) + `-v1`. */
export function applySetId(parent: { name: string; namespace: string; kind: string; group: string }): string {
  const gknn = [parent.name, parent.namespace, parent.kind, parent.group].join('.');
  return `applyset-${createHash('sha256').update(gknn).digest('base64url')}-v1`;
}

function identityOf(name: string, inventory: string): FleetIdentity {
  return { name, inventory, id: applySetId({ name: inventory, namespace: INVENTORY_NAMESPACE, kind: 'ConfigMap', group: '' }) };
}

/** The identity of the fleet of that name. */
export function fleetIdentity(name: string): FleetIdentity {
  return identityOf(name, `${LEGACY_INVENTORY_NAME}-${name}`);
}

export const LEGACY_FLEET: FleetIdentity = identityOf('', LEGACY_INVENTORY_NAME);

/** The identity an inventory ConfigMap's name stands for (the legacy one included): the name decides, as the id is derived from it. */
export function identityOfInventory(inventoryName: string): FleetIdentity {
  if (inventoryName === LEGACY_INVENTORY_NAME) return LEGACY_FLEET;
  return identityOf(inventoryName.slice(LEGACY_INVENTORY_NAME.length + 1), inventoryName);
}

/**
 * The fleet a branch belongs to: the metadata's `fleet`; for a branch rendered before fleets had
 * names, the name render now derives from the repository the metadata names, else `default`.
 */
export function fleetOfBranch(metadata: Pick<BranchMetadata, 'fleet' | 'sourceRepo'>): FleetIdentity {
  return fleetIdentity(metadata.fleet ?? (metadata.sourceRepo ? fleetNameFromRepo(metadata.sourceRepo) : undefined) ?? DEFAULT_FLEET);
}

/** How a report names a fleet. */
export function describeFleet(f: Pick<FleetIdentity, 'name' | 'id'>): string {
  return f.name ? `fleet ${f.name}` : `the unnamed fleet of an earlier gitfed (inventory ${INVENTORY_NAMESPACE}/${LEGACY_INVENTORY_NAME})`;
}
