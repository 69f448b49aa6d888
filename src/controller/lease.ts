/**
 * @module controller/lease
 * coordination.k8s.io/v1 Leases as data, and the decisions client-go's leader election makes on
 * them, without any I/O: who may take a Lease, and when a holder counts as gone.
 *
 * Expiry is judged as client-go judges it: by the observer's own clock, from the moment it last
 * saw the record change, never from the renewTime written by another machine, so a clock offset
 * between replicas is harmless. A holder gives up its work after `renewDeadline` without a
 * successful renewal; everyone else waits a full `leaseDuration` of no change before taking
 * over; the difference is the margin that keeps two replicas from working on one member.
 */

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface Lease {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: LeaseSpec;
}

export interface LeaseTimings {
  /** How long others wait, on their own clock, without seeing a change before taking over. */
  readonly leaseSeconds: number;
  /** How long a holder goes on without a successful renewal before it stops working. */
  readonly renewDeadlineSeconds: number;
  /** How often a replica renews its Lease and looks at the others. */
  readonly retrySeconds: number;
}

/** Kubernetes components' defaults (component-base): 15 s, 10 s, 2 s. */
export const DEFAULT_TIMINGS: LeaseTimings = { leaseSeconds: 15, renewDeadlineSeconds: 10, retrySeconds: 2 };

/** client-go's JitterFactor: the retry period times this must stay below the renew deadline. */
const JITTER = 1.2;

/** client-go's checks on the timings; the message says which rule is broken. */
export function timingsProblem(t: LeaseTimings): string | undefined {
  if (!(t.leaseSeconds > 0 && t.renewDeadlineSeconds > 0 && t.retrySeconds > 0)) return 'lease, renew deadline and retry period must all be positive';
  if (!Number.isInteger(t.leaseSeconds)) return 'the lease duration must be whole seconds (Lease.spec.leaseDurationSeconds is an integer)';
  if (!(t.leaseSeconds > t.renewDeadlineSeconds)) return `the lease duration (${t.leaseSeconds}s) must be longer than the renew deadline (${t.renewDeadlineSeconds}s)`;
  if (!(t.renewDeadlineSeconds > JITTER * t.retrySeconds)) return `the renew deadline (${t.renewDeadlineSeconds}s) must be longer than ${JITTER} x the retry period (${t.retrySeconds}s)`;
  return undefined;
}

/** MicroTime as the API server writes it: RFC 3339 with exactly six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** What a Lease says, in the form that is compared to notice a change (client-go compares the record's bytes). */
function recordOf(spec: LeaseSpec | undefined): string {
  const s = spec ?? {};
  return JSON.stringify([s.holderIdentity ?? '', s.leaseDurationSeconds ?? 0, s.acquireTime ?? '', s.renewTime ?? '', s.leaseTransitions ?? 0]);
}

/**
 * When this replica last saw each Lease change, on its own clock. A Lease seen for the first
 * time counts as just changed: a newcomer waits a full duration before it calls anyone gone.
 */
export class LeaseObserver {
  private readonly seen = new Map<string, { record: string; at: number }>();

  observe(lease: Lease, now: number): void {
    const record = recordOf(lease.spec);
    const prev = this.seen.get(lease.metadata.name);
    if (!prev || prev.record !== record) this.seen.set(lease.metadata.name, { record, at: now });
  }

  /** Drops what was seen of Leases that are no longer there. */
  retain(names: ReadonlySet<string>): void {
    for (const n of [...this.seen.keys()]) if (!names.has(n)) this.seen.delete(n);
  }

  /** ms since the Lease last changed, as this replica saw it; undefined if never seen. */
  quietFor(name: string, now: number): number | undefined {
    const s = this.seen.get(name);
    return s === undefined ? undefined : now - s.at;
  }

  /** True while the Lease has a holder and has changed within its own duration. */
  held(lease: Lease, now: number): boolean {
    const holder = lease.spec?.holderIdentity ?? '';
    if (holder === '') return false;
    const quiet = this.quietFor(lease.metadata.name, now);
    const durationMs = (lease.spec?.leaseDurationSeconds ?? 0) * 1000;
    return quiet === undefined || quiet < durationMs;
  }
}

export type AcquireDecision =
  /** No Lease yet: create it, holding it. */
  | { readonly kind: 'create'; readonly spec: LeaseSpec }
  /** Write this spec over the Lease read (with its resourceVersion): a renewal, or a takeover. */
  | { readonly kind: 'update'; readonly spec: LeaseSpec; readonly takeover: boolean }
  /** Someone else holds it and is alive. */
  | { readonly kind: 'held-by-other'; readonly holder: string };

/**
 * client-go's tryAcquireOrRenew, as a decision. `holderAlive` says whether the current holder
 * still counts (for a plain Lease: LeaseObserver.held; for a member Lease: its holder's replica
 * Lease is alive). A takeover counts a transition; a renewal keeps acquireTime and transitions.
 */
export function tryAcquire(lease: Lease | undefined, o: { me: string; now: number; leaseSeconds: number; holderAlive: boolean }): AcquireDecision {
  const now = microTime(o.now);
  const fresh: LeaseSpec = { holderIdentity: o.me, leaseDurationSeconds: o.leaseSeconds, acquireTime: now, renewTime: now };
  if (lease === undefined) return { kind: 'create', spec: { ...fresh, leaseTransitions: 0 } };
  // A Lease object without a spec is a Lease nobody holds (client-go: an empty record).
  const existing = lease.spec ?? {};
  const holder = existing.holderIdentity ?? '';
  if (holder === o.me) {
    return { kind: 'update', takeover: false, spec: { ...fresh, acquireTime: existing.acquireTime ?? now, leaseTransitions: existing.leaseTransitions ?? 0 } };
  }
  if (holder !== '' && o.holderAlive) return { kind: 'held-by-other', holder };
  return { kind: 'update', takeover: true, spec: { ...fresh, leaseTransitions: (existing.leaseTransitions ?? 0) + 1 } };
}

/** The spec of a Lease given up on purpose (client-go's ReleaseOnCancel): no holder, so others take it at once. */
export function released(existing: LeaseSpec | undefined, now: number): LeaseSpec {
  const t = microTime(now);
  return { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: t, renewTime: t, leaseTransitions: existing?.leaseTransitions ?? 0 };
}
