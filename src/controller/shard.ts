/**
 * @module controller/shard
 * Carries out shard-plan.ts every retry period: renews this replica's Lease, lists the Leases,
 * takes and gives back member Leases, and tells the daemon which members it may work on.
 * A replica that could not renew its own Lease within the renew deadline stops all member work
 * at once (in-flight requests are cut), before any other replica can count it gone.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { LeaseObserver, released, tryAcquire, type Lease, type LeaseTimings } from './lease.js';
import { isConflict, type Management } from './management.js';
import { holderOf, LEASE_LABEL, planShard, REPLICA_LABEL, type ShardPlan, type ShardStep } from './shard-plan.js';

/** Annotation on a member Lease naming the member (any cluster name; the Lease name may be a digest). */
export const MEMBER_ANNOTATION = 'gitfed.io/member';

export interface ShardEvent {
  readonly msg: string;
  readonly member?: string;
  readonly action?: string;
  readonly level?: 'info' | 'warn' | 'error';
  readonly [key: string]: unknown;
}

export interface ShardHooks {
  /** The members of the branch head; empty before the first head is read. */
  members(): readonly string[];
  /** This replica now holds the member's Lease: start working on it. */
  start(member: string): void;
  /** Stop working on the member; with `abort`, cut in-flight requests (the Lease may already be lost). */
  stop(member: string, abort: boolean): Promise<void>;
  log(ev: ShardEvent): void;
  /** After every look at the Leases. */
  onPlan?(plan: ShardPlan): void;
}

/** A replica id that is a valid Lease name part and unique even for two processes on one host (client-go: hostname_uuid). */
export function defaultReplicaId(): string {
  const host = hostname().toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'gitfed';
  return `${host}-${randomBytes(3).toString('hex')}`;
}

export function replicaLeaseName(id: string): string {
  return `gitfed-replica-${id}`;
}

export function memberLeaseName(member: string): string {
  return `gitfed-member-${member}`;
}

export class Shard {
  /** Members this replica holds and works on. */
  readonly working = new Set<string>();
  /** Members whose work is stopping before their Lease is given back (or after a lapse). */
  readonly releasing = new Set<string>();
  private readonly observer = new LeaseObserver();
  private own?: Lease;
  private renewedAt = -Infinity;
  private timer?: NodeJS.Timeout;
  private loop?: Promise<void>;
  private stopped = false;
  private lastPlan?: ShardPlan;
  /** When the Leases were last looked at (Date.now()); for /healthz. */
  lastLookAt?: number;
  /** The observer Lease (observer-plan.ts) as that look listed it; undefined when there is none. */
  observerLease?: Lease;

  constructor(
    private readonly mgmt: Management,
    readonly me: string,
    private readonly timings: LeaseTimings,
    private readonly hooks: ShardHooks,
  ) {}

  /** The own Lease was renewed (the request sent) within the renew deadline. */
  fresh(now = Date.now()): boolean {
    return now - this.renewedAt < this.timings.renewDeadlineSeconds * 1000;
  }

  /** May this replica touch the member now? */
  holds(member: string): boolean {
    return this.working.has(member) && this.fresh();
  }

  plan(): ShardPlan | undefined {
    return this.lastPlan;
  }

  async start(): Promise<void> {
    await this.renew();
    // One retry period before the first look: replicas rolled out together then see each other's
    // Leases, instead of the first one taking every member only to hand most of them back.
    this.schedule(this.timings.retrySeconds * 1000);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const t = Date.now();
      this.loop = this.tick()
        .catch((err: unknown) => this.hooks.log({ level: 'error', msg: `shard: ${(err as Error).message}` }))
        .finally(() => this.schedule(Math.max(0, t + this.timings.retrySeconds * 1000 - Date.now())));
    }, delayMs);
  }

  /** Renews (or first creates) this replica's Lease; true on success. */
  private async renew(): Promise<boolean> {
    const sent = Date.now();
    const name = replicaLeaseName(this.me);
    try {
      this.own ??= await this.mgmt.getLease(name);
      const d = tryAcquire(this.own, { me: this.me, now: sent, leaseSeconds: this.timings.leaseSeconds, holderAlive: false });
      if (d.kind === 'held-by-other') return false;
      this.own =
        d.kind === 'create'
          ? await this.mgmt.createLease({ metadata: { name, labels: { [LEASE_LABEL]: 'replica', [REPLICA_LABEL]: this.me } }, spec: d.spec })
          : await this.mgmt.replaceLease({ ...this.own!, spec: d.spec });
      this.renewedAt = sent;
      return true;
    } catch (err) {
      // Read it again next time; a conflict means something else wrote it.
      this.own = undefined;
      this.hooks.log({ level: 'warn', msg: `cannot renew the replica Lease ${name}: ${(err as Error).message}`, action: 'renew' });
      return false;
    }
  }

  private async tick(): Promise<void> {
    await this.renew();
    if (!this.fresh()) {
      this.fence();
      return;
    }
    const leases = await this.mgmt.listLeases(`${LEASE_LABEL} in (replica,member,observer)`);
    const now = Date.now();
    const replicaLeases: Lease[] = [];
    const memberLeases = new Map<string, Lease>();
    this.observerLease = undefined;
    for (const l of leases) {
      this.observer.observe(l, now);
      const role = l.metadata.labels?.[LEASE_LABEL];
      const member = l.metadata.annotations?.[MEMBER_ANNOTATION];
      if (role === 'replica') replicaLeases.push(l);
      else if (role === 'member' && member) memberLeases.set(member, l);
      else if (role === 'observer') this.observerLease = l;
    }
    this.observer.retain(new Set(leases.map((l) => l.metadata.name)));
    // A Lease this replica holds but another replica now holds (it was taken while this one lapsed): stop at once.
    for (const m of this.working) {
      const l = memberLeases.get(m);
      if (l && holderOf(l) !== this.me) this.lose(m, `taken by ${holderOf(l) || 'nobody'}`);
    }
    const plan = planShard({
      me: this.me,
      fresh: this.fresh(now),
      now,
      leaseSeconds: this.timings.leaseSeconds,
      members: this.hooks.members(),
      replicaLeases,
      memberLeases,
      observer: this.observer,
      working: this.working,
      releasing: this.releasing,
    });
    this.lastPlan = plan;
    this.lastLookAt = now;
    await Promise.all(plan.steps.map((s) => this.carryOut(s)));
    this.hooks.onPlan?.(plan);
  }

  private async carryOut(step: ShardStep): Promise<void> {
    if (step.kind === 'forget') {
      await this.mgmt.deleteLease(step.lease);
      this.hooks.log({ msg: `forgot the Lease of replica ${holderOf(step.lease)}, gone for long`, action: 'forget' });
      return;
    }
    if (step.kind === 'release') {
      void this.release(step.member, step.lease, step.reason);
      return;
    }
    try {
      if (step.lease) await this.mgmt.replaceLease({ ...step.lease, spec: step.spec });
      else {
        await this.mgmt.createLease({
          metadata: { name: memberLeaseName(step.member), labels: { [LEASE_LABEL]: 'member' }, annotations: { [MEMBER_ANNOTATION]: step.member } },
          spec: step.spec,
        });
      }
    } catch (err) {
      if (isConflict(err)) return; // another replica was first; the next look says who
      throw err;
    }
    // The write took time; only a replica still fresh may start.
    if (!this.fresh() || this.stopped) return;
    this.working.add(step.member);
    this.hooks.log({ msg: step.from ? `took over from ${step.from}` : step.takeover ? 'acquired' : 'holding', member: step.member, action: 'acquire', from: step.from });
    this.hooks.start(step.member);
  }

  /** Stops the member's work, then writes its Lease without a holder so the next owner takes it at once. */
  private async release(member: string, lease: Lease | undefined, reason: string): Promise<void> {
    this.releasing.add(member);
    this.working.delete(member);
    try {
      await this.hooks.stop(member, false);
      if (lease && holderOf(lease) === this.me) {
        await this.mgmt.replaceLease({ ...lease, spec: released(lease.spec, Date.now()) }).catch((err: unknown) => {
          if (!isConflict(err)) throw err;
        });
      }
      this.hooks.log({ msg: `handed back: ${reason}`, member, action: 'release' });
    } catch (err) {
      this.hooks.log({ level: 'warn', msg: `handing back failed: ${(err as Error).message}`, member, action: 'release' });
    } finally {
      this.releasing.delete(member);
    }
  }

  /** The Lease went to another replica: stop now, cutting requests in flight. */
  private lose(member: string, why: string): void {
    this.working.delete(member);
    this.releasing.add(member);
    this.hooks.log({ level: 'warn', msg: `lost the member Lease (${why}); stopping`, member, action: 'lose' });
    void this.hooks.stop(member, true).finally(() => this.releasing.delete(member));
  }

  /** Renewal failed past the deadline: others may soon take over; stop all member work at once. */
  private fence(): void {
    if (this.working.size === 0) return;
    this.hooks.log({ level: 'warn', msg: `replica Lease not renewed for ${this.timings.renewDeadlineSeconds}s: stopping work on ${this.working.size} member(s)`, action: 'fence' });
    for (const m of [...this.working]) this.lose(m, 'own Lease lapsed');
  }

  /** Finishes in-flight work, gives every member Lease and the replica Lease back, so others take over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.loop;
    const leases = await this.mgmt.listLeases(`${LEASE_LABEL}=member`).catch(() => [] as Lease[]);
    const byMember = new Map(leases.map((l) => [l.metadata.annotations?.[MEMBER_ANNOTATION] ?? '', l]));
    await Promise.all([...this.working].map((m) => this.release(m, byMember.get(m), 'replica stopping')));
    if (this.own) await this.mgmt.replaceLease({ ...this.own, spec: released(this.own.spec, Date.now()) }).catch(() => undefined);
  }
}
