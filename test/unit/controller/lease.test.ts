import { describe, expect, it } from 'vitest';
import { LeaseObserver, microTime, released, timingsProblem, tryAcquire, type Lease, DEFAULT_TIMINGS } from '../../../src/controller/lease.js';

const NOW = Date.parse('2026-01-02T03:04:05.678Z');
const lease = (holder: string | undefined, over: Partial<Lease['spec']> = {}): Lease => ({ metadata: { name: 'l' }, spec: { ...(holder === undefined ? {} : { holderIdentity: holder }), leaseDurationSeconds: 3, ...over } });

describe('tryAcquire: the vectors of client-go testTryAcquireOrRenew (caller baz)', () => {
  const at = (holderAlive: boolean, existing: Lease | undefined) => tryAcquire(existing, { me: 'baz', now: NOW, leaseSeconds: 10, holderAlive });

  it('creates the lease when there is none (GET 404)', () => {
    const d = at(false, undefined);
    expect(d.kind).toBe('create');
    expect(d.kind === 'create' && d.spec).toMatchObject({ holderIdentity: 'baz', leaseDurationSeconds: 10, leaseTransitions: 0 });
  });

  it('acquires a lease without a record or without a holder, counting a transition', () => {
    for (const existing of [{ metadata: { name: 'l' } }, lease(undefined), lease('')]) {
      const d = at(true, existing as Lease);
      expect(d).toMatchObject({ kind: 'update', takeover: true, spec: { holderIdentity: 'baz', leaseTransitions: 1 } });
    }
  });

  it('acquires from bing once bing is observed expired', () => {
    expect(at(false, lease('bing', { leaseTransitions: 4 }))).toMatchObject({ kind: 'update', takeover: true, spec: { holderIdentity: 'baz', leaseTransitions: 5 } });
  });

  it('fails while bing is observed valid, and bing stays holder', () => {
    expect(at(true, lease('bing'))).toEqual({ kind: 'held-by-other', holder: 'bing' });
  });

  it('renews its own lease without a transition, keeping acquireTime', () => {
    const d = at(true, lease('baz', { acquireTime: '2020-01-01T00:00:00.000000Z', leaseTransitions: 2 }));
    expect(d).toMatchObject({ kind: 'update', takeover: false, spec: { holderIdentity: 'baz', acquireTime: '2020-01-01T00:00:00.000000Z', renewTime: microTime(NOW), leaseTransitions: 2 } });
  });
});

describe('LeaseObserver: expiry on the observer\'s own clock', () => {
  it('counts a lease seen for the first time as just renewed, however old its renewTime', () => {
    const o = new LeaseObserver();
    const l = lease('bing', { renewTime: '2000-01-01T00:00:00.000000Z' });
    o.observe(l, NOW);
    expect(o.held(l, NOW + 2999)).toBe(true);
    expect(o.held(l, NOW + 3000)).toBe(false);
  });

  it('restarts the clock only when the record changes', () => {
    const o = new LeaseObserver();
    o.observe(lease('bing', { renewTime: 'a' }), NOW);
    o.observe(lease('bing', { renewTime: 'a' }), NOW + 2000);
    expect(o.held(lease('bing'), NOW + 3500)).toBe(false);
    o.observe(lease('bing', { renewTime: 'b' }), NOW + 3600);
    expect(o.held(lease('bing'), NOW + 5000)).toBe(true);
    expect(o.quietFor('l', NOW + 5000)).toBe(1400);
  });

  it('never counts a lease without a holder as held', () => {
    const o = new LeaseObserver();
    o.observe(lease(''), NOW);
    expect(o.held(lease(''), NOW)).toBe(false);
  });

  it('forgets leases that are gone', () => {
    const o = new LeaseObserver();
    o.observe(lease('x'), NOW);
    o.retain(new Set());
    expect(o.quietFor('l', NOW)).toBeUndefined();
  });
});

describe('lease details', () => {
  it('writes MicroTime with six fractional digits', () => {
    expect(microTime(NOW)).toBe('2026-01-02T03:04:05.678000Z');
  });

  it('releases as ReleaseOnCancel does: no holder, duration 1, transitions kept', () => {
    expect(released({ holderIdentity: 'baz', leaseTransitions: 3 }, NOW)).toEqual({ holderIdentity: '', leaseDurationSeconds: 1, acquireTime: microTime(NOW), renewTime: microTime(NOW), leaseTransitions: 3 });
  });

  it('checks the timings as client-go does', () => {
    expect(timingsProblem(DEFAULT_TIMINGS)).toBeUndefined();
    expect(timingsProblem({ leaseSeconds: 10, renewDeadlineSeconds: 10, retrySeconds: 2 })).toMatch(/longer than the renew deadline/);
    expect(timingsProblem({ leaseSeconds: 15, renewDeadlineSeconds: 2.4, retrySeconds: 2 })).toMatch(/1.2 x the retry period/);
    expect(timingsProblem({ leaseSeconds: 1.5, renewDeadlineSeconds: 1, retrySeconds: 0.5 })).toMatch(/whole seconds/);
    expect(timingsProblem({ leaseSeconds: 15, renewDeadlineSeconds: 10, retrySeconds: 0 })).toMatch(/positive/);
  });
});
