import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/object.js';
import { dependenciesOf, selectorString } from '../../../../src/fleet/import/karmada.js';
import { importPath } from '../../../../src/fleet/import/layout.js';
import { stripServerFields } from '../../../../src/fleet/import/strip.js';

const live = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web', namespace: 'shop', uid: 'u', resourceVersion: '7', generation: 3, creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [{ manager: 'kubectl' }],
    ownerReferences: [{ kind: 'X' }], finalizers: ['karmada.io/binding-controller', 'example.com/keep'],
    labels: { app: 'web', 'propagationpolicy.karmada.io/permanent-id': 'abc', 'kubefed.io/managed': 'true' },
    annotations: { team: 'a', 'deployment.kubernetes.io/revision': '4', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'propagationpolicy.karmada.io/name': 'pp' },
  },
  spec: { replicas: 2 },
  status: { replicas: 2 },
} as unknown as KubeObject;

describe('stripServerFields', () => {
  it('keeps what the author wrote and drops what servers and controllers set', () => {
    expect(stripServerFields(live)).toEqual({
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', finalizers: ['example.com/keep'], labels: { app: 'web' }, annotations: { team: 'a' } },
      spec: { replicas: 2 },
    });
    expect((live as { status?: unknown }).status).toEqual({ replicas: 2 });
  });

  it('keeps the status fields it is told to keep, and drops empty maps', () => {
    const c = { apiVersion: 'core.kubefed.io/v1beta1', kind: 'KubeFedCluster', metadata: { name: 'a', labels: { 'kubefed.io/managed': 'true' } }, status: { region: 'eu', zones: ['a'], conditions: [{}] } } as unknown as KubeObject;
    expect(stripServerFields(c, ['region', 'zones'])).toEqual({ apiVersion: 'core.kubefed.io/v1beta1', kind: 'KubeFedCluster', metadata: { name: 'a' }, status: { region: 'eu', zones: ['a'] } });
  });
});

describe('import layout', () => {
  it.each([
    [{ apiVersion: 'core.kubefed.io/v1beta1', kind: 'KubeFedCluster', metadata: { name: 'a', namespace: 'kube-federation-system' } }, 'kubefed', 'clusters/a.yaml'],
    [{ apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name: 'b' } }, 'karmada', 'clusters/b.yaml'],
    [{ apiVersion: 'core.kubefed.io/v1beta1', kind: 'FederatedTypeConfig', metadata: { name: 'deployments.apps', namespace: 'x' } }, 'kubefed', 'kubefed/type-configs/deployments.apps.yaml'],
    [{ apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedDeployment', metadata: { name: 'web', namespace: 'shop' } }, 'kubefed', 'kubefed/shop/federateddeployment-web.yaml'],
    [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, 'karmada', 'karmada/_cluster/namespace-shop.yaml'],
    [{ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'web', namespace: 'shop' } }, 'karmada', 'karmada/shop/certificate.cert-manager.io-web.yaml'],
  ])('%o in %s style is %s', (obj, style, path) => {
    expect(importPath(obj as KubeObject, style as 'kubefed' | 'karmada')).toBe(path);
  });
});

describe('Karmada selectors and dependencies', () => {
  it('writes a LabelSelector in the API server query syntax', () => {
    expect(selectorString({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'NotIn', values: ['c'] }, { key: 'y', operator: 'Exists' }, { key: 'z', operator: 'DoesNotExist' }] })).toBe('app=web,tier in (a,b),x notin (c),y,!z');
    expect(selectorString(undefined)).toBeUndefined();
    expect(selectorString({})).toBeUndefined();
  });

  it('finds what a pod template refers to, once each', () => {
    const d = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w' },
      spec: { template: { spec: {
        serviceAccountName: 'sa',
        volumes: [{ configMap: { name: 'cm' } }, { secret: { secretName: 's' } }, { persistentVolumeClaim: { claimName: 'data' } }, { projected: { sources: [{ configMap: { name: 'cm2' } }] } }],
        containers: [{ env: [{ valueFrom: { configMapKeyRef: { name: 'cm' } } }], envFrom: [{ secretRef: { name: 's2' } }] }],
      } } },
    } as unknown as KubeObject;
    expect(dependenciesOf(d)).toEqual([
      { kind: 'ServiceAccount', name: 'sa' }, { kind: 'ConfigMap', name: 'cm' }, { kind: 'Secret', name: 's' }, { kind: 'PersistentVolumeClaim', name: 'data' }, { kind: 'ConfigMap', name: 'cm2' }, { kind: 'Secret', name: 's2' },
    ]);
  });
});
