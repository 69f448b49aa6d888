/**
 * @module karmada/scope
 * Which kinds are namespaced, and the identity of a template. Built-in kinds come from a table;
 * a CustomResourceDefinition among the templates declares the scope of its kind; any other kind
 * is namespaced iff the template sets metadata.namespace.
 */
import { groupOf, refKey } from '../../object.js';
import type { KubeObject, ObjectKey } from '../types.js';

const CLUSTER_SCOPED = new Set([
  '/Namespace', '/Node', '/PersistentVolume', '/ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition', 'apiregistration.k8s.io/APIService',
  'storage.k8s.io/StorageClass', 'storage.k8s.io/CSIDriver', 'storage.k8s.io/CSINode', 'storage.k8s.io/VolumeAttachment',
  'scheduling.k8s.io/PriorityClass', 'networking.k8s.io/IngressClass', 'node.k8s.io/RuntimeClass',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration', 'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'certificates.k8s.io/CertificateSigningRequest', 'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
]);

const NAMESPACED = new Set([
  '/Pod', '/Service', '/ConfigMap', '/Secret', '/ServiceAccount', '/PersistentVolumeClaim', '/Endpoints', '/Event',
  '/LimitRange', '/ResourceQuota', '/PodTemplate', '/ReplicationController',
  'apps/Deployment', 'apps/ReplicaSet', 'apps/StatefulSet', 'apps/DaemonSet', 'apps/ControllerRevision',
  'batch/Job', 'batch/CronJob', 'autoscaling/HorizontalPodAutoscaler', 'policy/PodDisruptionBudget',
  'networking.k8s.io/Ingress', 'networking.k8s.io/NetworkPolicy', 'rbac.authorization.k8s.io/Role',
  'rbac.authorization.k8s.io/RoleBinding', 'coordination.k8s.io/Lease', 'discovery.k8s.io/EndpointSlice',
  'storage.k8s.io/CSIStorageCapacity', 'multicluster.x-k8s.io/ServiceImport', 'multicluster.x-k8s.io/ServiceExport',
]);

export class ScopeTable {
  private readonly crdScopes = new Map<string, boolean>();

  /** Reads the scope of every CustomResourceDefinition among `objects`. */
  constructor(objects: Iterable<KubeObject>) {
    for (const o of objects) {
      if (o.kind !== 'CustomResourceDefinition' || groupOf(o.apiVersion) !== 'apiextensions.k8s.io') continue;
      const spec = (o.spec ?? {}) as { group?: unknown; names?: { kind?: unknown }; scope?: unknown };
      if (typeof spec.group === 'string' && typeof spec.names?.kind === 'string') {
        this.crdScopes.set(`${spec.group}/${spec.names.kind}`, spec.scope !== 'Cluster');
      }
    }
  }

  isNamespaced(obj: KubeObject): boolean {
    const gk = `${groupOf(obj.apiVersion)}/${obj.kind}`;
    if (CLUSTER_SCOPED.has(gk)) return false;
    if (NAMESPACED.has(gk)) return true;
    return this.crdScopes.get(gk) ?? Boolean(obj.metadata.namespace);
  }

  /** The namespace the template lives in: '' when cluster-scoped, `default` when a namespaced template names none. */
  namespaceOf(obj: KubeObject): string {
    return this.isNamespaced(obj) ? obj.metadata.namespace || 'default' : '';
  }
}

export function templateKey(obj: KubeObject, namespace: string): ObjectKey {
  return refKey({ group: groupOf(obj.apiVersion), kind: obj.kind, namespace, name: obj.metadata.name });
}
