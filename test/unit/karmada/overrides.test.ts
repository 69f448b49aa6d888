import { describe, expect, it } from 'vitest';
import type { ImageOverrider, OverridePolicy, Overriders } from '../../../src/render/karmada/model.js';
import { applyOverriders } from '../../../src/render/karmada/overrides/apply.js';
import { applyCommandArgsOverrider } from '../../../src/render/karmada/overrides/command-args.js';
import { applyFieldOverrider } from '../../../src/render/karmada/overrides/field.js';
import { ImageRef } from '../../../src/render/karmada/overrides/image-ref.js';
import { applyImageOverrider, overrideImage } from '../../../src/render/karmada/overrides/image.js';
import { OverrideError } from '../../../src/render/karmada/overrides/json-patch.js';
import { applyLabelAnnotationOverrider } from '../../../src/render/karmada/overrides/labels.js';
import { OverrideIndex, rulesFor } from '../../../src/render/karmada/overrides/select.js';
import { validateOverridePolicy } from '../../../src/render/karmada/validate.js';
import type { Diagnostic } from '../../../src/render/types.js';
import type { KubeObject } from '../../../src/object.js';
import { cluster, sources } from './fixtures.js';

const ov = (n: number): Overriders => ({ labelsOverrider: [{ operator: 'add', value: { [`ov${n}`]: 'x' } }] });

function overridePolicies(yaml: string): OverridePolicy[] {
  const diags: Diagnostic[] = [];
  const out = sources(yaml).map((s) => validateOverridePolicy(s, diags)!);
  expect(diags).toEqual([]);
  return out;
}

// Table T9: pkg/util/overridemanager/overridemanager_test.go TestGetMatchingOverridePolicies.
describe('T9 override ordering', () => {
  const [op1, op2, op3, cop] = overridePolicies(`
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: OP1, namespace: default}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: test}]
  overrideRules:
  - targetCluster: {clusterNames: [cluster1, cluster2]}
    overriders: ${JSON.stringify(ov(1))}
  - targetCluster: {clusterNames: [cluster2]}
    overriders: ${JSON.stringify(ov(2))}
---
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: OP2, namespace: default}
spec:
  overrideRules:
  - targetCluster: {clusterNames: [cluster1, cluster2]}
    overriders: ${JSON.stringify(ov(3))}
---
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: OP3, namespace: default}
spec:
  resourceSelectors: []
  overrideRules:
  - targetCluster: {clusterNames: [cluster1, cluster2]}
    overriders: ${JSON.stringify(ov(3))}
---
apiVersion: policy.karmada.io/v1alpha1
kind: ClusterOverridePolicy
metadata: {name: COP}
spec:
  targetCluster: {clusterNames: [cluster1]}
  overriders: ${JSON.stringify(ov(3))}
`);
  const deploy: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'test', namespace: 'default' } };
  const sequence = (policies: OverridePolicy[], c: string) =>
    rulesFor(new OverrideIndex(policies).matching(deploy, 'default'), cluster(c)).map((r) => `${r.policy.name}/${Object.keys(r.overriders.labelsOverrider![0]!.value!)[0]}`);

  it.each([
    [[op1!, op2!], 'cluster1', ['OP2/ov3', 'OP1/ov1']],
    [[op1!, op2!], 'cluster2', ['OP2/ov3', 'OP1/ov1', 'OP1/ov2']],
    [[op2!, op1!], 'cluster2', ['OP2/ov3', 'OP1/ov1', 'OP1/ov2']],
    [[op3!], 'cluster2', ['OP3/ov3']],
    [[cop!], 'cluster1', ['COP/ov3']],
    [[cop!], 'cluster2', []],
    [[op1!, cop!], 'cluster1', ['COP/ov3', 'OP1/ov1']],
  ] as const)('%#: %s', (policies, c, want) => {
    expect(sequence([...policies], c)).toEqual(want);
  });

  it('takes the rules naming a cluster and the rules for any in the policy\'s order, each still held to the rest of its targetCluster', () => {
    const [mixed] = overridePolicies(`
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: MIX, namespace: default}
spec:
  overrideRules:
  - targetCluster: {clusterNames: [cluster2, cluster2, cluster1]}
    overriders: ${JSON.stringify(ov(1))}
  - targetCluster: {labelSelector: {matchLabels: {tier: edge}}}
    overriders: ${JSON.stringify(ov(2))}
  - overriders: ${JSON.stringify(ov(3))}
  - targetCluster: {clusterNames: [cluster1], labelSelector: {matchLabels: {tier: edge}}}
    overriders: ${JSON.stringify(ov(4))}
  - targetCluster: {clusterNames: [cluster2], exclude: [cluster2]}
    overriders: ${JSON.stringify(ov(5))}
  - targetCluster: {clusterNames: [cluster2]}
    overriders: ${JSON.stringify(ov(6))}
`);
    const labels = (c: string, more = {}) => rulesFor(new OverrideIndex([mixed!]).matching(deploy, 'default'), cluster(c, more)).map((r) => Object.keys(r.overriders.labelsOverrider![0]!.value!)[0]);
    expect(labels('cluster1', { labels: { tier: 'edge' } })).toEqual(['ov1', 'ov2', 'ov3', 'ov4']);
    expect(labels('cluster1')).toEqual(['ov1', 'ov3']);
    expect(labels('cluster2')).toEqual(['ov1', 'ov3', 'ov6']);
    expect(labels('cluster3', { labels: { tier: 'edge' } })).toEqual(['ov2', 'ov3']);
  });

  it('OverridePolicies apply only in their own namespace', () => {
    const elsewhere: KubeObject = { ...deploy, metadata: { name: 'test', namespace: 'other' } };
    expect(new OverrideIndex([op1!, op2!]).matching(elsewhere, 'other')).toEqual([]);
  });
});

const D = 'fictional.registry.example/imagename:v1.0.0';
const J = 'perl:5.34.0';
const SHA = 'sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c';
const workload = (kind: string, images: string[]): KubeObject => {
  const containers = images.map((image, i) => ({ name: `c${i}`, image }));
  const spec = kind === 'Pod' ? { containers } : { template: { spec: { containers } } };
  return { apiVersion: kind === 'Job' ? 'batch/v1' : kind === 'Pod' ? 'v1' : 'apps/v1', kind, metadata: { name: 'w' }, spec };
};
const imagesOf = (o: KubeObject): string[] => {
  const spec = o.spec as { containers?: { image: string }[]; template?: { spec: { containers: { image: string }[] } } };
  return (spec.containers ?? spec.template!.spec.containers).map((c) => c.image);
};
const img = (component: string, operator: string, value?: string, predicate?: string): ImageOverrider => ({
  component,
  operator,
  ...(value === undefined ? {} : { value }),
  ...(predicate ? { predicate: { path: predicate } } : {}),
});

// Table T10: imageoverride_test.go, imageparser/parser_test.go.
describe('T10 image overrides', () => {
  it.each([
    ['Job', J, img('Registry', 'add', 'registry.k8s.io'), 'registry.k8s.io/perl:5.34.0'],
    ['Job', J, img('Registry', 'add', 'registry.k8s.io', '/spec/template/spec/containers/0/image'), 'registry.k8s.io/perl:5.34.0'],
    ['Deployment', D, img('Registry', 'add', '.test'), 'fictional.registry.example.test/imagename:v1.0.0'],
    ['Deployment', D, img('Registry', 'replace', 'fictional.registry.us'), 'fictional.registry.us/imagename:v1.0.0'],
    ['Deployment', D, img('Registry', 'remove'), 'imagename:v1.0.0'],
    ['Deployment', D, img('Repository', 'add', '/nginx'), 'fictional.registry.example/imagename/nginx:v1.0.0'],
    ['Deployment', D, img('Repository', 'replace', 'nginx'), 'fictional.registry.example/nginx:v1.0.0'],
    ['Deployment', D, img('Repository', 'remove'), 'fictional.registry.example/:v1.0.0'],
    ['Deployment', D, img('Tag', 'add', SHA), D],
    ['Deployment', D, img('Tag', 'replace', SHA), `fictional.registry.example/imagename@${SHA}`],
    ['Deployment', D, img('Tag', 'remove'), 'fictional.registry.example/imagename'],
    ['Pod', D, img('Repository', 'replace', 'nginx'), 'fictional.registry.example/nginx:v1.0.0'],
    ['StatefulSet', D, img('Repository', 'replace', 'nginx'), 'fictional.registry.example/nginx:v1.0.0'],
    ['ReplicaSet', D, img('Repository', 'replace', 'nginx'), 'fictional.registry.example/nginx:v1.0.0'],
    ['DaemonSet', D, img('Repository', 'replace', 'nginx'), 'fictional.registry.example/nginx:v1.0.0'],
    ['Deployment', 'myapp:1.0.0', img('Registry', 'add', 'test-repo'), 'test-repo/myapp:1.0.0'],
    ['Deployment', 'myapp:1.0.0', img('Repository', 'replace', 'myapp2'), 'myapp2:1.0.0'],
    ['Deployment', 'myapp:1.0.0', img('Tag', 'remove'), 'myapp'],
    ['Deployment', 'nginx:1.0', img('Registry', 'replace', 'registry.k8s.io'), 'registry.k8s.io/nginx:1.0'],
    ['Deployment', 'docker.io/library/nginx:1.0', img('Registry', 'remove'), 'library/nginx:1.0'],
    ['Deployment', 'nginx', img('Tag', 'replace', '1.25'), 'nginx:1.25'],
    ['Deployment', 'nginx:1.25', img('Tag', 'add', '-alpine'), 'nginx:1.25-alpine'],
    ['Deployment', 'localhost:5000/app:1', img('Registry', 'replace', 'r.io'), 'r.io/app:1'],
  ] as const)('%s %s, %j', (kind, image, o, want) => {
    const obj = workload(kind, [image]);
    applyImageOverrider(obj, o);
    expect(imagesOf(obj)).toEqual([want]);
  });

  it('without a predicate every container changes', () => {
    const obj = workload('Deployment', [D, 'registry.k8s.io/nginx-slim:0.8']);
    applyImageOverrider(obj, img('Repository', 'replace', 'nginx'));
    expect(imagesOf(obj)).toEqual(['fictional.registry.example/nginx:v1.0.0', 'registry.k8s.io/nginx:0.8']);
  });

  it('with a predicate only that container changes', () => {
    const obj = workload('Deployment', [D, 'registry.k8s.io/nginx-slim:0.8']);
    applyImageOverrider(obj, img('Repository', 'replace', 'nginx', '/spec/template/spec/containers/1/image'));
    expect(imagesOf(obj)).toEqual([D, 'registry.k8s.io/nginx:0.8']);
  });

  it('other kinds are left alone without a predicate (#4283)', () => {
    const cron: KubeObject = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: {} } };
    expect(applyImageOverrider(cron, img('Registry', 'replace', 'x.io'))).toEqual([]);
  });

  it('an unparsable image is an override error', () => {
    expect(() => overrideImage('Not_Valid:::', img('Registry', 'remove'))).toThrow(OverrideError);
    expect(() => overrideImage('Nginx:1.0', img('Registry', 'remove'))).toThrow(/lowercase/);
  });

  it.each([
    ['pause', '', 'pause', '', ''],
    ['subpath/imagename:v1.0.0', '', 'subpath/imagename', 'v1.0.0', ''],
    ['fictional.registry.example:10443/subpath/imagename:v1.0.0', 'fictional.registry.example:10443', 'subpath/imagename', 'v1.0.0', ''],
    ['10.10.10.10:10443/subpath/imagename', '10.10.10.10:10443', 'subpath/imagename', '', ''],
    [`nginx:1.0@${SHA}`, '', 'nginx', '1.0', ''],
  ])('parses %s', (image, host, repository, tag, digest) => {
    expect({ ...ImageRef.parse(image) }).toEqual({ host, repository, tag, digest });
  });

  it('sets and removes tag or digest in turn', () => {
    const ref = ImageRef.parse('gcr.io/kube-apiserver');
    const digest = 'sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c';
    const seen: string[] = [];
    ref.setTagOrDigest('v1.19.0');
    seen.push(ref.toString());
    ref.removeTagOrDigest();
    seen.push(ref.toString());
    ref.setTagOrDigest(digest);
    seen.push(ref.toString());
    ref.removeTagOrDigest();
    seen.push(ref.toString());
    expect(seen).toEqual(['gcr.io/kube-apiserver:v1.19.0', 'gcr.io/kube-apiserver', `gcr.io/kube-apiserver@${digest}`, 'gcr.io/kube-apiserver']);
  });
});

// Table T11: commandargsoverride_test.go; container nginx, command or args [nginx, -v, -t].
describe('T11 command and args', () => {
  const withCmd = (kind: string, field: 'command' | 'args' | undefined): KubeObject => {
    const o = workload(kind, ['nginx']);
    const spec = o.spec as { containers?: Record<string, unknown>[]; template?: { spec: { containers: Record<string, unknown>[] } } };
    const c = (spec.containers ?? spec.template!.spec.containers)[0]!;
    c.name = 'nginx';
    if (field) c[field] = ['nginx', '-v', '-t'];
    return o;
  };
  const field = (o: KubeObject, f: string) => {
    const spec = o.spec as { containers?: Record<string, unknown>[]; template?: { spec: { containers: Record<string, unknown>[] } } };
    return (spec.containers ?? spec.template!.spec.containers)[0]![f];
  };
  it.each([
    ['Deployment', 'command', 'add', ["&& echo 'hello karmada'"], ['nginx', '-v', '-t', "&& echo 'hello karmada'"]],
    ['Deployment', 'command', 'remove', ['-t'], ['nginx', '-v']],
    ['Deployment', 'command', 'remove', [], ['nginx', '-v', '-t']],
    ['Pod', 'command', 'add', ['-x'], ['nginx', '-v', '-t', '-x']],
    ['StatefulSet', 'args', 'add', ['-x'], ['nginx', '-v', '-t', '-x']],
    ['ReplicaSet', 'command', 'remove', ['-v', 'nginx'], ['-t']],
    ['DaemonSet', 'args', 'remove', ['-t'], ['nginx', '-v']],
  ] as const)('%s %s %s %j', (kind, f, operator, value, want) => {
    const o = withCmd(kind, f);
    applyCommandArgsOverrider(o, f, { containerName: 'nginx', operator, value: [...value] });
    expect(field(o, f)).toEqual(want);
  });

  it('adds the field when the container has none', () => {
    const o = withCmd('Deployment', undefined);
    applyCommandArgsOverrider(o, 'args', { containerName: 'nginx', operator: 'add', value: ['-t'] });
    expect(field(o, 'args')).toEqual(['-t']);
  });

  it('leaves other containers and kinds alone', () => {
    const o = withCmd('Deployment', 'command');
    expect(applyCommandArgsOverrider(o, 'command', { containerName: 'other', operator: 'add', value: ['x'] })).toEqual([]);
    expect(field(o, 'command')).toEqual(['nginx', '-v', '-t']);
  });
});

// Table T12: labelannotationoverrider_test.go; start {foo: foo, bar: bar}.
describe('T12 labels and annotations', () => {
  const start = (): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', labels: { foo: 'foo', bar: 'bar' } } });
  it.each([
    ['replace changes only existing keys', 'replace', { foo: 'exist', 'non-exist': 'non-exist' }, { foo: 'exist', bar: 'bar' }],
    ['add', 'add', { test: 'test' }, { test: 'test', foo: 'foo', bar: 'bar' }],
    ['remove ignores missing keys', 'remove', { foo: 'foo', 'non-exist': 'x' }, { bar: 'bar' }],
    ['remove nothing', 'remove', {}, { foo: 'foo', bar: 'bar' }],
    ['replace a missing key', 'replace', { test: 'test' }, { foo: 'foo', bar: 'bar' }],
    ['remove a missing key', 'remove', { test: 'test' }, { foo: 'foo', bar: 'bar' }],
  ] as const)('%s', (_n, operator, value, want) => {
    const o = start();
    applyLabelAnnotationOverrider(o, 'labels', { operator, value: { ...value } });
    expect(o.metadata.labels).toEqual(want);
  });

  it('add creates the map', () => {
    const o: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    applyLabelAnnotationOverrider(o, 'labels', { operator: 'add', value: { test2: 'test2' } });
    expect(o.metadata.labels).toEqual({ test2: 'test2' });
  });

  it('annotation keys with a slash', () => {
    const o: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: { 'testannotation/projectId': 'c-m-lfx9lk92:p-v86cf', foo: 'foo' } } };
    applyLabelAnnotationOverrider(o, 'annotations', { operator: 'remove', value: { 'testannotation/projectId': '' } });
    expect(o.metadata.annotations).toEqual({ foo: 'foo' });
    applyLabelAnnotationOverrider(o, 'annotations', { operator: 'add', value: { 'testannotation/projectId': 'p' } });
    expect(o.metadata.annotations).toEqual({ foo: 'foo', 'testannotation/projectId': 'p' });
  });
});

// Table T13: overridemanager_test.go fieldOverrider.
describe('T13 field overrider', () => {
  const cm = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data });
  it('patches a YAML document in a string', () => {
    const o = cm({ 'test.yaml': 'key:\n  key1: value\n' });
    applyFieldOverrider(o, { fieldPath: '/data/test.yaml', yaml: [{ subPath: '/key/key1', operator: 'replace', value: 'updated_value' }] });
    expect((o.data as Record<string, string>)['test.yaml']).toBe('key:\n  key1: updated_value\n');
  });
  it('patches a JSON document in a string', () => {
    const o = cm({ 'test.json': '{"key":{"key1":"value"}}' });
    applyFieldOverrider(o, { fieldPath: '/data/test.json', json: [{ subPath: '/key/key1', operator: 'replace', value: 'updated_value' }] });
    expect((o.data as Record<string, string>)['test.json']).toBe('{"key":{"key1":"updated_value"}}');
  });
  it('(derived) a quoted number stays a string, re-emitted with double quotes and sorted keys', () => {
    const o = cm({ 'config.yaml': 'app:\n  name: x # comment\n  database:\n    port: 5432\n    host: db\n' });
    applyFieldOverrider(o, { fieldPath: '/data/config.yaml', yaml: [{ subPath: '/app/database/port', operator: 'replace', value: '3306' }] });
    expect((o.data as Record<string, string>)['config.yaml']).toBe('app:\n  database:\n    host: db\n    port: "3306"\n  name: x\n');
  });
  it('a non-string field is an error', () => {
    const o: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 1 } };
    expect(() => applyFieldOverrider(o, { fieldPath: '/spec/replicas', json: [{ subPath: '/a', operator: 'remove' }] })).toThrow(/is not string/);
  });
});

describe('plaintext', () => {
  const cm = (): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { example: '1' }, spec: { containers: [{ env: [{ name: 'A' }] }] } });
  it('replace, append with -, insert at an index', () => {
    const o = cm();
    applyOverriders(o, {
      plaintext: [
        { path: '/data/example', operator: 'replace', value: '2' },
        { path: '/spec/containers/0/env/-', operator: 'add', value: { name: 'LAST' } },
        { path: '/spec/containers/0/env/0', operator: 'add', value: { name: 'FIRST' } },
      ],
    });
    expect(o.data).toEqual({ example: '2' });
    expect((o.spec as { containers: { env: { name: string }[] }[] }).containers[0]!.env.map((e) => e.name)).toEqual(['FIRST', 'A', 'LAST']);
  });
  it.each([
    ['replace of a missing path', { path: '/data/missing', operator: 'replace', value: 'x' }, 'replace /data/missing: the path does not exist'],
    ['remove of a missing path', { path: '/spec/nope', operator: 'remove' }, 'remove /spec/nope: the path does not exist'],
    ['add under a missing parent', { path: '/a/b/c', operator: 'add', value: 1 }, 'add /a/b/c: the parent of the path does not exist'],
  ])('%s is an error', (_n, op, msg) => {
    expect(() => applyOverriders(cm(), { plaintext: [op] })).toThrow(msg);
  });
  it('runs after the other overriders of the rule', () => {
    const o = cm();
    applyOverriders(o, { plaintext: [{ path: '/metadata/labels/a', operator: 'replace', value: 'plain' }], labelsOverrider: [{ operator: 'add', value: { a: 'label' } }] });
    expect(o.metadata.labels).toEqual({ a: 'plain' });
  });
  it('never writes through to the policy value', () => {
    const value = { name: 'X' };
    const o = cm();
    applyOverriders(o, { plaintext: [{ path: '/spec/containers/0/env/-', operator: 'add', value }] });
    (o.spec as { containers: { env: { name: string }[] }[] }).containers[0]!.env[1]!.name = 'changed';
    expect(value).toEqual({ name: 'X' });
  });
});
