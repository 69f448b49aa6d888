/**
 * @module fleet/import/strip
 * An object read from a live API server, reduced to what its author wrote: the server's own
 * metadata, status, and the bookkeeping KubeFed, Karmada and kubectl add are dropped, so a fleet
 * repo holds intent and a render does not fight the members' controllers. Pure.
 */
import type { KubeObject } from '../../object.js';

const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'ownerReferences', 'generateName'];

/** Annotations a server or a controller sets; keys, or prefixes ending in "/". */
const SERVER_ANNOTATIONS = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'kubernetes.io/service-account.uid',
  'pv.kubernetes.io/',
  'volume.kubernetes.io/selected-node',
  'volume.beta.kubernetes.io/storage-provisioner',
  'volume.kubernetes.io/storage-provisioner',
  'control-plane.alpha.kubernetes.io/leader',
];

/** What Karmada's detector and KubeFed's controllers write on templates and policies. */
const CONTROLLER_PREFIXES = [
  'propagationpolicy.karmada.io/',
  'clusterpropagationpolicy.karmada.io/',
  'policy.karmada.io/',
  'resourcebinding.karmada.io/',
  'clusterresourcebinding.karmada.io/',
  'resourcetemplate.karmada.io/',
  'work.karmada.io/',
  'karmada.io/managed',
  'kubefed.io/managed',
];

function dropped(key: string, list: readonly string[]): boolean {
  return list.some((p) => (p.endsWith('/') ? key.startsWith(p) : key === p));
}

function prune(map: Record<string, string> | undefined, list: readonly string[]): Record<string, string> | undefined {
  if (!map) return undefined;
  const out = Object.fromEntries(Object.entries(map).filter(([k]) => !dropped(k, list)));
  return Object.keys(out).length ? out : undefined;
}

/**
 * A copy without server-set fields. `keepStatus` names status fields that are intent in gitfed's
 * reading (a KubeFedCluster's region and zones).
 */
export function stripServerFields(obj: KubeObject, keepStatus: readonly string[] = []): KubeObject {
  const copy = structuredClone(obj) as KubeObject & { status?: Record<string, unknown> };
  const md = copy.metadata as unknown as Record<string, unknown>;
  for (const k of SERVER_METADATA) delete md[k];
  const annotations = prune(copy.metadata.annotations, [...SERVER_ANNOTATIONS, ...CONTROLLER_PREFIXES]);
  const labels = prune(copy.metadata.labels, CONTROLLER_PREFIXES);
  if (annotations) copy.metadata.annotations = annotations;
  else delete copy.metadata.annotations;
  if (labels) copy.metadata.labels = labels;
  else delete copy.metadata.labels;
  const finalizers = (copy.metadata as { finalizers?: string[] }).finalizers?.filter((f) => !/(^|\.)(kubefed|karmada)\.io\//.test(f) && !f.startsWith('kubernetes'));
  if (finalizers?.length) (copy.metadata as { finalizers?: string[] }).finalizers = finalizers;
  else delete (copy.metadata as { finalizers?: string[] }).finalizers;
  const status = copy.status;
  delete copy.status;
  if (status && keepStatus.length) {
    const kept = Object.fromEntries(keepStatus.filter((k) => status[k] !== undefined).map((k) => [k, status[k]]));
    if (Object.keys(kept).length) copy.status = kept;
  }
  return copy;
}
