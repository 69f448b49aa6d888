import { describe, expect, it } from 'vitest';
import { clusterMatches } from '../../../src/render/karmada/cluster-affinity.js';
import type { ClusterAffinity, Toleration } from '../../../src/render/karmada/model.js';
import { untoleratedTaint } from '../../../src/render/karmada/tolerations.js';
import type { Taint } from '../../../src/render/types.js';
import { cluster } from './fixtures.js';

const cluster1 = cluster('cluster1', { labels: { foo: 'bar' }, zones: ['zone1', 'zone2', 'zone3'], region: 'region1', provider: 'provider1' });
const field = (key: string, operator: string, values?: string[]): ClusterAffinity => ({ fieldSelector: { matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] } });

// Table T3: pkg/util/selector_test.go TestClusterMatches / matchZones.
describe('T3 ClusterMatches', () => {
  it.each([
    ['exclude [cluster1]', { exclude: ['cluster1'] }, false],
    ['exclude wins over everything else', { exclude: ['cluster1'], clusterNames: ['cluster1'], labelSelector: { matchLabels: { foo: 'bar' } } }, false],
    ['zone In all three', field('zone', 'In', ['zone1', 'zone2', 'zone3']), true],
    ['zone In a partial overlap', field('zone', 'In', ['zone2']), true],
    ['zone NotIn all three', field('zone', 'NotIn', ['zone1', 'zone2', 'zone3']), false],
    ['region In [region1]', field('region', 'In', ['region1']), true],
    ['region NotIn [region1]', field('region', 'NotIn', ['region1']), false],
    ['region In [region2]', field('region', 'In', ['region2']), false],
    ['provider In [provider1]', field('provider', 'In', ['provider1']), true],
    ['provider NotIn [provider1]', field('provider', 'NotIn', ['provider1']), false],
    ['provider In [provider2]', field('provider', 'In', ['provider2']), false],
    ['key metadata.name', field('metadata.name', 'In', ['cluster1']), false],
    ['empty affinity', {}, true],
    ['labelSelector and clusterNames hold', { labelSelector: { matchLabels: { foo: 'bar' } }, clusterNames: ['cluster1', 'x'] }, true],
    ['clusterNames miss', { clusterNames: ['x'] }, false],
    ['labelSelector miss', { labelSelector: { matchLabels: { foo: 'baz' } } }, false],
  ] as const)('%s -> %s', (_n, affinity, want) => {
    expect(clusterMatches(cluster1, affinity as ClusterAffinity)).toBe(want);
  });

  const noZones = cluster('c', {});
  const fooBar = cluster('c', { zones: ['foo', 'bar'] });
  it.each([
    ['In on no zones', noZones, field('zone', 'In', ['z']), false],
    ['NotIn on no zones', noZones, field('zone', 'NotIn', ['z']), true],
    ['NotIn [foo] on [foo, bar]', fooBar, field('zone', 'NotIn', ['foo']), false],
    ['Exists on none', noZones, field('zone', 'Exists'), false],
    ['DoesNotExist on none', noZones, field('zone', 'DoesNotExist'), true],
    ['Gt', fooBar, field('zone', 'Gt', ['1']), false],
    ['NotIn on a missing region holds', noZones, field('region', 'NotIn', ['r']), true],
    ['In on a missing provider fails', noZones, field('provider', 'In', ['p']), false],
  ] as const)('matchZones and missing fields: %s -> %s', (_n, c, affinity, want) => {
    expect(clusterMatches(c, affinity)).toBe(want);
  });
});

describe('clusterTolerations against taints', () => {
  const t = (key: string, effect: string, value?: string): Taint => ({ key, effect, ...(value ? { value } : {}) });
  it.each([
    ['no taints', [], [], undefined],
    ['NoSchedule not tolerated', [t('burst', 'NoSchedule')], [], 'burst'],
    ['PreferNoSchedule is ignored', [t('burst', 'PreferNoSchedule')], [], undefined],
    ['Exists on the key', [t('burst', 'NoSchedule', 'yes')], [{ key: 'burst', operator: 'Exists' }], undefined],
    ['Equal needs the value', [t('burst', 'NoSchedule', 'yes')], [{ key: 'burst', operator: 'Equal', value: 'no' }], 'burst'],
    ['Equal with the value', [t('burst', 'NoExecute', 'yes')], [{ key: 'burst', value: 'yes' }], undefined],
    ['effect must match', [t('burst', 'NoExecute')], [{ key: 'burst', operator: 'Exists', effect: 'NoSchedule' }], 'burst'],
    ['empty key with Exists tolerates all', [t('a', 'NoSchedule'), t('b', 'NoExecute')], [{ operator: 'Exists' }], undefined],
    ['well-known not-ready taint', [t('cluster.karmada.io/not-ready', 'NoSchedule')], [{ key: 'other', operator: 'Exists' }], 'cluster.karmada.io/not-ready'],
  ] as const)('%s', (_n, taints, tolerations, want) => {
    expect(untoleratedTaint(taints as readonly Taint[], tolerations as readonly Toleration[])?.key).toBe(want);
  });
});
