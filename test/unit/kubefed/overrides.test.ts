/**
 * Overrides: the operation semantics of evanphx/json-patch v4.11.0 that KubeFed used
 * (reference/kubefed.md §2), gitfed's refusals (identity paths, duplicates) and the error a path
 * that does not exist gives: object, cluster, file and the override's line.
 */
import { describe, expect, it } from 'vitest';
import { renderKubeFed } from '../../../src/render/kubefed/index.js';
import type { KubeObject } from '../../../src/object.js';
import { byCluster, cluster, input } from './fleet.js';

const clusters = [cluster('a'), cluster('b')];

function deployment(overridesForA: string, extraOverrides = ''): string {
  return `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: web, namespace: web}
spec: {placement: {clusterSelector: {}}}
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata: {name: front, namespace: web}
spec:
  template:
    metadata:
      labels: {app: front}
    spec:
      template:
        spec:
          containers:
          - {name: main, image: "nginx:1"}
          - {name: side, image: "envoy:1"}
  placement: {clusterSelector: {}}
  overrides:
  - clusterName: a
    clusterOverrides:
${overridesForA}
${extraOverrides}`;
}

function render(overridesForA: string, extra = '') {
  const out = renderKubeFed(input(deployment(overridesForA, extra), clusters));
  const members = byCluster(out.rendered, 'Deployment');
  return { out, a: members.a?.[0], b: members.b?.[0] };
}

const containers = (o: KubeObject | undefined) => ((o?.spec as any)?.template?.spec?.containers ?? []) as { name: string; image: string; args?: string[] }[];

describe('overrides: operations as upstream applies them', () => {
  it.each([
    ['no op means replace', '    - {path: /spec/template/spec/containers/0/image, value: "nginx:2"}', (o: KubeObject) => containers(o)[0]!.image, 'nginx:2'],
    ['replace of a key the template lacks adds it (evanphx partialDoc)', '    - {path: /spec/replicas, value: 3}', (o: KubeObject) => (o.spec as any).replicas, 3],
    ['add of a missing key in an existing mapping', '    - {op: add, path: /spec/template/spec/containers/0/args, value: [-v]}', (o: KubeObject) => containers(o)[0]!.args, ['-v']],
    ['add with - appends to a list', '    - {op: add, path: /spec/template/spec/containers/-, value: {name: log, image: "fluent:1"}}', (o: KubeObject) => containers(o).map((c) => c.name), ['main', 'side', 'log']],
    ['add at an index inserts', '    - {op: add, path: /spec/template/spec/containers/0, value: {name: init, image: "busybox"}}', (o: KubeObject) => containers(o).map((c) => c.name), ['init', 'main', 'side']],
    ['add right after the last item', '    - {op: add, path: /spec/template/spec/containers/2, value: {name: log, image: "fluent:1"}}', (o: KubeObject) => containers(o).map((c) => c.name), ['main', 'side', 'log']],
    ['a negative index counts from the end', '    - {path: /spec/template/spec/containers/-1/image, value: "envoy:2"}', (o: KubeObject) => containers(o).map((c) => c.image), ['nginx:1', 'envoy:2']],
    ['remove of a list item', '    - {op: remove, path: /spec/template/spec/containers/1}', (o: KubeObject) => containers(o).map((c) => c.name), ['main']],
    ['remove of a label', '    - {op: remove, path: /metadata/labels/app}', (o: KubeObject) => o.metadata.labels, {}],
    ['~1 decodes to / in a key', '    - {op: add, path: /metadata/labels/example.com~1team, value: web}', (o: KubeObject) => o.metadata.labels, { app: 'front', 'example.com/team': 'web' }],
    ['operations apply in list order', '    - {path: /spec/replicas, value: 1}\n    - {op: add, path: /spec/paused, value: true}', (o: KubeObject) => [(o.spec as any).replicas, (o.spec as any).paused], [1, true]],
    ['a null value sets null', '    - {path: /spec/replicas, value: null}', (o: KubeObject) => (o.spec as any).replicas, null],
    ['annotations may be added', '    - {op: add, path: /metadata/annotations, value: {team: web}}', (o: KubeObject) => o.metadata.annotations, { team: 'web' }],
  ])('%s', (_name, ops, get, want) => {
    const { out, a, b } = render(ops);
    expect(out.diagnostics).toEqual([]);
    expect(get(a!)).toEqual(want);
    // The cluster without overrides gets the template untouched.
    expect(containers(b).map((c) => c.image)).toEqual(['nginx:1', 'envoy:1']);
    expect((b!.spec as any).replicas).toBeUndefined();
  });

  it('keeps an override value private to each cluster', () => {
    const ops = (c: string) => `  - clusterName: ${c}
    clusterOverrides:
    - {path: /spec/template/spec/containers/0, value: {name: main, image: "nginx:2"}}
    - {path: /spec/template/spec/containers/0/image, value: "nginx:${c}"}`;
    const { out, a, b } = render('    - {path: /spec/replicas, value: 1}', ops('b'));
    expect(out.diagnostics).toEqual([]);
    expect(containers(b)[0]!.image).toBe('nginx:b');
    expect(containers(a)[0]!.image).toBe('nginx:1');
  });

  it('leaves the source document and the other clusters untouched', () => {
    const three = [cluster('a'), cluster('b'), cluster('c')];
    const yaml = deployment('    - {path: /spec/template/spec/containers/1/image, value: "envoy:a"}\n    - {op: remove, path: /metadata/labels/app}', '  - clusterName: b\n    clusterOverrides:\n    - {path: /spec/template/spec/containers/1/image, value: "envoy:b"}');
    const inp = input(yaml, three);
    const before = JSON.stringify(inp.objects.map((o) => o.obj));
    const members = byCluster(renderKubeFed(inp).rendered, 'Deployment');
    expect([members.a, members.b, members.c].map((m) => containers(m![0]).map((c) => c.image))).toEqual([
      ['nginx:1', 'envoy:a'],
      ['nginx:1', 'envoy:b'],
      ['nginx:1', 'envoy:1'],
    ]);
    expect([members.a, members.b, members.c].map((m) => m![0]!.metadata.labels)).toEqual([{}, { app: 'front' }, { app: 'front' }]);
    expect(JSON.stringify(inp.objects.map((o) => o.obj))).toBe(before);
  });

  it('explains each override applied per cluster with its line', () => {
    const { out } = render('    - {path: /spec/replicas, value: 3}');
    const e = out.explanations.find((x) => x.object === 'types.kubefed.io/FederatedDeployment/web/front')!;
    expect(e.overrides).toEqual({ a: ['replace /spec/replicas = 3 (fleet.yaml:23)'] });
    expect(e.replicas).toEqual({ a: 3 });
  });
});

describe('overrides: paths that do not exist', () => {
  it.each([
    ['a missing parent', '    - {path: /spec/strategy/rollingUpdate/maxSurge, value: 1}', /\/spec\/strategy does not exist/],
    ['an index past the end for replace', '    - {path: /spec/template/spec/containers/5/image, value: x}', /\/spec\/template\/spec\/containers\/5 does not exist/],
    ['an index past the end for remove', '    - {op: remove, path: /spec/template/spec/containers/2}', /index 2 is out of range/],
    ['removing a missing key', '    - {op: remove, path: /metadata/labels/tier}', /does not exist, so it cannot be removed/],
    ['a key into a list', '    - {path: /spec/template/spec/containers/main/image, value: x}', /containers\/main does not exist/],
    ['a path through a scalar', '    - {path: /spec/template/spec/containers/0/image/tag, value: x}', /is not a mapping or a list/],
  ])('%s is an error naming object, cluster, file and line', (_name, ops, message) => {
    const { out, a, b } = render(ops);
    expect(out.diagnostics).toEqual([
      { severity: 'error', code: 'OverridePathNotFound', message: expect.stringMatching(message), file: 'fleet.yaml', line: 23, object: 'types.kubefed.io/FederatedDeployment/web/front', cluster: 'a' },
    ]);
    expect(a).toBeUndefined();
    expect(b).toBeDefined();
  });
});

describe('overrides: refused', () => {
  it.each([
    ['/apiVersion'],
    ['/kind'],
    ['/metadata/name'],
    ['/metadata/namespace'],
    ['/metadata/generateName'],
    ['/metadata'],
    [''],
  ])('%j changes the identity', (path) => {
    const { out, a, b } = render(`    - {path: "${path}", value: x}`);
    expect(out.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'InvalidOverridePath', line: 23, cluster: 'a', object: 'types.kubefed.io/FederatedDeployment/web/front' })]);
    // A parse error stops the object everywhere, as upstream's GetOverrides does.
    expect([a, b]).toEqual([undefined, undefined]);
  });

  it('allows paths that only share a prefix with identity fields', () => {
    const { out, a } = render('    - {op: add, path: /metadata/namespaceHint, value: x}');
    expect(out.diagnostics).toEqual([]);
    expect(a!.metadata.namespaceHint).toBe('x');
  });

  it('refuses a cluster named twice', () => {
    const { out } = render('    - {path: /spec/replicas, value: 1}', '  - clusterName: a\n    clusterOverrides: []');
    expect(out.diagnostics).toEqual([expect.objectContaining({ code: 'DuplicateOverride', cluster: 'a', line: 24 })]);
  });

  it('refuses a path repeated for one cluster', () => {
    const { out } = render('    - {path: /spec/replicas, value: 1}\n    - {path: /spec/replicas, value: 2}');
    expect(out.diagnostics).toEqual([expect.objectContaining({ code: 'DuplicateOverride', cluster: 'a', line: 24 })]);
  });

  it.each([
    ['an op outside add, remove, replace', '    - {op: move, path: /spec/replicas}', 'Schema'],
    ['a path that is not a JSON pointer', '    - {path: spec.replicas, value: 1}', 'InvalidOverridePath'],
    ['an override without a path', '    - {value: 1}', 'Schema'],
  ])('refuses %s', (_name, ops, code) => {
    expect(render(ops).out.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code, line: 23 })]);
  });

  it('warns about overrides for a cluster not in the inventory', () => {
    const { out } = render('    - {path: /spec/replicas, value: 1}', '  - clusterName: c\n    clusterOverrides: []');
    expect(out.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'UnknownCluster', cluster: 'c', line: 24 })]);
  });
});
