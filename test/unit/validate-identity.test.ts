/**
 * Identities by the rules of their kinds, as kubernetes/pkg/apis/<group>/validation gives them.
 */
import { describe, expect, it } from 'vitest';
import { identityProblems, labelProblems, nameRuleOf } from '../../src/render/validate-identity.js';
import type { KubeObject } from '../../src/object.js';

const obj = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => ({ apiVersion, kind, metadata: { name, ...(namespace !== undefined ? { namespace } : {}) } });
const ok = (group: string, kind: string, name: string) => nameRuleOf(group, kind).check(name).length === 0;

describe('name rules by kind', () => {
  it('Namespace and StatefulSet names are DNS-1123 labels', () => {
    expect(ok('', 'Namespace', 'shop')).toBe(true);
    expect(ok('', 'Namespace', 'a.b')).toBe(false);
    expect(ok('', 'Namespace', 'n'.repeat(64))).toBe(false);
    expect(ok('apps', 'StatefulSet', 'db-0')).toBe(true);
    expect(ok('apps', 'StatefulSet', 'db.primary')).toBe(false);
  });
  it('Service names are DNS-1035 labels: a letter first', () => {
    expect(ok('', 'Service', 'web')).toBe(true);
    expect(ok('', 'Service', '1web')).toBe(false);
    expect(ok('', 'Service', 'web.shop')).toBe(false);
    // A Service of another group is a custom resource, with the subdomain rule.
    expect(ok('example.com', 'Service', '1web.x')).toBe(true);
  });
  it('CronJob names leave room for the Job suffix: 52 characters', () => {
    expect(ok('batch', 'CronJob', 'c'.repeat(52))).toBe(true);
    expect(ok('batch', 'CronJob', 'c'.repeat(53))).toBe(false);
    expect(ok('batch', 'Job', 'c'.repeat(200))).toBe(true);
  });
  it('RBAC names are path segments: capitals and colons yes, slash, percent, "." and ".." no', () => {
    for (const kind of ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']) {
      expect(ok('rbac.authorization.k8s.io', kind, 'system:Controller_x')).toBe(true);
      expect(ok('rbac.authorization.k8s.io', kind, 'r'.repeat(300))).toBe(true);
      for (const bad of ['.', '..', 'a/b', 'a%2Fb']) expect(ok('rbac.authorization.k8s.io', kind, bad), `${kind} ${bad}`).toBe(false);
    }
  });
  it('everything else, custom resources included, is a DNS-1123 subdomain', () => {
    for (const [g, k] of [['', 'ConfigMap'], ['', 'Secret'], ['apps', 'Deployment'], ['example.com', 'Widget'], ['types.kubefed.io', 'FederatedService']]) {
      expect(ok(g!, k!, 'a.b-c')).toBe(true);
      expect(ok(g!, k!, 'a'.repeat(253))).toBe(true);
      for (const bad of ['A', 'a'.repeat(254), '../x', 'a_b', 'café', 'a\0b', '']) expect(ok(g!, k!, bad), `${k} ${JSON.stringify(bad)}`).toBe(false);
    }
  });
});

describe('identityProblems', () => {
  it('passes a valid object, cluster-scoped or namespaced', () => {
    expect(identityProblems(obj('apps/v1', 'Deployment', 'web', 'shop'))).toEqual([]);
    expect(identityProblems(obj('v1', 'Namespace', 'shop'))).toEqual([]);
    expect(identityProblems(obj('v1', 'ConfigMap', 'x', ''))).toEqual([]);
  });
  it('blames each field with its own code and field path', () => {
    const p = identityProblems(obj('Example.com/v1/x', '../Kind', 'Bad Name', 'Shop'));
    expect(p.map((x) => [x.code, x.field.join('.')])).toEqual([
      ['InvalidAPIVersion', 'apiVersion'], ['InvalidKind', 'kind'], ['InvalidName', 'metadata.name'], ['InvalidName', 'metadata.namespace'],
    ]);
  });
  it('leaves the name to the caller when asked (cluster names have their own rule)', () => {
    expect(identityProblems(obj('cluster.karmada.io/v1alpha1', 'Cluster', 'A.B'), { skipName: true })).toEqual([]);
  });
});

describe('labelProblems', () => {
  it('checks keys as qualified names and values as label values', () => {
    expect(labelProblems('app.kubernetes.io/name', 'web')).toEqual([]);
    expect(labelProblems('team', '')).toEqual([]);
    expect(labelProblems('team', '../ops').map((p) => p.code)).toEqual(['InvalidLabel']);
    expect(labelProblems('a/b/c', 'x').map((p) => p.field)).toEqual([['metadata', 'labels', 'a/b/c']]);
  });
});
