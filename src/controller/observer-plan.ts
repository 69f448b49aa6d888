/**
 * @module controller/observer-plan
 * Which replica of the controller observes the fleet (`--observe`), as data. Pure; observer.ts
 * carries it out.
 *
 * One replica at a time observes every member and is the only writer of the state branch (and,
 * with `--render`, of the renders of state): the state branch is one branch, and a single writer
 * never races itself, where writers per shard would race on every commit and each render. The
 * observer is chosen by one more Lease, `gitfed-observer`, with the member Leases' semantics
 * (shard-plan.ts): written only when it changes hands, conditional on the resourceVersion read (of
 * two replicas racing, one gets 409), held while its holder's replica Lease is alive, so it costs
 * no write while nothing changes. It is sticky: a replica joining never takes it from a live
 * holder. When its holder is gone (its replica Lease quiet for a lease duration, on each
 * replica's own clock) or gave it back, the replica rendezvous hashing picks among the live ones
 * takes it over. A holder whose own Lease was not renewed within the renew deadline stops
 * observing before anyone else may count it gone; a round still in flight then is fenced by the
 * state ref's compare-and-swap (git/state-branch.ts): it commits before the next observer reads
 * the branch, or not at all.
 */
import { tryAcquire, type Lease, type LeaseSpec } from './lease.js';
import { ownerOf } from './rendezvous.js';
import { holderOf } from './shard-plan.js';

export const OBSERVER_LEASE = 'gitfed-observer';
/** The value of gitfed.io/lease on the observer Lease (replica and member are the others). */
export const OBSERVER_ROLE = 'observer';
/** The key rendezvous hashing places (not a DNS name, so no member can share its weights). */
const KEY = 'gitfed observer';

export interface ObserverView {
  readonly me: string;
  /** This replica's own Lease was renewed within the renew deadline. */
  readonly fresh: boolean;
  readonly now: number;
  readonly leaseSeconds: number;
  /** The observer Lease as listed; undefined when there is none yet. */
  readonly lease: Lease | undefined;
  /** Replicas counted alive (shard-plan's `replicas`: this one included when fresh). */
  readonly replicas: readonly string[];
  /** This replica observes now. */
  readonly observing: boolean;
}

export type ObserverStep =
  /** Go on observing (this replica holds the Lease and is fresh). */
  | { readonly kind: 'keep' }
  /** Write the Lease (create when `lease` is undefined), then observe. */
  | { readonly kind: 'acquire'; readonly lease?: Lease; readonly spec: LeaseSpec; readonly from?: string }
  /** Stop observing now: the Lease is another's, or this replica's own lapsed. */
  | { readonly kind: 'stop'; readonly reason: string }
  /** Nothing to do: another replica observes, or another one is the one to take over. */
  | { readonly kind: 'idle'; readonly holder?: string };

export function planObserver(v: ObserverView): ObserverStep {
  const holder = holderOf(v.lease);
  if (!v.fresh) return v.observing ? { kind: 'stop', reason: 'own Lease lapsed' } : { kind: 'idle', ...(holder ? { holder } : {}) };
  if (holder === v.me) {
    if (v.observing) return { kind: 'keep' };
    // Held from before a lapse or a restart under the same name: confirmed by a write before observing again.
    const d = tryAcquire(v.lease, { me: v.me, now: v.now, leaseSeconds: v.leaseSeconds, holderAlive: true });
    return d.kind === 'held-by-other' ? { kind: 'idle', holder: d.holder } : { kind: 'acquire', ...(v.lease ? { lease: v.lease } : {}), spec: d.spec };
  }
  if (v.observing) return { kind: 'stop', reason: `taken by ${holder || 'nobody'}` };
  if (holder !== '' && v.replicas.includes(holder)) return { kind: 'idle', holder };
  if (ownerOf(KEY, v.replicas) !== v.me) return { kind: 'idle', ...(holder ? { holder } : {}) };
  const d = tryAcquire(v.lease, { me: v.me, now: v.now, leaseSeconds: v.leaseSeconds, holderAlive: false });
  if (d.kind === 'held-by-other') return { kind: 'idle', holder: d.holder };
  return { kind: 'acquire', ...(v.lease ? { lease: v.lease } : {}), spec: d.spec, ...(holder ? { from: holder } : {}) };
}

/** The replica that takes the observer Lease when nobody alive holds it (for tests and the report). */
export function observerCandidate(replicas: readonly string[]): string | undefined {
  return ownerOf(KEY, replicas);
}
