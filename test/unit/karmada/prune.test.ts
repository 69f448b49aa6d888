import { describe, expect, it } from 'vitest';
import { pruneForMember } from '../../../src/render/karmada/prune.js';
import type { KubeObject } from '../../../src/object.js';
import { byCluster, cluster, codes, render } from './fixtures.js';

/** Reads a dotted path; undefined where any level is missing. */
function at(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

const has = (obj: unknown, path: readonly string[]): boolean => {
  const parent = at(obj, path.slice(0, -1));
  return parent !== null && typeof parent === 'object' && path[path.length - 1]! in parent;
};

const k = (kind: string, rest: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind, metadata: { name: 'x', ...metadata }, ...rest }) as KubeObject;

// pkg/resourceinterpreter/default/native/prune/prune_test.go TestRemoveIrrelevantField, every
// case, with upstream's two lists: fields that must be gone and fields that must stay.
describe('upstream TestRemoveIrrelevantField', () => {
  const cases: { name: string; obj: KubeObject; gone: string[][]; kept?: string[][]; check?: (o: KubeObject) => void }[] = [
    {
      name: 'remove common object irrelevant fields',
      obj: k('ConfigMap', { status: {} }, {
        creationTimestamp: '2023-03-13T05:00:41Z',
        deletionTimestamp: '2023-03-13T06:00:41Z',
        deletionGracePeriodSeconds: 10,
        generation: 2,
        managedFields: [{ apiVersion: 'v1', fieldsType: 'FieldsV1', manager: 'name', operation: 'Apply' }],
        resourceVersion: '22222',
        selfLink: 'http://example.com',
        uid: 'db56a4a6-0dff-465a-b046-2c1dea42a42b',
        ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'foo', uid: 'fb11a9a6-1daa-265b-c046-1c1dea42a42c' }],
        finalizers: ['foregroundDeletion'],
      }),
      gone: [
        ['metadata', 'creationTimestamp'],
        ['metadata', 'deletionTimestamp'],
        ['metadata', 'deletionGracePeriodSeconds'],
        ['metadata', 'generation'],
        ['metadata', 'managedFields'],
        ['metadata', 'resourceVersion'],
        ['metadata', 'selfLink'],
        ['metadata', 'uid'],
        ['metadata', 'ownerReferences'],
        ['metadata', 'finalizers'],
        ['status'],
      ],
      kept: [['metadata', 'name']],
    },
    {
      name: 'remove service irrelevant fields',
      obj: k('Service', { spec: { clusterIP: '10.10.10.10', clusterIPs: ['10.10.10.10'] } }),
      gone: [
        ['spec', 'clusterIP'],
        ['spec', 'clusterIPs'],
      ],
    },
    {
      name: 'remove job irrelevant fields',
      obj: k('Job', {
        spec: {
          selector: { matchLabels: { foo: 'bar', 'controller-uid': 'ab11a9a6-1daa-265b-c046-1c1dea42a42c' } },
          template: { metadata: { labels: { 'controller-uid': 'ab11a9a6-1daa-265b-c046-1c1dea42a42c', 'job-name': 'test-job', foo: 'bar' } } },
          ttlSecondsAfterFinished: 10,
        },
      }),
      gone: [
        ['spec', 'selector', 'matchLabels', 'controller-uid'],
        ['spec', 'template', 'metadata', 'labels', 'controller-uid'],
        ['spec', 'template', 'metadata', 'labels', 'job-name'],
        ['spec', 'ttlSecondsAfterFinished'],
      ],
      kept: [
        ['spec', 'selector', 'matchLabels', 'foo'],
        ['spec', 'template', 'metadata', 'labels', 'foo'],
      ],
    },
    {
      name: 'remove serviceaccount irrelevant fields',
      obj: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'foo' }, secrets: [{ name: 'foo-token-6pgxf' }, { name: 'foo-dockercfg-zdr2j' }] },
      gone: [],
      kept: [['secrets']],
      check: (o) => expect(o.secrets).toEqual([{ name: 'foo-dockercfg-zdr2j' }]),
    },
    {
      name: 'remove service-account token secret irrelevant fields',
      // Upstream's vector puts the uid key straight under metadata, where it stays; the annotation case is below.
      obj: k('Secret', { type: 'kubernetes.io/service-account-token', data: { token: 'abc' } }, { 'kubernetes.io/service-account.uid': '123' }),
      gone: [
        ['metadata', 'annotations', 'kubernetes.io/service-account.uid'],
        ['data', 'token'],
      ],
    },
    {
      name: 'retains secret basic-auth fields',
      obj: k('Secret', { type: 'kubernetes.io/basic-auth', data: { username: 'foo', password: 'bar' } }, { foo: 'bar' }),
      gone: [],
      kept: [
        ['metadata', 'foo'],
        ['data', 'username'],
        ['data', 'password'],
      ],
    },
    {
      name: 'remove selected-node pvc annotation',
      obj: k('PersistentVolumeClaim', {}, { annotations: { 'volume.kubernetes.io/selected-node': 'node1' } }),
      gone: [['metadata', 'annotations', 'volume.kubernetes.io/selected-node']],
    },
    {
      name: 'removes deployment revision annotation',
      obj: k('Deployment', {}, { annotations: { 'deployment.kubernetes.io/revision': '1' } }),
      gone: [['metadata', 'annotations', 'deployment.kubernetes.io/revision']],
    },
    {
      name: 'removes deployment revision history annotation',
      obj: k('Deployment', {}, { annotations: { 'deployment.kubernetes.io/revision-history': '1,2' } }),
      gone: [['metadata', 'annotations', 'deployment.kubernetes.io/revision-history']],
    },
  ];

  it.each(cases)('$name', ({ obj, gone, kept, check }) => {
    expect(pruneForMember(obj)).toEqual([]);
    for (const f of gone) expect(has(obj, f), `.${f.join('.')} is still there`).toBe(false);
    for (const f of kept ?? []) expect(has(obj, f), `.${f.join('.')} was removed`).toBe(true);
    check?.(obj);
  });
});

describe('details of the port', () => {
  it('the Job rules keep a manual selector', () => {
    const spec = { manualSelector: true, selector: { matchLabels: { 'controller-uid': 'u' } }, template: { metadata: { labels: { 'job-name': 'j' } } }, ttlSecondsAfterFinished: 5 };
    const job = k('Job', { spec });
    expect(pruneForMember(job)).toEqual([]);
    expect(job.spec).toEqual({ manualSelector: true, selector: { matchLabels: { 'controller-uid': 'u' } }, template: { metadata: { labels: { 'job-name': 'j' } } } });
  });

  it('both spellings of the generated Job labels go', () => {
    const labels = { 'batch.kubernetes.io/controller-uid': 'u', 'batch.kubernetes.io/job-name': 'j', 'controller-uid': 'u', 'job-name': 'j', app: 'a' };
    const job = k('Job', { spec: { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u', app: 'a' } }, template: { metadata: { labels } } } });
    pruneForMember(job);
    expect(at(job, ['spec', 'selector', 'matchLabels'])).toEqual({ app: 'a' });
    expect(at(job, ['spec', 'template', 'metadata', 'labels'])).toEqual({ app: 'a' });
  });

  it('shared nested values of the template are never changed', () => {
    const labels = { 'job-name': 'j', app: 'a' };
    const annotations = { 'deployment.kubernetes.io/revision': '3', keep: 'me' };
    const template = { metadata: { labels } };
    const job = k('Job', { spec: { template } });
    pruneForMember(job);
    expect(labels).toEqual({ 'job-name': 'j', app: 'a' });
    expect(template.metadata.labels).toBe(labels);
    const deploy = k('Deployment', {}, { annotations });
    pruneForMember(deploy);
    expect(annotations).toEqual({ 'deployment.kubernetes.io/revision': '3', keep: 'me' });
    expect(deploy.metadata.annotations).toEqual({ keep: 'me' });
  });

  it('of two token Secrets in a row the second stays, as upstream\'s loop removes from the list it walks', () => {
    const sa: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'foo' }, secrets: [{ name: 'foo-token-a' }, { name: 'foo-token-b' }, { name: 'other' }, { name: 'foo-token-c' }] };
    pruneForMember(sa);
    expect(sa.secrets).toEqual([{ name: 'foo-token-b' }, { name: 'other' }]);
  });

  it('a headless Service keeps clusterIP None; any other string goes, even empty', () => {
    const headless = k('Service', { spec: { clusterIP: 'None', clusterIPs: ['None'] } });
    pruneForMember(headless);
    expect(headless.spec).toEqual({ clusterIP: 'None', clusterIPs: ['None'] });
    const empty = k('Service', { spec: { clusterIP: '', type: 'ClusterIP' } });
    pruneForMember(empty);
    expect(empty.spec).toEqual({ type: 'ClusterIP' });
  });

  it('the service-account uid annotation and the data of a token Secret go; others stay', () => {
    const s = k('Secret', { type: 'kubernetes.io/service-account-token', data: { token: 'abc' } }, { annotations: { 'kubernetes.io/service-account.uid': '1', 'kubernetes.io/service-account.name': 'foo' } });
    pruneForMember(s);
    expect(s).toEqual(k('Secret', { type: 'kubernetes.io/service-account-token' }, { annotations: { 'kubernetes.io/service-account.name': 'foo' } }));
  });

  it('an empty selected-node annotation stays, as upstream', () => {
    const pvc = k('PersistentVolumeClaim', {}, { annotations: { 'volume.kubernetes.io/selected-node': '' } });
    pruneForMember(pvc);
    expect(pvc.metadata.annotations).toEqual({ 'volume.kubernetes.io/selected-node': '' });
  });

  it('per-kind rules key on the kind alone, as upstream', () => {
    const d = { apiVersion: 'example.com/v1', kind: 'Deployment', metadata: { name: 'x', annotations: { 'deployment.kubernetes.io/revision': '1' } } } as KubeObject;
    pruneForMember(d);
    expect(d.metadata.annotations).toEqual({});
  });

  it('reports what upstream cannot read instead of sending it', () => {
    expect(pruneForMember(k('Job', { spec: { manualSelector: 'yes' } }))).toEqual([{ path: ['spec', 'manualSelector'], message: 'field spec.manualSelector: must be true or false' }]);
    expect(pruneForMember(k('Job', { spec: { selector: { matchLabels: { app: 5 } } } }))[0]!.path).toEqual(['spec', 'selector', 'matchLabels', 'app']);
    expect(pruneForMember(k('Job', { spec: { template: { metadata: 'labels' } } }))[0]!.path).toEqual(['spec', 'template', 'metadata']);
    expect(pruneForMember({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'a' }, secrets: ['a-token-x'] })[0]!.path).toEqual(['secrets', 0]);
  });
});

describe('in the engine: after the overrides, as ensureWork', () => {
  const fleet = [cluster('a'), cluster('b')];
  const job = `apiVersion: batch/v1
kind: Job
metadata: {name: once, namespace: web, resourceVersion: "7", uid: u-1}
spec:
  ttlSecondsAfterFinished: 100
  template:
    metadata: {labels: {job-name: once, app: once}}
    spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}
status: {succeeded: 1}`;
  const pp = `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: once, namespace: web}
spec:
  resourceSelectors: [{apiVersion: batch/v1, kind: Job, name: once}]
  placement: {clusterAffinity: {clusterNames: [a, b]}}`;

  it('strips the TTL, the generated labels and what the API server sets', () => {
    const out = render([job, pp].join('\n---\n'), fleet);
    expect(codes(out)).toEqual([]);
    const got = byCluster(out).a!['batch/Job/web/once']!;
    expect(got.metadata).toEqual({ name: 'once', namespace: 'web' });
    expect(got.status).toBeUndefined();
    expect(got.spec).toEqual({ parallelism: 1, template: { metadata: { labels: { app: 'once' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } });
  });

  it('an override may remove a field that pruning would drop anyway, and what it adds there is dropped', () => {
    const op = `apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: once, namespace: web}
spec:
  resourceSelectors: [{apiVersion: batch/v1, kind: Job}]
  overrideRules:
  - targetCluster: {clusterNames: [a]}
    overriders:
      plaintext:
      - {path: /status, operator: remove}
      - {path: /spec/ttlSecondsAfterFinished, operator: replace, value: 5}
  - targetCluster: {clusterNames: [b]}
    overriders:
      plaintext: [{path: /metadata/finalizers, operator: add, value: [example.com/keep]}]`;
    const out = render([job, pp, op].join('\n---\n'), fleet);
    expect(codes(out)).toEqual([]);
    const got = byCluster(out);
    for (const c of ['a', 'b']) {
      expect(got[c]!['batch/Job/web/once']!.status).toBeUndefined();
      expect((got[c]!['batch/Job/web/once']!.spec as Record<string, unknown>).ttlSecondsAfterFinished).toBeUndefined();
      expect(got[c]!['batch/Job/web/once']!.metadata.finalizers).toBeUndefined();
    }
  });

  it('a field pruning cannot read is one error naming the field, not one per cluster', () => {
    const bad = job.replace('labels: {job-name: once, app: once}', 'labels: {job-name: once, app: 7}');
    const out = render([bad, pp].join('\n---\n'), fleet);
    expect(out.diagnostics.map((d) => [d.severity, d.code, d.cluster])).toEqual([['error', 'Schema', undefined]]);
    expect(out.diagnostics[0]!.message).toContain('on clusters a, b: field spec.template.metadata.labels.app: must be a string');
    expect(out.rendered).toEqual([]);
  });
});
