import { describe, expect, it } from 'vitest';
import { LeaseObserver, type Lease } from '../../../src/controller/lease.js';
import { planShard, type ShardView } from '../../../src/controller/shard-plan.js';
import { assign } from '../../../src/controller/rendezvous.js';

const T0 = 1_000_000;
const D = 15;
const members = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'];
const replicaLease = (id: string, renew = 'r1'): Lease => ({ metadata: { name: `replica-${id}` }, spec: { holderIdentity: id, leaseDurationSeconds: D, renewTime: renew } });
const memberLease = (m: string, holder: string, transitions = 0): Lease => ({ metadata: { name: `member-${m}`, resourceVersion: '7' }, spec: { holderIdentity: holder, leaseDurationSeconds: D, leaseTransitions: transitions } });

function view(over: Partial<ShardView> & { me: string; replicas?: string[] }): ShardView {
  const observer = over.observer ?? new LeaseObserver();
  const replicaLeases = over.replicaLeases ?? (over.replicas ?? ['a', 'b', 'c']).map((r) => replicaLease(r));
  if (!over.observer) for (const l of replicaLeases) observer.observe(l, T0);
  return { fresh: true, now: T0, leaseSeconds: D, members, replicaLeases, memberLeases: new Map(), observer, working: new Set(), releasing: new Set(), ...over };
}

describe('planShard', () => {
  it('splits the members between fresh replicas: each creates the Leases of its own, none twice', () => {
    const taken = new Map<string, string>();
    for (const me of ['a', 'b', 'c']) {
      const plan = planShard(view({ me }));
      expect(plan.replicas).toEqual(['a', 'b', 'c']);
      for (const s of plan.steps) {
        expect(s.kind).toBe('acquire');
        if (s.kind !== 'acquire') continue;
        expect(s.lease).toBeUndefined();
        expect(s.spec.holderIdentity).toBe(me);
        expect(taken.has(s.member)).toBe(false);
        taken.set(s.member, me);
      }
    }
    expect([...taken.keys()].sort()).toEqual(members);
    expect(taken).toEqual(assign(members, ['a', 'b', 'c']));
  });

  it('plans nothing for members it already works on', () => {
    const mine = members.filter((m) => assign(members, ['a', 'b', 'c']).get(m) === 'a');
    const plan = planShard(view({ me: 'a', memberLeases: new Map(mine.map((m) => [m, memberLease(m, 'a')])), working: new Set(mine) }));
    expect(plan.steps.filter((s) => mine.includes((s as { member: string }).member))).toEqual([]);
  });

  it('confirms with a write a Lease it still holds but stopped working on (after a lapse)', () => {
    const m = members.find((x) => assign(members, ['a', 'b', 'c']).get(x) === 'a')!;
    const plan = planShard(view({ me: 'a', memberLeases: new Map([[m, memberLease(m, 'a', 2)]]) }));
    expect(plan.steps.find((s) => s.kind === 'acquire' && s.member === m)).toMatchObject({ takeover: false, lease: { metadata: { resourceVersion: '7' } }, spec: { holderIdentity: 'a', leaseTransitions: 2 } });
  });

  it('waits while another live replica holds a member it now wants', () => {
    const m = members.find((x) => assign(members, ['a', 'b', 'c']).get(x) === 'a')!;
    const plan = planShard(view({ me: 'a', memberLeases: new Map([[m, memberLease(m, 'b')]]) }));
    expect(plan.steps.some((s) => s.kind === 'acquire' && s.member === m)).toBe(false);
    expect(plan.holders.get(m)).toBe('b');
  });

  it('takes over a dead replica\'s members once its Lease has been quiet for a whole duration, and only those', () => {
    const observer = new LeaseObserver();
    const leases = ['a', 'b', 'c'].map((r) => replicaLease(r));
    for (const l of leases) observer.observe(l, T0);
    const now = T0 + D * 1000;
    // a and b renewed; c did not.
    const renewed = [replicaLease('a', 'r2'), replicaLease('b', 'r2'), leases[2]!];
    for (const l of renewed) observer.observe(l, now);
    const before = assign(members, ['a', 'b', 'c']);
    const held = new Map(members.map((m) => [m, memberLease(m, before.get(m)!, 1)]));
    const mineA = new Set(members.filter((m) => before.get(m) === 'a'));
    const plan = planShard(view({ me: 'a', observer, replicaLeases: renewed, now, memberLeases: held, working: mineA }));
    expect(plan.replicas).toEqual(['a', 'b']);
    const after = assign(members, ['a', 'b']);
    const expected = members.filter((m) => before.get(m) === 'c' && after.get(m) === 'a');
    const acquired = plan.steps.filter((s) => s.kind === 'acquire');
    expect(acquired.map((s) => (s as { member: string }).member).sort()).toEqual(expected.sort());
    for (const s of acquired) expect(s).toMatchObject({ takeover: true, from: 'c', spec: { leaseTransitions: 2 } });
    // One tick earlier c still counts.
    const early = planShard(view({ me: 'a', observer, replicaLeases: renewed, now: now - 1, memberLeases: held, working: mineA }));
    expect(early.replicas).toEqual(['a', 'b', 'c']);
  });

  it('takes a Lease its holder released at once', () => {
    const m = members.find((x) => assign(members, ['a', 'b', 'c']).get(x) === 'a')!;
    const plan = planShard(view({ me: 'a', memberLeases: new Map([[m, memberLease(m, '')]]) }));
    expect(plan.steps.find((s) => s.kind === 'acquire' && s.member === m)).toMatchObject({ takeover: true });
  });

  it('hands back members a newcomer wins', () => {
    const three = assign(members, ['a', 'b', 'c']);
    const four = assign(members, ['a', 'b', 'c', 'd']);
    const mine = members.filter((m) => three.get(m) === 'a');
    const plan = planShard(view({ me: 'a', replicas: ['a', 'b', 'c', 'd'], memberLeases: new Map(mine.map((m) => [m, memberLease(m, 'a')])), working: new Set(mine) }));
    const released = plan.steps.filter((s) => s.kind === 'release').map((s) => (s as { member: string }).member);
    expect(released.sort()).toEqual(mine.filter((m) => four.get(m) !== 'a').sort());
  });

  it('skips members being handed back', () => {
    const mine = members.filter((m) => assign(members, ['a', 'b', 'c']).get(m) === 'a');
    const plan = planShard(view({ me: 'a', replicas: ['a'], releasing: new Set(members) }));
    expect(plan.steps).toEqual([]);
    expect(mine.length).toBeGreaterThan(0);
  });

  it('hands back a member that left the branch', () => {
    const plan = planShard(view({ me: 'a', members: [], memberLeases: new Map([['gone', memberLease('gone', 'a')]]), working: new Set(['gone', 'gone2']) }));
    expect(plan.steps.map((s) => (s as { member: string }).member).sort()).toEqual(['gone', 'gone2']);
    expect(plan.steps.every((s) => s.kind === 'release')).toBe(true);
  });

  it('does nothing but look while its own Lease is not fresh, and does not count itself', () => {
    const plan = planShard(view({ me: 'a', fresh: false }));
    expect(plan.steps).toEqual([]);
    expect(plan.replicas).toEqual(['b', 'c']);
  });

  it('clears away the Lease of a replica quiet for ten durations', () => {
    const observer = new LeaseObserver();
    const dead = replicaLease('z');
    observer.observe(dead, T0);
    const mine = replicaLease('a');
    const now = T0 + 10 * D * 1000 + 1;
    observer.observe(mine, now);
    const plan = planShard(view({ me: 'a', observer, replicaLeases: [mine, dead], now, members: [] }));
    expect(plan.steps).toEqual([{ kind: 'forget', lease: dead }]);
    expect(planShard(view({ me: 'a', observer, replicaLeases: [mine, dead], now: now - 2, members: [] })).steps).toEqual([]);
  });
});
