/**
 * The members are real Kubernetes API servers: on each one, server-side apply through
 * client-node records the field manager in managedFields, a second manager that changes an
 * owned field without force gets a 409 conflict, a dry run changes nothing, a CRD becomes
 * Established and serves custom resources, and kube-controller-manager finishes namespace
 * deletion. On the workloads member a Deployment really becomes Available.
 */
import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  type KubeConfig,
  type KubernetesObject,
  type V1ConfigMap,
  type V1CustomResourceDefinition,
  type V1Deployment,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberKubeConfig, memberNames, workloadsMember } from './support/members.js';
import { createNamespace, deleteNamespace } from './support/namespaces.js';
import { serverSideApply, statusOf } from './support/ssa.js';
import { eventually } from './support/wait.js';

const MANAGER = 'gitfed-e2e';

function deployment(namespace: string, replicas: number): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace, labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
      },
    },
  };
}

const CRD_NAME = 'widgets.e2e.gitfed.io';

const crd: V1CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: CRD_NAME },
  spec: {
    group: 'e2e.gitfed.io',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: { size: { type: 'integer' }, color: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
};

function widget(namespace: string): KubernetesObject & { spec: { size: number; color: string } } {
  return { apiVersion: 'e2e.gitfed.io/v1', kind: 'Widget', metadata: { name: 'w1', namespace }, spec: { size: 3, color: 'blue' } };
}

function managers(obj: KubernetesObject): { manager?: string; operation?: string; fieldsV1?: unknown }[] {
  return obj.metadata?.managedFields ?? [];
}

function appliedBy(obj: KubernetesObject, manager: string): Record<string, unknown> | undefined {
  return managers(obj).find((m) => m.manager === manager && m.operation === 'Apply')?.fieldsV1 as Record<string, unknown> | undefined;
}

describe.each(memberNames())('member %s', (member) => {
  let kc: KubeConfig;
  let ns: string;

  beforeAll(async () => {
    kc = memberKubeConfig(member);
    ns = await createNamespace(kc, 'members');
  });

  afterAll(async () => {
    if (ns) await deleteNamespace(kc, ns);
  });

  it('server-side-applies a Deployment and records the field manager', async () => {
    const applied = await serverSideApply(kc, deployment(ns, 2), { fieldManager: MANAGER });
    expect(applied.spec?.replicas).toBe(2);

    const live = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'web', namespace: ns });
    expect(live.spec?.template.spec?.containers[0]?.image).toBe('nginx:1.27');
    const fields = appliedBy(live, MANAGER);
    expect(fields).toBeDefined();
    // The applier owns what it sent, and the selector as one atomic field.
    expect(fields).toMatchObject({ 'f:spec': { 'f:replicas': {}, 'f:selector': {} } });
    expect(JSON.stringify(fields)).toContain('k:{\\"name\\":\\"nginx\\"}');
  });

  it('answers 409 when a second manager changes an owned field without force', async () => {
    const err = await serverSideApply(kc, deployment(ns, 5), { fieldManager: 'intruder' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const status = statusOf(err);
    expect(status.code).toBe(409);
    expect(status.reason).toBe('Conflict');
    expect(status.message).toContain(`conflict with "${MANAGER}"`);
    expect(status.message).toContain('.spec.replicas');

    const live = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'web', namespace: ns });
    expect(live.spec?.replicas).toBe(2);
    expect(managers(live).map((m) => m.manager)).not.toContain('intruder');
  });

  it('changes nothing on a dry run', async () => {
    const api = kc.makeApiClient(AppsV1Api);
    const before = await api.readNamespacedDeployment({ name: 'web', namespace: ns });
    const dry = await serverSideApply(kc, deployment(ns, 4), { fieldManager: MANAGER, dryRun: true });
    expect(dry.spec?.replicas).toBe(4);

    // The deployment controller may write status meanwhile, so the Deployment's resourceVersion
    // can move; its generation moves only when the spec is really changed.
    const after = await api.readNamespacedDeployment({ name: 'web', namespace: ns });
    expect(after.spec?.replicas).toBe(2);
    expect(after.metadata?.generation).toBe(before.metadata?.generation);

    // No controller touches a ConfigMap: there even the resourceVersion must stay.
    const cm: V1ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns }, data: { mode: 'a' } };
    const created = await serverSideApply(kc, cm, { fieldManager: MANAGER });
    await serverSideApply(kc, { ...cm, data: { mode: 'b' } }, { fieldManager: MANAGER, dryRun: true });
    const live = await kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: 'settings', namespace: ns });
    expect(live.data).toEqual({ mode: 'a' });
    expect(live.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
  });

  it('applies a CRD, waits until it is Established, and serves its custom resources', async () => {
    const ext = kc.makeApiClient(ApiextensionsV1Api);
    await serverSideApply(kc, crd, { fieldManager: MANAGER });
    await eventually(`${CRD_NAME} Established on ${member}`, async () => {
      const got = await ext.readCustomResourceDefinition({ name: CRD_NAME });
      return got.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined;
    });

    // Discovery of a new group can lag Established by a moment; the apply is retried until it is served.
    const applied = await eventually(`Widget served on ${member}`, () => serverSideApply(kc, widget(ns), { fieldManager: MANAGER }));
    expect((applied as ReturnType<typeof widget>).spec.size).toBe(3);

    const live = await KubernetesObjectApi.makeApiClient(kc).read({ apiVersion: 'e2e.gitfed.io/v1', kind: 'Widget', metadata: { name: 'w1', namespace: ns } });
    expect((live as ReturnType<typeof widget>).spec.color).toBe('blue');
    expect(appliedBy(live, MANAGER)).toMatchObject({ 'f:spec': { 'f:size': {}, 'f:color': {} } });

    const conflict = await serverSideApply(kc, { ...widget(ns), spec: { size: 9, color: 'blue' } }, { fieldManager: 'intruder' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(statusOf(conflict).code).toBe(409);
  });

  it('finishes deleting a namespace (kube-controller-manager runs)', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const doomed = await createNamespace(kc, 'doomed');
    await serverSideApply(kc, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: doomed }, data: { a: '1' } }, { fieldManager: MANAGER });
    await core.deleteNamespace({ name: doomed });
    const gone = await eventually(`namespace ${doomed} gone on ${member}`, async () => {
      const code = await core.readNamespace({ name: doomed }).then(() => 200, (e: unknown) => statusOf(e).code);
      return code === 404 ? code : undefined;
    });
    expect(gone).toBe(404);
  });
});

describe('the workloads member', () => {
  it('rolls a Deployment out until it is Available', async () => {
    const member = workloadsMember();
    const kc = memberKubeConfig(member);
    const ns = await createNamespace(kc, 'rollout');
    try {
      await serverSideApply(kc, deployment(ns, 2), { fieldManager: MANAGER });
      const apps = kc.makeApiClient(AppsV1Api);
      const available = await eventually(`Deployment web Available on ${member}`, async () => {
        const d = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
        const ok = d.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True') && d.status?.readyReplicas === 2;
        return ok ? d : undefined;
      });
      expect(available.status?.availableReplicas).toBe(2);
      const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: ns, labelSelector: 'app=web' });
      expect(pods.items.map((p) => p.status?.phase)).toEqual(['Running', 'Running']);
    } finally {
      await deleteNamespace(kc, ns);
    }
  });
});
