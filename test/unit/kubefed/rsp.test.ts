/**
 * ReplicaSchedulingPreference through the whole engine: the seeds' four examples as
 * reference/kubefed.md §4 computed them, upstream's placement rewrite (a cluster planned 0 is
 * still placed, with 0 replicas), intersectWithClusterSelector (the e2e intersection case) and
 * the explanation of the arithmetic.
 */
import { describe, expect, it } from 'vitest';
import { renderKubeFed } from '../../../src/render/kubefed/index.js';
import type { Cluster } from '../../../src/render/types.js';
import { cluster, input, replicasByCluster } from './fleet.js';

const three = [cluster('cluster-1'), cluster('cluster-2'), cluster('cluster-3')];

function fleet(rspSpec: string, opts: { ns?: string; name?: string; placement?: string; nsPlacement?: string; template?: string } = {}): string {
  const ns = opts.ns ?? 'awesome-ns';
  const name = opts.name ?? 'awesome-deployment';
  return `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: ${ns}, namespace: ${ns}}
spec:
  placement: ${opts.nsPlacement ?? '{clusterSelector: {}}'}
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  template:
    spec:
      replicas: ${opts.template ?? 1}
      template: {spec: {containers: [{name: app, image: "app:1"}]}}
  placement: ${opts.placement ?? '{clusters: [{name: cluster-1}]}'}
---
apiVersion: scheduling.kubefed.io/v1alpha1
kind: ReplicaSchedulingPreference
metadata: {name: ${name}, namespace: ${ns}}
spec:
  targetKind: FederatedDeployment
${rspSpec}
`;
}

function render(yaml: string, clusters: readonly Cluster[] = three) {
  const out = renderKubeFed(input(yaml, clusters));
  return { out, replicas: replicasByCluster(out.rendered) };
}

describe('RSP: the seeds examples (reference/kubefed.md §4)', () => {
  it('(a) 15 replicas, no clusters map, three clusters: 5/5/5', () => {
    const { out, replicas } = render(fleet('  totalReplicas: 15'));
    expect(out.diagnostics).toEqual([]);
    expect(replicas).toEqual({ 'cluster-1': 5, 'cluster-2': 5, 'cluster-3': 5 });
  });

  it('(b) weights 2:3: cluster-1 6, cluster-2 9, and cluster-3 is placed with 0', () => {
    const { replicas } = render(fleet('  totalReplicas: 15\n  clusters:\n    cluster-1: {weight: 2}\n    cluster-2: {weight: 3}'));
    expect(replicas).toEqual({ 'cluster-1': 6, 'cluster-2': 9, 'cluster-3': 0 });
  });

  it('(c) weights 2:3 with cluster-1 capped at 5: 5 and 10', () => {
    const spec = '  totalReplicas: 15\n  clusters:\n    cluster-1: {weight: 2, minReplicas: 4, maxReplicas: 5}\n    cluster-2: {weight: 3, minReplicas: 4, maxReplicas: 12}';
    const { replicas } = render(fleet(spec), three.slice(0, 2));
    expect(replicas).toEqual({ 'cluster-1': 5, 'cluster-2': 10 });
  });

  it.each([
    ['default', 'nginx', { 'cluster-1': 31, 'cluster-2': 32, 'cluster-3': 37 }],
    ['test-ns', 'test-deployment', { 'cluster-1': 32, 'cluster-2': 32, 'cluster-3': 36 }],
  ])('(d) 100 with "*" weight 1 and cluster-3 {min 5, weight 1}, key %s/%s', (ns, name, want) => {
    const spec = '  totalReplicas: 100\n  clusters:\n    "*": {weight: 1}\n    cluster-3: {minReplicas: 5, weight: 1}';
    expect(render(fleet(spec, { ns, name })).replicas).toEqual(want);
  });

  it('(d) without weight on cluster-3 its entry replaces "*" entirely: exactly 5, the rest 48/47', () => {
    const spec = '  totalReplicas: 100\n  clusters:\n    "*": {weight: 1}\n    cluster-3: {minReplicas: 5}';
    expect(render(fleet(spec, { ns: 'default', name: 'nginx' })).replicas).toEqual({ 'cluster-1': 47, 'cluster-2': 48, 'cluster-3': 5 });
  });
});

describe('RSP: rewrite of the target', () => {
  it('replaces the placement with every scheduled cluster, overriding the template replicas', () => {
    const { out, replicas } = render(fleet('  totalReplicas: 4', { placement: '{clusters: [{name: cluster-1}]}', template: '9' }));
    // Rounding up favours the first clusters in hash order, so the last one gets 0, and is still placed.
    expect(replicas).toEqual({ 'cluster-1': 2, 'cluster-2': 0, 'cluster-3': 2 });
    const e = out.explanations.find((x) => x.object.endsWith('/FederatedDeployment/awesome-ns/awesome-deployment'))!;
    expect(e.clusters).toEqual(['cluster-1', 'cluster-2', 'cluster-3']);
    expect(e.replicas).toEqual(replicas);
    expect(e.placement[0]).toMatch(/rewrote spec.placement.clusters to every scheduled cluster/);
    expect(e.overrides['cluster-2']).toEqual([expect.stringMatching(/^replace \/spec\/replicas = 0 \(replicas scheduled by ReplicaSchedulingPreference awesome-ns\/awesome-deployment, fleet\.yaml:\d+\)$/)]);
  });

  it('updates an existing /spec/replicas override in place and keeps the others', () => {
    const yaml = fleet('  totalReplicas: 2\n  clusters: {cluster-1: {weight: 1}}').replace(
      "  placement: {clusters: [{name: cluster-1}]}",
      '  placement: {clusters: [{name: cluster-1}]}\n  overrides:\n  - clusterName: cluster-1\n    clusterOverrides:\n    - {path: /spec/replicas, value: 7}\n    - {op: add, path: /metadata/labels, value: {burst: "no"}}',
    );
    const { out, replicas } = render(yaml, three.slice(0, 2));
    expect(out.diagnostics).toEqual([]);
    expect(replicas).toEqual({ 'cluster-1': 2, 'cluster-2': 0 });
    const c1 = out.rendered.find((r) => r.cluster === 'cluster-1' && r.obj.kind === 'Deployment')!;
    expect(c1.obj.metadata.labels).toEqual({ burst: 'no' });
    const e = out.explanations.find((x) => x.object.includes('FederatedDeployment'))!;
    expect(e.overrides['cluster-1']![0]).toMatch(/^replace \/spec\/replicas = 2 \(replicas scheduled by/);
  });

  it('intersectWithClusterSelector plans only over the clusters the selector picks (e2e intersection case)', () => {
    const clusters = [cluster('cluster1', { foo: 'bar' }), cluster('cluster2')];
    const spec = '  totalReplicas: 6\n  intersectWithClusterSelector: true\n  clusters:\n    cluster1: {weight: 2, minReplicas: 3}\n    cluster2: {weight: 1, minReplicas: 3}';
    const { out, replicas } = render(fleet(spec, { placement: '{clusterSelector: {matchLabels: {foo: bar}}}' }), clusters);
    expect(out.diagnostics).toEqual([]);
    expect(replicas).toEqual({ cluster1: 6 });
  });

  it('intersectWithClusterSelector with nothing selected changes nothing', () => {
    const clusters = [cluster('cluster1'), cluster('cluster2')];
    const spec = '  totalReplicas: 6\n  intersectWithClusterSelector: true';
    const { out, replicas } = render(fleet(spec, { placement: '{clusters: [{name: cluster2}], clusterSelector: {matchLabels: {foo: bar}}}', template: '3' }), clusters);
    expect(replicas).toEqual({ cluster2: 3 });
    expect(out.explanations.find((x) => x.object.includes('FederatedDeployment'))!.scheduling.join(' ')).toMatch(/changes nothing/);
  });

  it('warns when replicas are planned where the namespace is not placed, as upstream loses them', () => {
    const { out, replicas } = render(fleet('  totalReplicas: 6', { nsPlacement: '{clusters: [{name: cluster-1}, {name: cluster-2}]}' }));
    expect(replicas).toEqual({ 'cluster-1': 2, 'cluster-2': 2 });
    expect(out.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'ReplicasNotPlaced', cluster: 'cluster-3', object: 'scheduling.kubefed.io/ReplicaSchedulingPreference/awesome-ns/awesome-deployment' })]);
  });
});

describe('RSP: explanation', () => {
  it('walks through the arithmetic of seed (c) step by step', () => {
    const spec = '  totalReplicas: 15\n  clusters:\n    cluster-1: {weight: 2, minReplicas: 4, maxReplicas: 5}\n    cluster-2: {weight: 3, minReplicas: 4, maxReplicas: 12}';
    const { out } = render(fleet(spec), three.slice(0, 2));
    const lines = out.explanations.find((x) => x.object.includes('FederatedDeployment'))!.scheduling;
    expect(lines).toContain('Live inputs are absent in a render without --state: every inventory cluster counts as Ready, and there are no current replica counts or capacity estimates, so nothing is kept in place and nothing overflows.');
    expect(lines).toContain('Minimum: cluster-2 gets its minReplicas 4; 11 left.');
    expect(lines).toContain('Round 1: 7 to distribute by weight over a total weight of 5.');
    expect(lines).toContain('  cluster-2: ceil(7×3/5) = 5; 4 -> 9; 2 left.');
    expect(lines).toContain('  cluster-1: ceil(7×2/5) = 3, only 2 left; 4 -> 6, capped at maxReplicas 5 (full); 1 left.');
    expect(lines).toContain('  cluster-2: ceil(1×3/3) = 1; 9 -> 10; 0 left.');
    expect(lines[lines.length - 1]).toBe('Result: cluster-1 5, cluster-2 10.');
  });

  it('says a cluster without entry and without "*" is planned 0 but placed', () => {
    const { out } = render(fleet('  totalReplicas: 15\n  clusters:\n    cluster-1: {weight: 2}\n    cluster-2: {weight: 3}'));
    const lines = out.explanations.find((x) => x.object.includes('FederatedDeployment'))!.scheduling;
    expect(lines).toContain('cluster-3: no entry and no "*", so it is planned 0 replicas (it is still placed, with 0).');
  });
});

describe('RSP: bad input', () => {
  it.each([
    ['a target kind RSP cannot schedule', '  totalReplicas: 3', 'FederatedStatefulSet', 'InvalidRSP'],
    ['a negative total', '  totalReplicas: -1', 'FederatedDeployment', 'Schema'],
    ['an RSP whose clusters are words', '  totalReplicas: 3\n  clusters: everywhere', 'FederatedDeployment', 'Schema'],
    ['a fractional weight', '  totalReplicas: 3\n  clusters: {cluster-1: {weight: 1.5}}', 'FederatedDeployment', 'Schema'],
  ])('%s is an error', (_name, spec, targetKind, code) => {
    const yaml = fleet(spec).replace('targetKind: FederatedDeployment', `targetKind: ${targetKind}`);
    const { out } = render(yaml);
    expect(out.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code, object: 'scheduling.kubefed.io/ReplicaSchedulingPreference/awesome-ns/awesome-deployment' })]);
  });

  it('warns about an RSP without a target and about unknown cluster names', () => {
    const yaml = fleet('  totalReplicas: 3\n  clusters: {cluster-9: {weight: 1}}', { name: 'a' }).replace(/name: a, namespace: awesome-ns}\nspec:\n  targetKind/, 'name: b, namespace: awesome-ns}\nspec:\n  targetKind');
    const { out } = render(yaml);
    expect(out.diagnostics.map((d) => d.code).sort()).toEqual(['RSPTargetNotFound', 'UnknownCluster']);
  });
});

describe('RSP: numbers typed as upstream types them', () => {
  const object = 'scheduling.kubefed.io/ReplicaSchedulingPreference/awesome-ns/awesome-deployment';
  it.each([
    ['totalReplicas beyond int32', '  totalReplicas: 2147483648', 'field spec.totalReplicas: 2147483648 is out of range for an int32 (at most 2147483647)'],
    ['totalReplicas in words', '  totalReplicas: three replicas', 'field spec.totalReplicas: must be an integer (int32), not the string "three replicas"'],
    ['no totalReplicas', '  clusters: {cluster-1: {weight: 1}}', 'field spec.totalReplicas: is required'],
    ['a negative minReplicas', '  totalReplicas: 3\n  clusters: {cluster-1: {weight: 1, minReplicas: -2}}', 'field spec.clusters.cluster-1.minReplicas: must be greater than or equal to 0, not -2'],
    ['a maxReplicas in words', '  totalReplicas: 3\n  clusters: {cluster-1: {weight: 1, maxReplicas: "five"}}', 'field spec.clusters.cluster-1.maxReplicas: must be an integer (int64), not the string "five"'],
  ])('%s is an error naming the field', (_name, spec, message) => {
    const { out } = render(fleet(spec));
    expect(out.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'Schema', object })]);
    expect(out.diagnostics[0]!.message).toContain(message);
  });

  it('a weight beyond what gitfed reads exactly is refused as the file is read, with its line', () => {
    expect(() => render(fleet('  totalReplicas: 3\n  clusters: {cluster-1: {weight: 9007199254740993}}'))).toThrow(/:\d+: integer 9007199254740993 is beyond ±2\^53/);
  });

  it('weights and bounds beyond int32 are int64 upstream, and are read', () => {
    const { out, replicas } = render(fleet('  totalReplicas: 3\n  clusters:\n    cluster-1: {weight: 4294967296, maxReplicas: 3000000000}\n    cluster-2: {weight: 1}'));
    expect(out.diagnostics).toEqual([]);
    expect(replicas).toEqual({ 'cluster-1': 3, 'cluster-2': 0, 'cluster-3': 0 });
  });

  it('plans int32-max replicas without a step per replica', () => {
    const { out, replicas } = render(fleet('  totalReplicas: 2147483647\n  clusters:\n    cluster-1: {weight: 1}\n    cluster-2: {weight: 2, maxReplicas: 5}\n    "*": {weight: 3}'));
    expect(out.diagnostics).toEqual([]);
    const got = replicas as Record<string, number>;
    expect(got['cluster-2']).toBe(5);
    expect(got['cluster-1']! + got['cluster-2']! + got['cluster-3']!).toBe(2147483647);
  });

  it('warns, naming the field, when every weight is 0', () => {
    const { out, replicas } = render(fleet('  totalReplicas: 9\n  clusters:\n    cluster-1: {minReplicas: 2}\n    cluster-2: {maxReplicas: 4}'));
    expect(out.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'RSPNoWeight', file: 'fleet.yaml', object })]);
    expect(out.diagnostics[0]!.message).toContain('of the 9 replicas the planner places only the minReplicas');
    expect(replicas).toEqual({ 'cluster-1': 2, 'cluster-2': 0, 'cluster-3': 0 });
  });

  it('warns, naming the field, when minReplicas is above maxReplicas, and plans as upstream', () => {
    const { out, replicas } = render(fleet('  totalReplicas: 10\n  clusters:\n    cluster-1: {weight: 1, minReplicas: 6, maxReplicas: 2}\n    cluster-2: {weight: 1}'));
    expect(out.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'RSPMinAboveMax', object })]);
    expect(out.diagnostics[0]!.message).toContain('spec.clusters.cluster-1: minReplicas 6 is above maxReplicas 2');
    // Minimum 6 first, then round 1 cuts cluster-1 to 2 and the 4 go back to cluster-2.
    expect(replicas).toEqual({ 'cluster-1': 2, 'cluster-2': 8, 'cluster-3': 0 });
  });

  it('a replica count the member would refuse is an error, in the template or in an override', () => {
    const template = render(fleet('  totalReplicas: 3', { template: '2147483648' })).out;
    expect(template.diagnostics.filter((d) => d.severity === 'error')).toEqual([expect.objectContaining({ code: 'Schema', object: 'types.kubefed.io/FederatedDeployment/awesome-ns/awesome-deployment' })]);
    expect(template.diagnostics[0]!.message).toBe('spec.template: field spec.replicas: 2147483648 is out of range for an int32 (at most 2147483647)');
    const words = render(fleet('  totalReplicas: 3', { template: 'three' })).out;
    expect(words.diagnostics[0]!.message).toBe('spec.template: field spec.replicas: must be an integer (int32), not the string "three"');
  });
});

describe('overrides that write replica counts', () => {
  it('an override writing replicas beyond int32 is an error naming the override and the cluster', () => {
    const yaml = fleet('  totalReplicas: 3').replace(/---\napiVersion: scheduling[\s\S]*$/, '').replace(
      '  placement: {clusters: [{name: cluster-1}]}',
      '  placement: {clusters: [{name: cluster-1}, {name: cluster-2}]}\n  overrides:\n  - clusterName: cluster-2\n    clusterOverrides:\n    - {path: /spec, value: {replicas: 4294967296}}',
    );
    const { out, replicas } = render(yaml);
    expect(out.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'Schema', cluster: 'cluster-2', line: 19 })]);
    expect(out.diagnostics[0]!.message).toBe('override replace /spec for cluster cluster-2: field spec.replicas: 4294967296 is out of range for an int32 (at most 2147483647)');
    expect(replicas).toEqual({ 'cluster-1': 1 });
  });
});
