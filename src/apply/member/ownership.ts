/**
 * @module ownership
 * What gitfed writes onto the objects it applies, at apply time and never in git, and how it
 * reads a live object's owner and opt-outs. `gitfed.io/managed-by` marks every object of any
 * fleet (the watch cache lists what carries it); the ApplySet part-of label says which fleet
 * owns it, so a fleet prunes and updates only its own. The digest annotation records what was
 * last applied, so an unchanged object needs no request.
 */
import type { KubeObject } from '../../object.js';
import { describeFleet, LEGACY_FLEET, type FleetIdentity } from '../fleet.js';

export const FIELD_MANAGER = 'gitfed';

export const MANAGED_BY_LABEL = 'gitfed.io/managed-by';
export const MANAGED_BY_VALUE = 'gitfed';
export const CLUSTER_LABEL = 'gitfed.io/cluster';
/** The owning fleet's name, for people and selectors; ownership itself is decided by PART_OF_LABEL. */
export const FLEET_LABEL = 'gitfed.io/fleet';
/** kubectl ApplySet membership: the owning fleet's id. */
export const PART_OF_LABEL = 'applyset.kubernetes.io/part-of';
export const DIGEST_ANNOTATION = 'gitfed.io/applied-digest';

/** Set on a live or desired object: prune leaves it in place (`disabled`). */
export const PRUNE_ANNOTATION = 'gitfed.io/prune';
/** KubeFed's orphaning annotation: the object is left behind when it leaves the branch. */
export const ORPHAN_ANNOTATION = 'kubefed.io/orphan';
/** Set on a desired object: an immutable-field error may delete and create it again (`enabled`). */
export const RECREATE_ANNOTATION = 'gitfed.io/recreate';
/** Set on a desired object: overrides the fleet's drift policy (`correct` or `report`). */
export const DRIFT_ANNOTATION = 'gitfed.io/drift';

/** Every fleet's objects: a fleet must see another's to leave it alone. */
export const OWNED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;

/** A copy of `obj` carrying the fleet's labels and the digest; the input is not changed. */
export function withOwnership(obj: KubeObject, cluster: string, digest: string, fleet: FleetIdentity): KubeObject {
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      labels: { ...obj.metadata.labels, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [CLUSTER_LABEL]: cluster, [FLEET_LABEL]: fleet.name, [PART_OF_LABEL]: fleet.id },
      annotations: { ...obj.metadata.annotations, [DIGEST_ANNOTATION]: digest },
    },
  };
}

/** Carries gitfed's label: some fleet's, this one's or not. */
export function isManaged(live: KubeObject): boolean {
  return live.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
}

/** The fleet that owns a live object (by its part-of label; the unnamed legacy fleet without one), or undefined when gitfed does not manage it. */
export function ownerOf(live: KubeObject): Pick<FleetIdentity, 'name' | 'id'> | undefined {
  if (!isManaged(live)) return undefined;
  const labels = live.metadata.labels ?? {};
  const id = labels[PART_OF_LABEL];
  if (!id) return LEGACY_FLEET;
  return { id, name: labels[FLEET_LABEL] || id };
}

/** Who may act on objects as their owner: the fleet, and the earlier names it is taking over (by id). */
export interface Owners {
  readonly fleet: FleetIdentity;
  /** Ids of inventories whose history is this fleet's own: an earlier name, or the legacy inventory. */
  readonly predecessors: ReadonlySet<string>;
}

/** Owned by the fleet itself or by one of its earlier names. */
export function ownedBy(live: KubeObject, owners: Owners): boolean {
  const owner = ownerOf(live);
  return owner !== undefined && (owner.id === owners.fleet.id || owners.predecessors.has(owner.id));
}

export function appliedDigest(live: KubeObject): string | undefined {
  return live.metadata.annotations?.[DIGEST_ANNOTATION];
}

/** Why prune must leave a live object alone, or undefined when it may delete it. */
export function pruneBlocker(live: KubeObject, owners: Owners): string | undefined {
  const owner = ownerOf(live);
  if (!owner) return `not owned by gitfed (no ${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE} label)`;
  if (!ownedBy(live, owners)) return `owned by ${describeFleet(owner)}`;
  const ann = live.metadata.annotations ?? {};
  if (ann[ORPHAN_ANNOTATION] === 'true') return `orphaned (${ORPHAN_ANNOTATION}: "true")`;
  if (ann[PRUNE_ANNOTATION] === 'disabled') return `prune disabled (${PRUNE_ANNOTATION}: disabled)`;
  return undefined;
}

export function recreateAllowed(desired: KubeObject): boolean {
  return desired.metadata.annotations?.[RECREATE_ANNOTATION] === 'enabled';
}
