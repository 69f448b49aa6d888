/**
 * @module order
 * Staged apply order, after Flux's ssa package: cluster definitions first (CRDs, Namespaces,
 * cluster-wide RBAC) and a wait until the CRDs are established, so the custom resources of the
 * same branch do not race their definition; then *Class kinds; then everything else; admission
 * webhooks last, so a webhook of the branch cannot reject the objects it ships with. Deletion
 * runs the same order backwards. Ties break on group, kind, namespace and name, so the order
 * never depends on the order of the input.
 */
import type { ObjectRef } from '../../object.js';

export const Stage = { Definitions: 0, Classes: 1, Rest: 2, Webhooks: 3 } as const;
export type Stage = (typeof Stage)[keyof typeof Stage];
export const STAGES: readonly Stage[] = [Stage.Definitions, Stage.Classes, Stage.Rest, Stage.Webhooks];
export const STAGE_NAMES: Record<Stage, string> = { 0: 'definitions', 1: 'classes', 2: 'rest', 3: 'webhooks' };

const WEBHOOK_KINDS = new Set(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);

export function stageOf(ref: Pick<ObjectRef, 'group' | 'kind'>): Stage {
  const { group, kind } = ref;
  if (group === 'apiextensions.k8s.io' && kind === 'CustomResourceDefinition') return Stage.Definitions;
  if (group === '' && kind === 'Namespace') return Stage.Definitions;
  if (group === 'rbac.authorization.k8s.io' && (kind === 'ClusterRole' || kind === 'ClusterRoleBinding')) return Stage.Definitions;
  if (group === 'admissionregistration.k8s.io' && WEBHOOK_KINDS.has(kind)) return Stage.Webhooks;
  if (kind.endsWith('Class')) return Stage.Classes;
  return Stage.Rest;
}

/** Within a stage, dependencies before dependants; kinds not listed sit between the two lists. */
const FIRST = [
  'CustomResourceDefinition', 'Namespace', 'ClusterRole', 'ClusterClass', 'RuntimeClass', 'PriorityClass',
  'StorageClass', 'VolumeSnapshotClass', 'IngressClass', 'GatewayClass', 'ClusterRoleBinding', 'ResourceQuota',
  'ServiceAccount', 'Role', 'RoleBinding', 'ConfigMap', 'Secret', 'Service', 'LimitRange', 'Deployment',
  'StatefulSet', 'CronJob', 'PodDisruptionBudget',
];
const LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function kindRank(kind: string): number {
  const first = FIRST.indexOf(kind);
  if (first >= 0) return first;
  const last = LAST.indexOf(kind);
  return last >= 0 ? FIRST.length + 1 + last : FIRST.length;
}

export function compareForApply(a: ObjectRef, b: ObjectRef): number {
  return (
    stageOf(a) - stageOf(b) ||
    kindRank(a.kind) - kindRank(b.kind) ||
    cmp(a.group, b.group) ||
    cmp(a.kind, b.kind) ||
    cmp(a.namespace, b.namespace) ||
    cmp(a.name, b.name)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Items grouped by stage, each group in apply order; empty stages are left out. */
export function byStage<T>(items: readonly T[], refOfItem: (item: T) => ObjectRef): { stage: Stage; items: T[] }[] {
  const sorted = [...items].sort((x, y) => compareForApply(refOfItem(x), refOfItem(y)));
  const out: { stage: Stage; items: T[] }[] = [];
  for (const item of sorted) {
    const stage = stageOf(refOfItem(item));
    const last = out[out.length - 1];
    if (last && last.stage === stage) last.items.push(item);
    else out.push({ stage, items: [item] });
  }
  return out;
}

/** The same stages for deletion: webhooks first, definitions (and so namespaces) last. */
export function byStageForDelete<T>(items: readonly T[], refOfItem: (item: T) => ObjectRef): { stage: Stage; items: T[] }[] {
  return byStage(items, refOfItem).reverse().map((s) => ({ stage: s.stage, items: s.items.reverse() }));
}
