import { describe, expect, it } from 'vitest';
import type { Lease } from '../../../src/controller/lease.js';
import { stateEventsOf } from '../../../src/controller/events.js';
import { observerCandidate, planObserver, type ObserverView } from '../../../src/controller/observer-plan.js';

const T0 = 1_000_000;
const lease = (holder: string, transitions = 0): Lease => ({ metadata: { name: 'gitfed-observer', resourceVersion: '9' }, spec: { holderIdentity: holder, leaseDurationSeconds: 15, leaseTransitions: transitions } });
const view = (over: Partial<ObserverView> & { me: string }): ObserverView => ({ fresh: true, now: T0, leaseSeconds: 15, lease: undefined, replicas: ['a', 'b', 'c'], observing: false, ...over });

describe('planObserver', () => {
  it('with no Lease yet, exactly one of the live replicas creates it', () => {
    const steps = ['a', 'b', 'c'].map((me) => planObserver(view({ me })));
    const acquiring = steps.filter((s) => s.kind === 'acquire');
    expect(acquiring).toHaveLength(1);
    const winner = ['a', 'b', 'c'][steps.findIndex((s) => s.kind === 'acquire')]!;
    expect(winner).toBe(observerCandidate(['a', 'b', 'c']));
    expect(acquiring[0]).toMatchObject({ kind: 'acquire', spec: { holderIdentity: winner, leaseDurationSeconds: 15, leaseTransitions: 0 } });
    expect(acquiring[0]).not.toHaveProperty('lease');
  });

  it('is sticky: a live holder keeps observing, whoever the hash would pick now', () => {
    const holder = ['a', 'b', 'c'].find((r) => r !== observerCandidate(['a', 'b', 'c']))!;
    expect(planObserver(view({ me: holder, lease: lease(holder), observing: true }))).toEqual({ kind: 'keep' });
    for (const me of ['a', 'b', 'c'].filter((r) => r !== holder)) expect(planObserver(view({ me, lease: lease(holder) }))).toEqual({ kind: 'idle', holder });
  });

  it('a holder no longer counted alive is taken over by the candidate among the live ones, counting a transition', () => {
    const live = ['a', 'b'];
    const candidate = observerCandidate(live)!;
    const other = live.find((r) => r !== candidate)!;
    expect(planObserver(view({ me: candidate, replicas: live, lease: lease('c', 3) }))).toMatchObject({ kind: 'acquire', from: 'c', lease: { metadata: { resourceVersion: '9' } }, spec: { holderIdentity: candidate, leaseTransitions: 4 } });
    expect(planObserver(view({ me: other, replicas: live, lease: lease('c', 3) }))).toEqual({ kind: 'idle', holder: 'c' });
  });

  it('a Lease given back (no holder) is taken at once by the candidate', () => {
    const candidate = observerCandidate(['a', 'b', 'c'])!;
    expect(planObserver(view({ me: candidate, lease: lease('') }))).toMatchObject({ kind: 'acquire', spec: { holderIdentity: candidate } });
    expect(planObserver(view({ me: candidate, lease: lease('') }))).not.toHaveProperty('from');
  });

  it('stops at once when its own Lease lapsed, and takes nothing while not fresh', () => {
    expect(planObserver(view({ me: 'a', lease: lease('a'), observing: true, fresh: false }))).toEqual({ kind: 'stop', reason: 'own Lease lapsed' });
    const candidate = observerCandidate(['a', 'b', 'c'])!;
    expect(planObserver(view({ me: candidate, fresh: false }))).toEqual({ kind: 'idle' });
  });

  it('stops when the Lease names another replica (taken while this one lapsed)', () => {
    expect(planObserver(view({ me: 'a', lease: lease('b'), observing: true }))).toEqual({ kind: 'stop', reason: 'taken by b' });
    expect(planObserver(view({ me: 'a', lease: undefined, observing: true }))).toEqual({ kind: 'stop', reason: 'taken by nobody' });
  });

  it('confirms with a write a Lease it still holds before observing again (after a lapse or a restart)', () => {
    expect(planObserver(view({ me: 'b', lease: lease('b', 2) }))).toMatchObject({ kind: 'acquire', spec: { holderIdentity: 'b', leaseTransitions: 2 } });
  });

  it('the candidate is the same on every replica and moves only when it leaves', () => {
    const all = ['r1', 'r2', 'r3', 'r4'];
    const c = observerCandidate(all)!;
    expect(observerCandidate([...all].reverse())).toBe(c);
    for (const gone of all.filter((r) => r !== c)) expect(observerCandidate(all.filter((r) => r !== gone))).toBe(c);
    expect(observerCandidate(all.filter((r) => r !== c))).not.toBe(c);
    expect(observerCandidate([])).toBeUndefined();
  });
});

describe('stateEventsOf', () => {
  it('puts each change of a state commit on the member it is about, naming the commit', () => {
    const changes = ['onprem: 1 shop/web replica(s) pending, was 0', 'onprem-2: not ready, was ready', 'the fleet: something else'];
    expect(stateEventsOf('0123456789abcdef', changes, ['onprem', 'onprem-2', 'burst'])).toEqual([
      { member: 'onprem', line: { type: 'Normal', reason: 'StateCommitted', message: '0123456: onprem: 1 shop/web replica(s) pending, was 0' } },
      { member: 'onprem-2', line: { type: 'Normal', reason: 'StateCommitted', message: '0123456: onprem-2: not ready, was ready' } },
    ]);
  });
});
