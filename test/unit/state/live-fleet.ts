/** Builders for renders with observed state: member documents, and a one-Deployment Karmada fleet. */
import { renderKarmada } from '../../../src/render/karmada/index.js';
import type { Cluster } from '../../../src/render/types.js';
import type { FleetState, MemberState, WorkloadState } from '../../../src/state/model.js';
import { input } from '../kubefed/fleet.js';

export const T = '2026-01-01T00:00:00Z';

export function member(name: string, workloads: Record<string, Partial<WorkloadState>>, ready = true, readySince = T): MemberState {
  const full: Record<string, WorkloadState> = {};
  for (const [k, w] of Object.entries(workloads)) full[k] = { desired: 0, ready: 0, current: 0, pending: 0, unschedulable: 0, fit: 0, ...w };
  return { cluster: name, ready, readySince, changedAt: readySince, free: { pods: '100' }, workloads: full };
}

export function state(...members: MemberState[]): FleetState {
  return { commit: 'a'.repeat(40), members: new Map(members.map((m) => [m.cluster, m])) };
}

/** The Deployment `web/x` that karmadaRender places. */
export const KWEB = 'apps/Deployment/web/x';
export const deployment = (replicas: number) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: x, namespace: web}
spec:
  replicas: ${replicas}
  template: {spec: {containers: [{name: app, image: x:1, resources: {requests: {cpu: 500m}}}]}}
`;
/** A PropagationPolicy selecting every `kind` of its namespace; `placement` indented 4. */
export const propagationPolicy = (name: string, namespace: string, apiVersion: string, kind: string, placement: string) => `
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  resourceSelectors: [{apiVersion: ${apiVersion}, kind: ${kind}}]
  placement:
${placement}`;
export const pp = (placement: string) => propagationPolicy('x', 'web', 'apps/v1', 'Deployment', placement);
export const ns = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: web}\n';

/** Namespace `web`, Deployment `web/x` with `replicas`, and a PropagationPolicy with `placement` (indented 4). */
export function karmadaRender(replicas: number, placement: string, clusters: Cluster[], s?: FleetState, extra = '') {
  return renderKarmada({ ...input([ns, deployment(replicas), pp(placement)].join('---\n') + extra, clusters), ...(s ? { state: s } : {}) });
}
