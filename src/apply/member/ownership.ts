/**
 * @module ownership
 * What gitfed writes onto the objects it applies, at apply time and never in git, and how it
 * reads a live object's opt-outs. The label marks ownership (prune deletes only what carries
 * it, and the watch cache lists only what carries it); the digest annotation records what was
 * last applied, so an unchanged object needs no request.
 */
import type { KubeObject } from '../../render/types.js';

export const FIELD_MANAGER = 'gitfed';

export const MANAGED_BY_LABEL = 'gitfed.io/managed-by';
export const MANAGED_BY_VALUE = 'gitfed';
export const CLUSTER_LABEL = 'gitfed.io/cluster';
export const DIGEST_ANNOTATION = 'gitfed.io/applied-digest';

/** Set on a live or desired object: prune leaves it in place (`disabled`). */
export const PRUNE_ANNOTATION = 'gitfed.io/prune';
/** KubeFed's orphaning annotation: the object is left behind when it leaves the branch. */
export const ORPHAN_ANNOTATION = 'kubefed.io/orphan';
/** Set on a desired object: an immutable-field error may delete and create it again (`enabled`). */
export const RECREATE_ANNOTATION = 'gitfed.io/recreate';
/** Set on a desired object: overrides the fleet's drift policy (`correct` or `report`). */
export const DRIFT_ANNOTATION = 'gitfed.io/drift';

export const OWNED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;

/** A copy of `obj` carrying gitfed's labels and the digest; the input is not changed. */
export function withOwnership(obj: KubeObject, cluster: string, digest: string): KubeObject {
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      labels: { ...obj.metadata.labels, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [CLUSTER_LABEL]: cluster },
      annotations: { ...obj.metadata.annotations, [DIGEST_ANNOTATION]: digest },
    },
  };
}

export function isOwned(live: KubeObject): boolean {
  return live.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
}

export function appliedDigest(live: KubeObject): string | undefined {
  return live.metadata.annotations?.[DIGEST_ANNOTATION];
}

/** Why prune must leave a live object alone, or undefined when it may delete it. */
export function pruneBlocker(live: KubeObject): string | undefined {
  if (!isOwned(live)) return `not owned by gitfed (no ${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE} label)`;
  const ann = live.metadata.annotations ?? {};
  if (ann[ORPHAN_ANNOTATION] === 'true') return `orphaned (${ORPHAN_ANNOTATION}: "true")`;
  if (ann[PRUNE_ANNOTATION] === 'disabled') return `prune disabled (${PRUNE_ANNOTATION}: disabled)`;
  return undefined;
}

export function recreateAllowed(desired: KubeObject): boolean {
  return desired.metadata.annotations?.[RECREATE_ANNOTATION] === 'enabled';
}
