import { describe, expect, it } from 'vitest';
import { byStage, byStageForDelete, compareForApply, Stage, stageOf } from '../../../src/apply/member/order.js';
import type { ObjectRef } from '../../../src/object.js';

const ref = (group: string, kind: string, name: string, namespace = ''): ObjectRef => ({ group, version: 'v1', kind, namespace, name });

describe('stageOf', () => {
  it.each([
    [ref('apiextensions.k8s.io', 'CustomResourceDefinition', 'x'), Stage.Definitions],
    [ref('', 'Namespace', 'x'), Stage.Definitions],
    [ref('rbac.authorization.k8s.io', 'ClusterRole', 'x'), Stage.Definitions],
    [ref('rbac.authorization.k8s.io', 'ClusterRoleBinding', 'x'), Stage.Definitions],
    [ref('rbac.authorization.k8s.io', 'Role', 'x', 'a'), Stage.Rest],
    [ref('storage.k8s.io', 'StorageClass', 'x'), Stage.Classes],
    [ref('networking.k8s.io', 'IngressClass', 'x'), Stage.Classes],
    [ref('admissionregistration.k8s.io', 'ValidatingWebhookConfiguration', 'x'), Stage.Webhooks],
    [ref('admissionregistration.k8s.io', 'MutatingWebhookConfiguration', 'x'), Stage.Webhooks],
    [ref('apps', 'Deployment', 'x', 'a'), Stage.Rest],
    [ref('example.com', 'Widget', 'x', 'a'), Stage.Rest],
  ])('%o is in stage %i', (r, stage) => expect(stageOf(r)).toBe(stage));
});

describe('apply order', () => {
  const input = [
    ref('admissionregistration.k8s.io', 'ValidatingWebhookConfiguration', 'hook'),
    ref('apps', 'Deployment', 'web', 'team-a'),
    ref('example.com', 'Widget', 'w1', 'team-a'),
    ref('', 'ConfigMap', 'cfg', 'team-a'),
    ref('storage.k8s.io', 'StorageClass', 'fast'),
    ref('', 'Namespace', 'team-a'),
    ref('apiextensions.k8s.io', 'CustomResourceDefinition', 'widgets.example.com'),
    ref('', 'ServiceAccount', 'sa', 'team-a'),
    ref('apps', 'Deployment', 'api', 'team-a'),
  ];
  const names = (rs: ObjectRef[]) => rs.map((r) => `${r.kind}/${r.name}`);

  it('puts definitions, classes, the rest and webhooks in that order, kinds by rank, then names', () => {
    expect(names([...input].sort(compareForApply))).toEqual([
      'CustomResourceDefinition/widgets.example.com',
      'Namespace/team-a',
      'StorageClass/fast',
      'ServiceAccount/sa',
      'ConfigMap/cfg',
      'Deployment/api',
      'Deployment/web',
      'Widget/w1',
      'ValidatingWebhookConfiguration/hook',
    ]);
  });

  it('does not depend on the input order', () => {
    const a = [...input].sort(compareForApply);
    const b = [...input].reverse().sort(compareForApply);
    expect(b).toEqual(a);
  });

  it('groups by stage and deletes in reverse', () => {
    const stages = byStage(input, (r) => r);
    expect(stages.map((s) => s.stage)).toEqual([Stage.Definitions, Stage.Classes, Stage.Rest, Stage.Webhooks]);
    const del = byStageForDelete(input, (r) => r);
    expect(del.map((s) => s.stage)).toEqual([Stage.Webhooks, Stage.Rest, Stage.Classes, Stage.Definitions]);
    expect(names(del[3]!.items)).toEqual(['Namespace/team-a', 'CustomResourceDefinition/widgets.example.com']);
    expect(names(del[1]!.items)[0]).toBe('Widget/w1');
  });
});
