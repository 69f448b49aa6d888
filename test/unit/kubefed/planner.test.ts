/**
 * The upstream planner vectors (reference/kubefed.md §3.5): every assertion of
 * `pkg/controller/util/planner/planner_test.go` (40) and the hash-independent e2e tables of
 * `test/e2e/scheduling.go` (4). Keys are "" as in the unit tests; "hash dependent" rows are the
 * ones that tell FNV-1 from FNV-1a or from a name tie-break.
 */
import { describe, expect, it } from 'vitest';
import { fnv1_32, plan, type ClusterPreferences, type PlanEvent } from '../../../src/render/kubefed/planner.js';

type Prefs = Record<string, Partial<ClusterPreferences>>;

interface Case {
  readonly name: string;
  readonly prefs: Prefs;
  readonly total: number;
  readonly clusters: string[];
  readonly rebalance?: boolean;
  readonly current?: Record<string, number>;
  readonly capacity?: Record<string, number>;
  readonly want: Record<string, number>;
  /** null: not checked (e2e); {} for doCheck/doCheckWithExisting, which assert no overflow. */
  readonly wantOverflow: Record<string, number> | null;
}

function run(c: Case, key = '') {
  const clusters = new Map<string, ClusterPreferences>();
  for (const [k, v] of Object.entries(c.prefs)) clusters.set(k, { minReplicas: v.minReplicas ?? 0, weight: v.weight ?? 0, ...(v.maxReplicas !== undefined ? { maxReplicas: v.maxReplicas } : {}) });
  return plan(
    { totalReplicas: c.total, rebalance: c.rebalance ?? false, clusters },
    c.clusters,
    new Map(Object.entries(c.current ?? {})),
    new Map(Object.entries(c.capacity ?? {})),
    key,
  );
}

const star1: Prefs = { '*': { weight: 1 } };

const testEqual: Case[] = [
  { name: 'TestEqual#1 50 over A,B,C (hash dependent)', prefs: star1, total: 50, clusters: ['A', 'B', 'C'], want: { A: 16, B: 17, C: 17 }, wantOverflow: {} },
  { name: 'TestEqual#2 50 over A,B', prefs: star1, total: 50, clusters: ['A', 'B'], want: { A: 25, B: 25 }, wantOverflow: {} },
  { name: 'TestEqual#3 1 over A,B (hash dependent)', prefs: star1, total: 1, clusters: ['A', 'B'], want: { A: 0, B: 1 }, wantOverflow: {} },
  { name: 'TestEqual#4 1 over A..D (hash dependent)', prefs: star1, total: 1, clusters: ['A', 'B', 'C', 'D'], want: { A: 0, B: 0, C: 0, D: 1 }, wantOverflow: {} },
  { name: 'TestEqual#5 1 over A', prefs: star1, total: 1, clusters: ['A'], want: { A: 1 }, wantOverflow: {} },
  { name: 'TestEqual#6 no clusters', prefs: star1, total: 1, clusters: [], want: {}, wantOverflow: {} },
];

const testEqualWithExisting: Case[] = [
  { name: 'TestEqualWithExisting#1 C has 30', prefs: star1, total: 50, clusters: ['A', 'B', 'C'], current: { C: 30 }, want: { A: 10, B: 10, C: 30 }, wantOverflow: {} },
  { name: 'TestEqualWithExisting#2 A has 30', prefs: star1, total: 50, clusters: ['A', 'B'], current: { A: 30 }, want: { A: 30, B: 20 }, wantOverflow: {} },
  { name: 'TestEqualWithExisting#3 A0 B8', prefs: star1, total: 15, clusters: ['A', 'B'], current: { A: 0, B: 8 }, want: { A: 7, B: 8 }, wantOverflow: {} },
  { name: 'TestEqualWithExisting#4 A1 B8', prefs: star1, total: 15, clusters: ['A', 'B'], current: { A: 1, B: 8 }, want: { A: 7, B: 8 }, wantOverflow: {} },
  { name: 'TestEqualWithExisting#5 A4 B8', prefs: star1, total: 15, clusters: ['A', 'B'], current: { A: 4, B: 8 }, want: { A: 7, B: 8 }, wantOverflow: {} },
  { name: 'TestEqualWithExisting#6 A5 B8', prefs: star1, total: 15, clusters: ['A', 'B'], current: { A: 5, B: 8 }, want: { A: 7, B: 8 }, wantOverflow: {} },
  { name: 'TestEqualWithExisting#7 A6 B8', prefs: star1, total: 15, clusters: ['A', 'B'], current: { A: 6, B: 8 }, want: { A: 7, B: 8 }, wantOverflow: {} },
  { name: 'TestEqualWithExisting#8 A7 B8', prefs: star1, total: 15, clusters: ['A', 'B'], current: { A: 7, B: 8 }, want: { A: 7, B: 8 }, wantOverflow: {} },
  { name: 'TestEqualWithExisting#9 large numbers', prefs: star1, total: 500000, clusters: ['A', 'B'], current: { A: 300000 }, want: { A: 300000, B: 200000 }, wantOverflow: {} },
  { name: 'TestEqualWithExisting#10 A has 10 of 50', prefs: star1, total: 50, clusters: ['A', 'B'], current: { A: 10 }, want: { A: 25, B: 25 }, wantOverflow: {} },
  { name: 'TestEqualWithExisting#11 A10 B70 over 50 (hash dependent)', prefs: star1, total: 50, clusters: ['A', 'B'], current: { A: 10, B: 70 }, want: { A: 0, B: 50 }, wantOverflow: {} },
  { name: 'TestEqualWithExisting#12 A has 30 of 1', prefs: star1, total: 1, clusters: ['A', 'B'], current: { A: 30 }, want: { A: 1, B: 0 }, wantOverflow: {} },
  { name: 'TestEqualWithExisting#13 A10 B20 over 50', prefs: star1, total: 50, clusters: ['A', 'B'], current: { A: 10, B: 20 }, want: { A: 25, B: 25 }, wantOverflow: {} },
];

const testWithExistingAndCapacity: Case[] = [
  { name: 'TestWithExistingAndCapacity#1 rebalance, C capacity 10', rebalance: true, prefs: star1, total: 50, clusters: ['A', 'B', 'C'], capacity: { C: 10 }, want: { A: 20, B: 20, C: 10 }, wantOverflow: { C: 7 } },
  { name: 'TestWithExistingAndCapacity#2 rebalance, B capacity 10, A unavailable', rebalance: true, prefs: { A: { weight: 10000 }, B: { weight: 1 } }, total: 50, clusters: ['B', 'C'], capacity: { B: 10 }, want: { B: 10, C: 0 }, wantOverflow: { B: 40 } },
  { name: 'TestWithExistingAndCapacity#3 rebalance, weights 1:2, B capacity 10', rebalance: true, prefs: { A: { weight: 1 }, B: { weight: 2 } }, total: 60, clusters: ['A', 'B', 'C'], capacity: { B: 10 }, want: { A: 50, B: 10, C: 0 }, wantOverflow: { B: 30 } },
  {
    name: 'TestWithExistingAndCapacity#4 rebalance, maxima and C capacity 10',
    rebalance: true,
    prefs: { A: { weight: 10000, maxReplicas: 10 }, B: { weight: 1 }, C: { weight: 1, maxReplicas: 21 }, D: { weight: 1, maxReplicas: 10 } },
    total: 71,
    clusters: ['A', 'B', 'C', 'D'],
    capacity: { C: 10 },
    want: { A: 10, B: 41, C: 10, D: 10 },
    wantOverflow: { C: 11 },
  },
  { name: 'TestWithExistingAndCapacity#5 no rebalance, A and B capacity 10', prefs: { A: { weight: 1 }, B: { weight: 1 } }, total: 60, clusters: ['A', 'B', 'C'], capacity: { A: 10, B: 10 }, want: { A: 10, B: 10, C: 0 }, wantOverflow: { A: 20, B: 20 } },
  { name: 'TestWithExistingAndCapacity#6 no rebalance, weights 1:5, B capacity 10', prefs: { A: { weight: 1 }, B: { weight: 5 } }, total: 60, clusters: ['A', 'B', 'C'], capacity: { B: 10 }, want: { A: 50, B: 10, C: 0 }, wantOverflow: {} },
  { name: 'TestWithExistingAndCapacity#7 no rebalance, minimum 20 weight 0, B capacity 10', prefs: { '*': { minReplicas: 20, weight: 0 } }, total: 50, clusters: ['A', 'B', 'C'], capacity: { B: 10 }, want: { A: 20, B: 10, C: 20 }, wantOverflow: {} },
  { name: 'TestWithExistingAndCapacity#8 rebalance, minimum 20 weight 1, B capacity 10', rebalance: true, prefs: { '*': { minReplicas: 20, weight: 1 } }, total: 60, clusters: ['A', 'B'], capacity: { B: 10 }, want: { A: 50, B: 10 }, wantOverflow: { B: 15 } },
];

const testMin: Case[] = [
  { name: 'TestMin#1 minimum 2 weight 0', prefs: { '*': { minReplicas: 2, weight: 0 } }, total: 50, clusters: ['A', 'B', 'C'], want: { A: 2, B: 2, C: 2 }, wantOverflow: {} },
  { name: 'TestMin#2 minimum 20 weight 0 (hash dependent)', prefs: { '*': { minReplicas: 20, weight: 0 } }, total: 50, clusters: ['A', 'B', 'C'], want: { A: 10, B: 20, C: 20 }, wantOverflow: {} },
  { name: 'TestMin#3 A minimum 100 weight 1 takes all', prefs: { '*': { minReplicas: 20, weight: 0 }, A: { minReplicas: 100, weight: 1 } }, total: 50, clusters: ['A', 'B', 'C'], want: { A: 50, B: 0, C: 0 }, wantOverflow: {} },
  { name: 'TestMin#4 minimum 10 max 12', prefs: { '*': { minReplicas: 10, weight: 1, maxReplicas: 12 } }, total: 50, clusters: ['A', 'B', 'C'], want: { A: 12, B: 12, C: 12 }, wantOverflow: {} },
];

const testMax: Case[] = [
  { name: 'TestMax#1 max 2', prefs: { '*': { weight: 1, maxReplicas: 2 } }, total: 50, clusters: ['A', 'B', 'C'], want: { A: 2, B: 2, C: 2 }, wantOverflow: {} },
  { name: 'TestMax#2 max 2 weight 0', prefs: { '*': { weight: 0, maxReplicas: 2 } }, total: 50, clusters: ['A', 'B', 'C'], want: { A: 0, B: 0, C: 0 }, wantOverflow: {} },
];

const testWeight: Case[] = [
  { name: 'TestWeight#1 1:2, C without preference', prefs: { A: { weight: 1 }, B: { weight: 2 } }, total: 60, clusters: ['A', 'B', 'C'], want: { A: 20, B: 40, C: 0 }, wantOverflow: {} },
  { name: 'TestWeight#2 10000:1', prefs: { A: { weight: 10000 }, B: { weight: 1 } }, total: 50, clusters: ['A', 'B', 'C'], want: { A: 50, B: 0, C: 0 }, wantOverflow: {} },
  { name: 'TestWeight#3 10000:1, A unavailable', prefs: { A: { weight: 10000 }, B: { weight: 1 } }, total: 50, clusters: ['B', 'C'], want: { B: 50, C: 0 }, wantOverflow: {} },
  { name: 'TestWeight#4 A capped at 10', prefs: { A: { weight: 10000, maxReplicas: 10 }, B: { weight: 1 }, C: { weight: 1 } }, total: 50, clusters: ['A', 'B', 'C'], want: { A: 10, B: 20, C: 20 }, wantOverflow: {} },
  { name: 'TestWeight#5 A and C capped at 10', prefs: { A: { weight: 10000, maxReplicas: 10 }, B: { weight: 1 }, C: { weight: 1, maxReplicas: 10 } }, total: 50, clusters: ['A', 'B', 'C'], want: { A: 10, B: 30, C: 10 }, wantOverflow: {} },
  {
    name: 'TestWeight#6 four clusters with maxima',
    prefs: { A: { weight: 10000, maxReplicas: 10 }, B: { weight: 1 }, C: { weight: 1, maxReplicas: 21 }, D: { weight: 1, maxReplicas: 10 } },
    total: 71,
    clusters: ['A', 'B', 'C', 'D'],
    want: { A: 10, B: 30, C: 21, D: 10 },
    wantOverflow: {},
  },
  {
    name: 'TestWeight#7 five clusters with maxima',
    prefs: { A: { weight: 10000, maxReplicas: 10 }, B: { weight: 1 }, C: { weight: 1, maxReplicas: 21 }, D: { weight: 1, maxReplicas: 10 }, E: { weight: 1 } },
    total: 91,
    clusters: ['A', 'B', 'C', 'D', 'E'],
    want: { A: 10, B: 25, C: 21, D: 10, E: 25 },
    wantOverflow: {},
  },
];

// test/e2e/scheduling.go: two clusters, the RSP names both (or neither), hash-independent.
const e2e: Case[] = [
  { name: 'e2e: replicas spread equally in clusters with no explicit per cluster preferences', prefs: star1, total: 4, clusters: ['cluster1', 'cluster2'], want: { cluster1: 2, cluster2: 2 }, wantOverflow: null },
  { name: 'e2e: replicas spread in proportion of weights when explicit preferences with weights specified', prefs: { cluster1: { weight: 2 }, cluster2: { weight: 1 } }, total: 6, clusters: ['cluster1', 'cluster2'], want: { cluster1: 4, cluster2: 2 }, wantOverflow: null },
  { name: 'e2e: replicas spread considering min replicas when both minreplica and weights specified', prefs: { cluster1: { weight: 2, minReplicas: 3 }, cluster2: { weight: 1, minReplicas: 3 } }, total: 6, clusters: ['cluster1', 'cluster2'], want: { cluster1: 3, cluster2: 3 }, wantOverflow: null },
  // The intersection case: only cluster1 carries the selector's label, so only it is available.
  { name: 'e2e: target clusters are the intersection of the RSP clusters and federated resource placement', prefs: { cluster1: { weight: 2, minReplicas: 3 }, cluster2: { weight: 1, minReplicas: 3 } }, total: 6, clusters: ['cluster1'], want: { cluster1: 6 }, wantOverflow: null },
];

const tables = { testEqual, testEqualWithExisting, testWithExistingAndCapacity, testMin, testMax, testWeight, e2e };

describe('planner: upstream vectors', () => {
  it('has all 44 cases', () => {
    expect(Object.values(tables).reduce((n, t) => n + t.length, 0)).toBe(44);
  });
  for (const [table, cases] of Object.entries(tables)) {
    describe(table, () => {
      it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
        const got = run(c);
        expect(Object.fromEntries(got.plan)).toEqual(c.want);
        if (c.wantOverflow !== null) expect(Object.fromEntries(got.overflow)).toEqual(c.wantOverflow);
      });
    });
  }
});

describe('planner: reference notes', () => {
  it('issue #319: minimums first, then the remainder by weight (3/7, not 4/6)', () => {
    const got = run({ name: '', prefs: { c1: { minReplicas: 2, maxReplicas: 6, weight: 2 }, c2: { minReplicas: 4, maxReplicas: 8, weight: 3 } }, total: 10, clusters: ['c1', 'c2'], want: {}, wantOverflow: {} });
    expect(Object.fromEntries(got.plan)).toEqual({ c1: 3, c2: 7 });
  });

  it.each([
    ['9 even', star1, 9, { A: 3, B: 3, C: 3 }],
    ['A w1 / B w2', { A: { weight: 1 }, B: { weight: 2 } }, 9, { A: 3, B: 6, C: 0 }],
  ] as const)('docs/userguide.md: %s', (_n, prefs, total, want) => {
    expect(Object.fromEntries(run({ name: '', prefs, total, clusters: ['A', 'B', 'C'], want: {}, wantOverflow: {} }).plan)).toEqual(want);
  });

  it('docs/userguide.md: A{4,6,w1} B{4,8,w2} gives A4 B5, C nothing', () => {
    const prefs = { A: { minReplicas: 4, maxReplicas: 6, weight: 1 }, B: { minReplicas: 4, maxReplicas: 8, weight: 2 } };
    expect(Object.fromEntries(run({ name: '', prefs, total: 9, clusters: ['A', 'B', 'C'], want: {}, wantOverflow: {} }).plan)).toEqual({ A: 4, B: 5, C: 0 });
  });

  it.each([
    ['B offline', ['A', 'C'], { A: 30, C: 20 }],
    ['A and B offline', ['C'], { C: 20 }],
  ])('docs/userguide.md: 50 evenly but at most 20 in C, %s', (_n, clusters, want) => {
    const prefs = { '*': { weight: 1 }, C: { maxReplicas: 20, weight: 1 } };
    expect(Object.fromEntries(run({ name: '', prefs, total: 50, clusters, want: {}, wantOverflow: {} }, 'test-ns/test-deployment').plan)).toEqual(want);
  });

  it('docs/userguide.md: the illustrative 16/17/17 holds for key "", the real key gives 17/17/16', () => {
    const c: Case = { name: '', prefs: star1, total: 50, clusters: ['A', 'B', 'C'], want: {}, wantOverflow: {} };
    expect(Object.fromEntries(run(c, '').plan)).toEqual({ A: 16, B: 17, C: 17 });
    expect(Object.fromEntries(run(c, 'test-ns/test-deployment').plan)).toEqual({ A: 17, B: 17, C: 16 });
  });

  it('weights beyond 2^53 after multiplication still divide exactly', () => {
    const c: Case = { name: '', prefs: { A: { weight: 2 ** 40 }, B: { weight: 2 ** 40 } }, total: 2 ** 31 - 1, clusters: ['A', 'B'], want: {}, wantOverflow: {} };
    const got = run(c);
    expect(got.plan.get('A')! + got.plan.get('B')!).toBe(2 ** 31 - 1);
  });
});

describe('fnv1_32', () => {
  it.each([
    ['a', 0x050c5d7e],
    ['A', 84696414],
    ['B', 84696413],
  ])('%s', (s, want) => {
    expect(fnv1_32(s)).toBe(want);
  });

  it('hashes the UTF-8 bytes of non-ASCII names, as Go does', () => {
    // reference/kubefed.md §3.4, byte by byte.
    let h = 0x811c9dc5;
    for (const b of new TextEncoder().encode('zürich-1default/web')) h = (Math.imul(h, 0x01000193) >>> 0 ^ b) >>> 0;
    expect(fnv1_32('zürich-1default/web')).toBe(h);
  });
});

describe('planner trace', () => {
  it('records the preference source, the order and each share', () => {
    const events: PlanEvent[] = [];
    const clusters = new Map<string, ClusterPreferences>([['A', { minReplicas: 0, weight: 1 }]]);
    plan({ totalReplicas: 3, rebalance: false, clusters }, ['A', 'B'], new Map(), new Map(), '', (e) => events.push(e));
    expect(events.filter((e) => e.type === 'preference')).toEqual([
      { type: 'preference', cluster: 'A', source: 'explicit' },
      { type: 'preference', cluster: 'B', source: 'none' },
    ]);
    expect(events.find((e) => e.type === 'share')).toMatchObject({ cluster: 'A', share: 3, start: 0, total: 3, full: false, remaining: 0 });
  });
});
