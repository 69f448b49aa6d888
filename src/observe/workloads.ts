/**
 * @module observe/workloads
 * Which workloads the fleet federates and their pod templates, read from the source documents
 * (not from a render, which may itself need the state being observed): Karmada-style apps/v1
 * templates, and KubeFed FederatedDeployment/FederatedReplicaSet, which become apps/v1 objects on
 * the members. Pure.
 */
import { refKey } from '../object.js';
import type { SourceObject } from '../render/types.js';

export interface FederatedWorkload {
  /** The member object's key, `apps/Deployment/shop/web`: the key the state records it under. */
  readonly key: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** The pod template's spec: what the estimator sizes one replica by. */
  readonly podSpec: unknown;
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const WORKLOAD_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);

export function federatedWorkloads(objects: readonly SourceObject[]): FederatedWorkload[] {
  const out = new Map<string, FederatedWorkload>();
  for (const { obj } of objects) {
    let kind: string | undefined;
    let template: Obj | undefined;
    if (obj.apiVersion === 'apps/v1' && WORKLOAD_KINDS.has(obj.kind)) {
      kind = obj.kind;
      template = asObj(obj.spec);
    } else if (obj.apiVersion.startsWith('types.kubefed.io/') && (obj.kind === 'FederatedDeployment' || obj.kind === 'FederatedReplicaSet')) {
      kind = obj.kind.replace(/^Federated/, '');
      template = asObj(asObj(asObj(obj.spec).template).spec);
    }
    if (!kind || !template) continue;
    const namespace = obj.metadata.namespace ?? 'default';
    const key = refKey({ group: 'apps', kind, namespace, name: obj.metadata.name });
    out.set(key, { key, kind, namespace, name: obj.metadata.name, podSpec: asObj(template.template).spec });
  }
  return [...out.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}
