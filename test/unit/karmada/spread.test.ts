import { describe, expect, it } from 'vitest';
import type { Placement } from '../../../src/render/karmada/model.js';
import { selectBestClusters, selectGroups, type CandidateCluster } from '../../../src/render/karmada/spread.js';

// Table T4: pkg/scheduler/core/spreadconstraint/select_clusters_test.go (clusters pre-sorted by score).
const members: CandidateCluster[] = [
  { name: 'member4', score: 60, available: 50 },
  { name: 'member2', score: 40, available: 60 },
  { name: 'member3', score: 30, available: 80 },
  { name: 'member1', score: 20, available: 40 },
];
const spread = { spreadConstraints: [{ spreadByField: 'cluster', minGroups: 1, maxGroups: 2 }] };
const names = (r: ReturnType<typeof selectBestClusters>) => ('error' in r ? r.error : r.clusters.map((c) => c.name));

describe('T4 SelectBestClusters', () => {
  it.each([
    ['cluster spread min1/max2, no replicaScheduling', spread, 100, ['member4', 'member2']],
    ['same, Duplicated', { ...spread, replicaScheduling: { replicaSchedulingType: 'Duplicated' } }, 120, ['member4', 'member2']],
    [
      'same, Divided+Weighted static list: spread ignored',
      { ...spread, replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { staticWeightList: [{ targetCluster: { clusterNames: ['member1'] }, weight: 2 }] } } },
      120,
      ['member4', 'member2', 'member3', 'member1'],
    ],
    ['same, Divided (non-static): swap for capacity', { ...spread, replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' } }, 120, ['member4', 'member3']],
    ['same, Divided, too many replicas', { ...spread, replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' } }, 200, 'no enough resource when selecting 2 clusters'],
    ['cluster spread min7/max7', { spreadConstraints: [{ spreadByField: 'cluster', minGroups: 7, maxGroups: 7 }] }, 30, 'the number of feasible clusters (4) is less than spreadConstraint.MinGroups (7)'],
  ] as const)('%s', (_n, placement, need, want) => {
    expect(names(selectBestClusters(placement as Placement, members.map((m) => ({ ...m })), need))).toEqual(want);
  });

  it('maxGroups unset selects no cluster (upstream gotcha, PR #4617)', () => {
    expect(names(selectBestClusters({ spreadConstraints: [{ spreadByField: 'cluster', minGroups: 1 }] }, members, 1))).toEqual([]);
  });

  it('spreadByLabel alone is not implemented upstream', () => {
    expect(names(selectBestClusters({ spreadConstraints: [{ spreadByLabel: 'team', minGroups: 1, maxGroups: 2 }] }, members, 1))).toBe('just support cluster and region spread constraint');
  });
});

describe('region spread, stateless (score 0, unlimited capacity)', () => {
  const c = (name: string, region: string): CandidateCluster => ({ name, region, score: 0, available: Infinity });
  const clusters = [c('a1', 'eu'), c('a2', 'eu'), c('b1', 'us'), c('c1', 'ap'), c('c2', 'ap'), c('c3', 'ap')];
  const placement = (rMin: number, rMax: number, cMin: number, cMax: number): Placement => ({
    spreadConstraints: [
      { spreadByField: 'region', minGroups: rMin, maxGroups: rMax },
      { spreadByField: 'cluster', minGroups: cMin, maxGroups: cMax },
    ],
  });
  it.each([
    // Duplicated region score = clusters in the region * 1000, so the biggest regions win.
    ['two regions, two clusters', placement(2, 2, 2, 2), ['c1', 'a1']],
    ['two regions, four clusters', placement(2, 2, 1, 4), ['c1', 'a1', 'a2', 'c2']],
    ['one region needs three clusters', placement(1, 1, 3, 3), ['c1', 'c2', 'c3']],
    ['three regions', placement(3, 3, 3, 3), ['c1', 'a1', 'b1']],
  ] as const)('%s', (_n, p, want) => {
    expect(names(selectBestClusters(p, clusters, 1))).toEqual(want);
  });

  it('fails when too few regions exist', () => {
    expect(names(selectBestClusters(placement(4, 4, 1, 4), clusters, 1))).toMatch(/feasible regions \(3\) is less than/);
  });
});

// pkg/scheduler/core/spreadconstraint/select_groups_test.go style: target=7, groups with values [2,3,6,7].
describe('selectGroups', () => {
  const g = (name: string, value: number, weight: number) => ({ name, value, weight });
  it('prefers the highest total score, then a shorter prefix of it', () => {
    const groups = [g('R1', 2, 40), g('R2', 3, 30), g('R3', 6, 20), g('R4', 7, 10)];
    expect(selectGroups(groups, 2, 2, 7).map((x) => x.name)).toEqual(['R1', 'R3']);
    expect(selectGroups(groups, 1, 3, 7).map((x) => x.name)).toEqual(['R1', 'R2', 'R3']);
  });
  it('returns nothing when no combination holds enough', () => {
    expect(selectGroups([g('R1', 1, 1), g('R2', 1, 1)], 1, 2, 3)).toEqual([]);
  });
});
