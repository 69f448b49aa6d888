/**
 * Placement: upstream `TestSelectedClusterNames` (pkg/controller/util/placement_test.go, clusters
 * cluster1 without labels and cluster2 with foo=bar) through the whole engine, then gitfed's
 * additions: the missing-placement setting, unknown names, selector operators and their reasons.
 */
import { describe, expect, it } from 'vitest';
import { renderKubeFed } from '../../../src/render/kubefed/index.js';
import { byCluster, cluster, input } from './fleet.js';

const upstreamClusters = [cluster('cluster1'), cluster('cluster2', { foo: 'bar' })];

function configMap(placement: string): string {
  return `
apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: ns, namespace: ns}
spec:
  placement: {clusterSelector: {}}
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata: {name: cm, namespace: ns}
spec:
  template:
    data: {k: v}
${placement}
`;
}

function placedOn(placement: string, clusters = upstreamClusters, missing: 'none' | 'all' = 'none') {
  const out = renderKubeFed(input(configMap(placement), clusters, { missingPlacement: missing }));
  return { clusters: Object.keys(byCluster(out.rendered, 'ConfigMap')).sort(), out };
}

describe('placement: upstream TestSelectedClusterNames', () => {
  it.each([
    ['ignore cluster selector when cluster names present', '  placement:\n    clusters: [{name: cluster1}]\n    clusterSelector: {matchLabels: {}}', ['cluster1']],
    ['no clusters when cluster names and selector absent', '  placement: {}', []],
    ['no clusters when cluster names empty and selector not empty', '  placement:\n    clusters: []\n    clusterSelector: {matchLabels: {foo: bar}}', []],
    ['all clusters when cluster names absent and selector empty', '  placement:\n    clusterSelector: {matchLabels: {}}', ['cluster1', 'cluster2']],
    ['selected clusters when cluster names absent and selector not empty', '  placement:\n    clusterSelector: {matchLabels: {foo: bar}}', ['cluster2']],
  ])('%s', (_name, placement, want) => {
    expect(placedOn(placement).clusters).toEqual(want);
  });
});

describe('placement: missing', () => {
  it('places nothing by default and warns on the object', () => {
    const { clusters, out } = placedOn('');
    expect(clusters).toEqual([]);
    expect(out.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'NoPlacement', object: 'types.kubefed.io/FederatedConfigMap/ns/cm', file: 'fleet.yaml', line: 11 })]);
    expect(out.explanations.find((e) => e.object.endsWith('/cm'))!.placement.join(' ')).toMatch(/spec\.placement is missing/);
  });

  it('places everywhere with placement.whenMissing: all, without a warning', () => {
    const { clusters, out } = placedOn('', upstreamClusters, 'all');
    expect(clusters).toEqual(['cluster1', 'cluster2']);
    expect(out.diagnostics).toEqual([]);
  });

  it('treats a placement with neither field as missing', () => {
    expect(placedOn('  placement: {}', upstreamClusters, 'all').clusters).toEqual(['cluster1', 'cluster2']);
    expect(placedOn('  placement: {}').out.diagnostics.map((d) => d.code)).toEqual(['NoPlacement']);
  });
});

describe('placement: cluster names and selectors', () => {
  const fleet = [cluster('onprem-1', { tier: 'onprem', region: 'eu' }), cluster('cloud-1', { tier: 'cloud', region: 'eu' }), cluster('cloud-2', { tier: 'cloud', region: 'us' })];

  it('warns about a name not in the inventory, naming object, cluster and line, and drops it', () => {
    const { clusters, out } = placedOn('  placement:\n    clusters:\n    - name: onprem-1\n    - name: onprem-2', fleet);
    expect(clusters).toEqual(['onprem-1']);
    expect(out.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'UnknownCluster', cluster: 'onprem-2', object: 'types.kubefed.io/FederatedConfigMap/ns/cm', line: 17 }),
    ]);
  });

  it.each([
    ['matchExpressions In', '{matchExpressions: [{key: tier, operator: In, values: [cloud]}]}', ['cloud-1', 'cloud-2']],
    ['matchExpressions NotIn', '{matchExpressions: [{key: region, operator: NotIn, values: [us]}]}', ['cloud-1', 'onprem-1']],
    ['matchExpressions DoesNotExist', '{matchExpressions: [{key: gpu, operator: DoesNotExist}]}', ['cloud-1', 'cloud-2', 'onprem-1']],
    ['matchLabels AND matchExpressions', '{matchLabels: {region: eu}, matchExpressions: [{key: tier, operator: In, values: [cloud]}]}', ['cloud-1']],
  ])('%s', (_name, sel, want) => {
    expect(placedOn(`  placement:\n    clusterSelector: ${sel}`, fleet).clusters).toEqual(want);
  });

  it('says which clusters did not match and why', () => {
    const { out } = placedOn('  placement:\n    clusterSelector: {matchLabels: {tier: onprem}}', fleet);
    const lines = out.explanations.find((e) => e.object.endsWith('/cm'))!.placement;
    expect(lines).toContain('spec.placement.clusterSelector {tier=onprem} selects onprem-1.');
    expect(lines).toContain('Not selected: cloud-1, cloud-2 (tier=cloud, not tier=onprem).');
  });

  it('says the selector lost to a clusters list', () => {
    const { out } = placedOn('  placement:\n    clusters: [{name: cloud-1}]\n    clusterSelector: {matchLabels: {tier: onprem}}', fleet);
    expect(out.explanations.find((e) => e.object.endsWith('/cm'))!.placement.join(' ')).toMatch(/clusterSelector is ignored: a clusters list, even an empty one, wins/);
  });

  it('reports a selector with a bad operator as an error on that object', () => {
    const { clusters, out } = placedOn('  placement:\n    clusterSelector: {matchExpressions: [{key: tier, operator: Gt, values: ["1"]}]}', fleet);
    expect(clusters).toEqual([]);
    expect(out.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'InvalidClusterSelector', line: 15 })]);
  });

  it('rejects a clusters entry without a name', () => {
    const { out } = placedOn('  placement:\n    clusters: [{cluster: cloud-1}]', fleet);
    expect(out.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', code: 'UnknownField', line: 15, message: 'unknown field "spec.placement.clusters[0].cluster" (known here: name)' }),
      expect.objectContaining({ severity: 'error', code: 'Schema', line: 15 }),
    ]);
  });
});
