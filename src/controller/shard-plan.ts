/**
 * @module controller/shard-plan
 * One replica's decisions for one look at the Leases, as data: which member Leases to take,
 * which to give back, which dead replicas' Leases to clear away. Pure; shard.ts carries them out.
 *
 * Two kinds of Lease live in the controller's namespace:
 * - one per replica, renewed every retry period: the replica is alive while it changes;
 * - one per member, naming the replica that works on it. It is written only when it changes
 *   hands, not renewed: it counts as held while its holder's replica Lease is alive. An idle
 *   fleet of any size so costs one write per replica per retry period.
 * A member goes to the replica rendezvous hashing picks among the live replicas. A replica works
 * on a member only after it wrote the member's Lease itself (create, takeover, or a confirming
 * write after any lapse), each write conditional on the resourceVersion it read: of two replicas
 * racing for a member, one gets 409 Conflict.
 */
import { LeaseObserver, tryAcquire, type Lease, type LeaseSpec } from './lease.js';
import { assign } from './rendezvous.js';

export const LEASE_LABEL = 'gitfed.io/lease';
export const REPLICA_LABEL = 'gitfed.io/replica';

export interface ShardView {
  readonly me: string;
  /** This replica's own Lease was renewed within the renew deadline: it may act. */
  readonly fresh: boolean;
  readonly now: number;
  readonly leaseSeconds: number;
  /** The members of the branch head. */
  readonly members: readonly string[];
  readonly replicaLeases: readonly Lease[];
  /** By member name. */
  readonly memberLeases: ReadonlyMap<string, Lease>;
  readonly observer: LeaseObserver;
  /** Members this replica works on now: it holds their Lease and has written it since it last lapsed. */
  readonly working: ReadonlySet<string>;
  /** Members being handed back (their work is stopping); no step is planned for them. */
  readonly releasing: ReadonlySet<string>;
}

export type ShardStep =
  /** Write the member's Lease (create when `lease` is undefined), then work on it. */
  | { readonly kind: 'acquire'; readonly member: string; readonly lease?: Lease; readonly spec: LeaseSpec; readonly takeover: boolean; readonly from?: string }
  /** Stop working on the member, then write its Lease without a holder. */
  | { readonly kind: 'release'; readonly member: string; readonly lease?: Lease; readonly reason: string }
  /** Delete the Lease of a replica gone for long. */
  | { readonly kind: 'forget'; readonly lease: Lease };

export interface ShardPlan {
  /** Replicas counted alive, this one included when it is fresh; sorted. */
  readonly replicas: readonly string[];
  /** member -> replica that should hold it. */
  readonly assignment: ReadonlyMap<string, string>;
  readonly steps: readonly ShardStep[];
  /** Members that stay with a live holder other than this replica (for the report). */
  readonly holders: ReadonlyMap<string, string>;
}

/** A dead replica's Lease is deleted after this many lease durations without a change. */
export const FORGET_AFTER_LEASES = 10;

export function holderOf(lease: Lease | undefined): string {
  return lease?.spec?.holderIdentity ?? '';
}

export function planShard(v: ShardView): ShardPlan {
  const alive = new Set<string>();
  const forget: ShardStep[] = [];
  for (const l of v.replicaLeases) {
    const holder = holderOf(l);
    if (holder === v.me) continue;
    if (v.observer.held(l, v.now)) alive.add(holder);
    else if ((v.observer.quietFor(l.metadata.name, v.now) ?? 0) > FORGET_AFTER_LEASES * (l.spec?.leaseDurationSeconds ?? v.leaseSeconds) * 1000) forget.push({ kind: 'forget', lease: l });
  }
  if (v.fresh) alive.add(v.me);
  const replicas = [...alive].sort();
  const assignment = assign(v.members, replicas);
  const steps: ShardStep[] = [];
  const holders = new Map<string, string>();
  const inBranch = new Set(v.members);

  for (const member of v.members) {
    if (v.releasing.has(member)) continue;
    const lease = v.memberLeases.get(member);
    const holder = holderOf(lease);
    const wanted = assignment.get(member) === v.me;
    if (holder !== '' && holder !== v.me) holders.set(member, holder);
    if (!v.fresh) continue;
    if (wanted) {
      if (holder === v.me && v.working.has(member)) continue;
      const decision = tryAcquire(lease, { me: v.me, now: v.now, leaseSeconds: v.leaseSeconds, holderAlive: alive.has(holder) });
      if (decision.kind === 'held-by-other') continue;
      steps.push({
        kind: 'acquire',
        member,
        ...(lease ? { lease } : {}),
        spec: decision.spec,
        takeover: decision.kind === 'update' && decision.takeover,
        ...(holder !== '' && holder !== v.me ? { from: holder } : {}),
      });
    } else if (holder === v.me || v.working.has(member)) {
      steps.push({ kind: 'release', member, ...(lease ? { lease } : {}), reason: `now assigned to ${assignment.get(member) ?? 'no replica'}` });
    }
  }
  // A member gone from the branch: nobody works on it any more; its Lease is handed back.
  for (const [member, lease] of v.memberLeases) {
    if (inBranch.has(member) || v.releasing.has(member)) continue;
    if (holderOf(lease) === v.me || v.working.has(member)) steps.push({ kind: 'release', member, lease, reason: 'no longer in the branch' });
  }
  for (const member of v.working) {
    if (!inBranch.has(member) && !v.memberLeases.has(member) && !v.releasing.has(member)) steps.push({ kind: 'release', member, reason: 'no longer in the branch' });
  }
  return { replicas, assignment, steps: [...steps, ...(v.fresh ? forget : [])], holders };
}
