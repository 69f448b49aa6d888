import { describe, expect, it } from 'vitest';
import { divideByCapacity, divideByEstimates, divideByStaticWeight, workloadReplicas } from '../../../src/render/karmada/divide.js';
import type { StaticClusterWeight } from '../../../src/render/karmada/model.js';
import { allocateWebsterSeats, allocateWebsterSeatsByArithmetic, nameOrderForUID } from '../../../src/render/karmada/webster.js';
import type { KubeObject } from '../../../src/object.js';
import { cluster } from './fixtures.js';

const members = ['member1', 'member2', 'member3'].map((n) => cluster(n));
const w = (name: string, weight: number): StaticClusterWeight => ({ targetCluster: { clusterNames: [name] }, weight });
const asRecord = (m: Map<string, number>) => Object.fromEntries(m);

// Table T5: pkg/scheduler/core/assignment_test.go Test_assignByStaticWeightStrategy (empty UID).
describe('T5 static weight', () => {
  it.each([
    [12, members, [w('member1', 3), w('member2', 2), w('member3', 1)], { member1: 6, member2: 4, member3: 2 }],
    [12, members, undefined, { member1: 4, member2: 4, member3: 4 }],
    [13, members, [w('member1', 3), w('member2', 2), w('member3', 1)], { member1: 7, member2: 4, member3: 2 }],
    // v1.15.9's test expected 8/4/2; Webster (v1.16+) gives 7/5/2.
    [14, members, [w('member1', 3), w('member2', 2), w('member3', 1)], { member1: 7, member2: 5, member3: 2 }],
    [0, members.slice(0, 2), [w('member1', 1), w('member2', 1)], {}],
    [2, members.slice(0, 2), [w('member1', 1)], { member1: 2 }],
    [3, members.slice(0, 2), [w('member1', 1), w('member2', 1), w('member1', 2)], { member1: 2, member2: 1 }],
  ] as const)('%d replicas, weights %j', (replicas, clusters, list, want) => {
    expect(asRecord(divideByStaticWeight(replicas, clusters, list as StaticClusterWeight[] | undefined).replicas)).toEqual(want);
  });

  it('every weight 0 means every cluster weighs 1', () => {
    expect(asRecord(divideByStaticWeight(4, members.slice(0, 2), [w('other', 5)]).replicas)).toEqual({ member1: 2, member2: 2 });
  });

  it('weights by label selector take the largest matching entry', () => {
    const labelled = [cluster('a', { labels: { tier: 'cloud' } }), cluster('b', { labels: { tier: 'cloud', big: 'yes' } })];
    const list: StaticClusterWeight[] = [
      { targetCluster: { labelSelector: { matchLabels: { tier: 'cloud' } } }, weight: 1 },
      { targetCluster: { labelSelector: { matchLabels: { big: 'yes' } } }, weight: 3 },
    ];
    expect(asRecord(divideByStaticWeight(8, labelled, list).replicas)).toEqual({ a: 2, b: 6 });
  });
});

const seats = (n: number, votes: Record<string, number>, initial: Record<string, number> = {}, uid = '') =>
  Object.fromEntries(allocateWebsterSeats(n, new Map(Object.entries(votes)), new Map(Object.entries(initial)), nameOrderForUID(uid)).map((p) => [p.name, p.seats]));

// Table T6: pkg/util/helper/binding_test.go, webstermethod_test.go.
describe('T6 Dispenser / Webster', () => {
  it.each([
    [6, { A: 1, B: 2, C: 3 }, { A: 1, B: 2, C: 3 }, '', { A: 2, B: 4, C: 6 }],
    [3, { A: 1, B: 2, C: 3 }, { A: 1, B: 2, C: 3 }, '', { A: 2, B: 3, C: 4 }],
    [2, { A: 1, B: 2, C: 3 }, { A: 1, B: 2, C: 3 }, '', { A: 1, B: 3, C: 4 }],
    [1, { A: 2, B: 1 }, {}, '', { A: 1, B: 0 }],
    [2, { A: 2, B: 1 }, {}, '', { A: 1, B: 1 }],
    [3, { A: 2, B: 1 }, {}, '', { A: 2, B: 1 }],
    [5, { A: 170, B: 110, C: 60 }, {}, '', { A: 2, B: 2, C: 1 }],
    [6, { A: 170, B: 110, C: 60 }, {}, '', { A: 3, B: 2, C: 1 }],
    [5, { A: 1, B: 1 }, {}, 'd43fdeeb-d750-4e2b-bee3-64eb94534f4c', { A: 2, B: 3 }],
    [5, { A: 1, B: 1 }, {}, '4858ca61-3ff8-4095-8267-f3d059d8074c', { A: 3, B: 2 }],
    [10, { m1: 5, m2: 5, m3: 5 }, {}, '', { m1: 4, m2: 3, m3: 3 }],
    [12, { m1: 5, m2: 5, m3: 5 }, {}, '', { m1: 4, m2: 4, m3: 4 }],
    [10, { m1: 5 }, {}, '', { m1: 10 }],
    [13, { A: 1, B: 2, C: 3 }, {}, '', { A: 2, B: 4, C: 7 }],
    [4, { Alpha: 1200, Beta: 900, Gamma: 400 }, {}, '', { Alpha: 2, Beta: 1, Gamma: 1 }],
    [0, { A: 100, B: 200 }, {}, '', { A: 0, B: 0 }],
    [1, { A: 3, B: 1 }, { A: 1 }, '', { A: 1, B: 1 }],
    [1, { A: 1, B: 1 }, {}, '', { A: 1, B: 0 }],
    [2, { New1: 1, New2: 1 }, { Old: 0 }, '', { New1: 1, New2: 1, Old: 0 }],
    [2, { Old: 1, New: 1 }, { Old: 1 }, '', { New: 2, Old: 1 }],
    [2, { A: 100 }, { B: 3 }, '', { A: 2, B: 3 }],
  ] as const)('%d new seats, votes %j, initial %j, uid %j', (n, votes, initial, uid, want) => {
    expect(seats(n, votes, initial, uid)).toEqual(want);
  });

  it('1..8 seats over A100000 B80000 C30000 D20000 grow one cluster at a time', () => {
    const votes = { A: 100000, B: 80000, C: 30000, D: 20000 };
    const got = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => Object.values(seats(n, votes)).join(''));
    expect(got).toEqual(['1000', '1100', '2100', '2110', '2210', '2211', '3211', '3311']);
  });
});

// Table T7: pkg/scheduler/core/division_algorithm_test.go (capacity list already sorted).
describe('T7 dynamic / aggregated division (pure; the engine rejects these strategies)', () => {
  const cap = (...l: [string, number][]) => l.map(([name, replicas]) => ({ name, replicas }));
  it.each([
    [12, cap(['m1', 18], ['m2', 12], ['m3', 6]), 'DynamicWeight', { m1: 6, m2: 4, m3: 2 }],
    [12, cap(['m1', 20], ['m2', 12], ['m3', 6]), 'DynamicWeight', { m1: 6, m2: 4, m3: 2 }],
    [12, cap(['m1', 6], ['m2', 12], ['m3', 6]), 'DynamicWeight', { m1: 3, m2: 6, m3: 3 }],
    [12, cap(['m2', 12], ['m1', 6], ['m3', 6]), 'Aggregated', { m2: 12 }],
    [12, cap(['m1', 6], ['m2', 6], ['m3', 6]), 'Aggregated', { m1: 6, m2: 6 }],
    [12, cap(['c', 18], ['b', 12], ['a', 6]), 'DynamicWeight', { a: 2, b: 4, c: 6 }],
  ] as const)('%d replicas over %j, %s', (replicas, available, strategy, want) => {
    const d = divideByCapacity(replicas, available, strategy);
    expect('error' in d ? d.error : asRecord(d.replicas)).toEqual(want);
  });

  it('fails when capacity is short', () => {
    expect(divideByCapacity(20, cap(['m1', 6], ['m2', 6]), 'DynamicWeight')).toEqual({ error: 'Clusters available replicas 12 are not enough to schedule.' });
  });
});

// Table T8 (derived): extra static-weight cases, empty UID, Webster.
describe('T8 derived static-weight cases', () => {
  it.each([
    [7, { a: 1, b: 1, c: 1 }, { a: 3, b: 2, c: 2 }],
    [1, { a: 1, b: 1, c: 1 }, { a: 1, b: 0, c: 0 }],
    [2, { a: 1, b: 1, c: 1 }, { a: 1, b: 1, c: 0 }],
    [4, { a: 1, b: 1, c: 1 }, { a: 2, b: 1, c: 1 }],
    [3, { a: 1, b: 3 }, { a: 1, b: 2 }],
    [9, { a: 1, b: 3 }, { a: 2, b: 7 }],
    [4, { x: 1, y: 1000 }, { x: 0, y: 4 }],
    [100, { a: 1, b: 1, c: 1 }, { a: 34, b: 33, c: 33 }],
  ] as const)('%d replicas over %j', (n, votes, want) => {
    expect(seats(n, votes)).toEqual(want);
  });
});

describe('replica interpretation of raw templates', () => {
  const k = (apiVersion: string, kind: string, spec: object): KubeObject => ({ apiVersion, kind, metadata: { name: 'x' }, spec });
  it.each([
    ['Deployment without replicas defaults to 1', k('apps/v1', 'Deployment', {}), 1],
    ['StatefulSet replicas', k('apps/v1', 'StatefulSet', { replicas: 5 }), 5],
    ['Job min(parallelism, completions)', k('batch/v1', 'Job', { parallelism: 4, completions: 2 }), 2],
    ['Job parallelism defaults to 1', k('batch/v1', 'Job', { completions: 10 }), 1],
    ['Pod is 1', k('v1', 'Pod', {}), 1],
  ] as const)('%s', (_n, obj, want) => {
    expect(workloadReplicas(obj)?.replicas).toBe(want);
  });
  it('other kinds are not divided', () => {
    expect(workloadReplicas(k('apps/v1', 'DaemonSet', {}))).toBeUndefined();
    expect(workloadReplicas(k('example.com/v1', 'Thing', { replicas: 3 }))).toBeUndefined();
  });
});

// The one-seat-at-a-time loop as upstream writes it: the reference the arithmetic must equal.
function seatsOneByOne(n: number, votes: Record<string, number>, initial: Record<string, number>, order: 'ascending' | 'descending'): Record<string, number> {
  const parties = new Map<string, { name: string; votes: number; seats: number }>();
  for (const [name, seats] of Object.entries(initial)) parties.set(name, { name, votes: 0, seats });
  for (const [name, v] of Object.entries(votes)) parties.set(name, { name, votes: v, seats: parties.get(name)?.seats ?? 0 });
  const list = [...parties.values()];
  for (let i = 0; i < n && list.length > 0; i++) {
    let best = list[0]!;
    for (const p of list.slice(1)) {
      const qp = p.votes / (2 * p.seats + 1);
      const qb = best.votes / (2 * best.seats + 1);
      if (qp > qb || (qp === qb && (p.seats < best.seats || (p.seats === best.seats && (order === 'ascending' ? p.name < best.name : p.name > best.name))))) best = p;
    }
    best.seats++;
  }
  return Object.fromEntries(list.sort((a, b) => (a.name < b.name ? -1 : 1)).map((p) => [p.name, p.seats]));
}

describe('Webster by arithmetic, whatever the seat count', () => {
  // A fixed pseudo-random sequence (mulberry32): the same cases on every run.
  let state = 0x9e3779b9;
  const random = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const cases = Array.from({ length: 400 }, () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'].slice(0, 1 + Math.floor(random() * 6));
    // Few distinct weights, zeros and initial seats make ties and equal quotients common.
    const votes = Object.fromEntries(names.filter(() => random() < 0.9).map((n) => [n, pick([0, 1, 1, 2, 3, 5, 6, 7, 1000, 2147483647])]));
    const initial = Object.fromEntries(names.filter(() => random() < 0.3).map((n) => [n, Math.floor(random() * 6)]));
    return { n: Math.floor(random() * 400), votes, initial, order: pick(['ascending', 'descending'] as const) };
  });

  it('equals the one-by-one loop on 400 generated cases, ties and initial seats included', () => {
    for (const c of cases) {
      const r = allocateWebsterSeatsByArithmetic(c.n, new Map(Object.entries(c.votes)), new Map(Object.entries(c.initial)), c.order);
      expect(Object.fromEntries(r.parties.map((p) => [p.name, p.seats])), JSON.stringify(c)).toEqual(seatsOneByOne(c.n, c.votes, c.initial, c.order));
      // The arithmetic did the work: fewer seats than parties were left for the loop.
      expect(r.oneByOne, JSON.stringify(c)).toBeLessThan(Math.max(1, r.parties.length));
    }
  });

  it('divides int32-max replicas without handing them out one by one', () => {
    const n = 2147483647;
    const got = seats(n, { a: 1, b: 2, c: 4 });
    expect(got.a! + got.b! + got.c!).toBe(n);
    // Webster stays within one seat of the exact proportional share.
    expect(Math.abs(got.a! - n / 7)).toBeLessThan(1);
    expect(Math.abs(got.c! - (4 * n) / 7)).toBeLessThan(1);
    expect(seats(n, { x: 0, y: 0 })).toEqual({ x: 1073741824, y: 1073741823 });
    expect(seats(n, { solo: 3 }, { old: 5 })).toEqual({ old: 5, solo: n });
  });

  it('divides a Deployment of int32-max replicas by static weights', () => {
    const d = divideByStaticWeight(2147483647, members, [w('member1', 2147483647), w('member2', 1), w('member3', 3)]);
    expect([...d.replicas.values()].reduce((s, r) => s + r, 0)).toBe(2147483647);
    expect(d.replicas.get('member2')).toBe(1);
  });
});

// reference/control-plane.md §3.3: assignment_test.go Test_dynamicScale and the first-schedule
// rows of division_algorithm_test.go, with what the members hold now as the previous result.
describe('dynamic division with estimates (Steady mode)', () => {
  const est = (l: [string, number, number][]) => l.map(([name, assigned, fit]) => ({ name, assigned, fit }));
  it.each([
    ['scale down 12 -> 6, weighted by held', 6, est([['member1', 2, 1], ['member2', 4, 1], ['member3', 6, 1]]), 'DynamicWeight', { member1: 1, member2: 2, member3: 3 }],
    ['scale up 12 -> 24, estimates 10 each', 24, est([['member1', 2, 10], ['member2', 4, 10], ['member3', 6, 10]]), 'DynamicWeight', { member1: 6, member2: 8, member3: 10 }],
    ['scale up short of room', 24, est([['member1', 2, 1], ['member2', 4, 1], ['member3', 6, 1]]), 'DynamicWeight', 'Clusters available replicas 3 are not enough to schedule.'],
    ['aggregated down to 6', 6, est([['member1', 4, 1], ['member2', 8, 1], ['member3', 0, 1]]), 'Aggregated', { member2: 6 }],
    ['aggregated down to 8', 8, est([['member1', 4, 100], ['member2', 8, 100]]), 'Aggregated', { member2: 8 }],
    ['aggregated up, estimates 4,6,8', 24, est([['member1', 4, 4], ['member2', 8, 6], ['member3', 0, 8]]), 'Aggregated', { member1: 7, member2: 12, member3: 5 }],
    ['aggregated up, estimates 6,6,20: holders first', 24, est([['member1', 4, 6], ['member2', 8, 6], ['member3', 0, 20]]), 'Aggregated', { member1: 10, member2: 14 }],
    ['aggregated up short of room', 24, est([['member1', 4, 1], ['member2', 8, 1], ['member3', 0, 1]]), 'Aggregated', 'Clusters available replicas 3 are not enough to schedule.'],
    ['aggregated, member2 gone and member4 new', 24, est([['member1', 4, 4], ['member3', 0, 8], ['member4', 0, 12]]), 'Aggregated', { member1: 7, member3: 7, member4: 10 }],
    ['first schedule, dynamic 18,12,6', 12, est([['member1', 0, 18], ['member2', 0, 12], ['member3', 0, 6]]), 'DynamicWeight', { member1: 6, member2: 4, member3: 2 }],
    ['first schedule, dynamic 20,12,6', 12, est([['member1', 0, 20], ['member2', 0, 12], ['member3', 0, 6]]), 'DynamicWeight', { member1: 6, member2: 4, member3: 2 }],
    ['first schedule, dynamic 6,12,6', 12, est([['member1', 0, 6], ['member2', 0, 12], ['member3', 0, 6]]), 'DynamicWeight', { member1: 3, member2: 6, member3: 3 }],
    ['first schedule, aggregated 6,12,6', 12, est([['member1', 0, 6], ['member2', 0, 12], ['member3', 0, 6]]), 'Aggregated', { member2: 12 }],
    ['first schedule, aggregated 6,6,6: ties by name', 12, est([['member3', 0, 6], ['member2', 0, 6], ['member1', 0, 6]]), 'Aggregated', { member1: 6, member2: 6 }],
    ['as many as wanted: unchanged whatever the estimates', 12, est([['member1', 5, 0], ['member2', 7, 100]]), 'DynamicWeight', { member1: 5, member2: 7 }],
  ] as const)('%s', (_name, desired, candidates, strategy, want) => {
    const d = divideByEstimates(desired, candidates, strategy);
    expect('error' in d ? d.error : asRecord(d.replicas)).toEqual(want);
  });
});
