/**
 * @module fleet/import/layout
 * Where an imported object lives in the fleet repo: one file per object, by style, namespace and
 * kind, so an import run twice writes the same tree and a reviewer finds an object by name. Pure.
 *
 *   clusters/NAME.yaml                          KubeFedCluster, Karmada Cluster
 *   kubefed/type-configs/NAME.yaml              FederatedTypeConfig
 *   kubefed/NAMESPACE/KIND-NAME.yaml            Federated<Kind>, ReplicaSchedulingPreference
 *   kubefed/_cluster/KIND-NAME.yaml             cluster-scoped Federated<Kind>
 *   karmada/NAMESPACE/KIND-NAME.yaml            templates, PropagationPolicy, OverridePolicy
 *   karmada/_cluster/KIND-NAME.yaml             cluster-scoped templates and policies
 *
 * KIND is the kind in lower case; a group other than the core and the styles' own is added
 * (`certificate.cert-manager.io-web.yaml`) so two kinds of one name never share a file.
 */
import type { KubeObject } from '../../object.js';
import { toYaml } from '../../render/emit.js';

export type Style = 'kubefed' | 'karmada';

const OWN_GROUPS = new Set(['', 'apps', 'batch', 'types.kubefed.io', 'core.kubefed.io', 'scheduling.kubefed.io', 'policy.karmada.io', 'cluster.karmada.io', 'rbac.authorization.k8s.io', 'networking.k8s.io', 'autoscaling', 'policy']);

function groupOf(obj: KubeObject): string {
  const i = obj.apiVersion.lastIndexOf('/');
  return i < 0 ? '' : obj.apiVersion.slice(0, i);
}

export function importPath(obj: KubeObject, style: Style): string {
  if (obj.kind === 'KubeFedCluster' || (obj.kind === 'Cluster' && groupOf(obj) === 'cluster.karmada.io')) return `clusters/${obj.metadata.name}.yaml`;
  if (obj.kind === 'FederatedTypeConfig') return `kubefed/type-configs/${obj.metadata.name}.yaml`;
  const group = groupOf(obj);
  const kind = OWN_GROUPS.has(group) ? obj.kind.toLowerCase() : `${obj.kind.toLowerCase()}.${group}`;
  return `${style}/${obj.metadata.namespace || '_cluster'}/${kind}-${obj.metadata.name}.yaml`;
}

/** One object as a file: a comment saying where it came from, then the object. */
export function fileText(obj: KubeObject, origin: string): string {
  return `# Imported by gitfed from ${origin}.\n${toYaml(obj)}`;
}
