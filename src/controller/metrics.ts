/**
 * @module controller/metrics
 * What a replica exports to Prometheus, through prom-client, on its own registry. Labels are the
 * member and the object's kind, never an object's name (cardinality stays members x kinds), and a
 * replica exports only the members it holds: summed over replicas, every series counts once.
 * Unix timestamps, not ages; base units; counters end in `_total` (Prometheus' naming rules).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MemberReport, MemberState, ObjectStatus } from '../apply/status/report.js';
import { kindOf } from './status-filter.js';

/** What a round of the observe loop did, as the metrics count it. */
export interface ObserveRoundFacts {
  readonly committed: boolean;
  /** An output branch moved. */
  readonly rendered: boolean;
  readonly error?: string;
  readonly seconds: number;
  /** Changes waiting for the dwell time; undefined when the round read nothing. */
  readonly held?: number;
  readonly members: readonly { readonly cluster: string; readonly ready: boolean; readonly requests: number }[];
}

const STATES: readonly MemberState[] = ['Synced', 'Progressing', 'Drifted', 'Failed', 'Unreachable', 'Fighting'];

/** Drift seen on an object: reported (the report policy), or corrected (the apply says so). */
function drifted(o: ObjectStatus): boolean {
  return (o.drift?.length ?? 0) > 0 || (o.message?.startsWith('drift corrected') ?? false);
}

export class ControllerMetrics {
  readonly registry = new Registry();
  private readonly reconciles = new Counter({ name: 'gitfed_reconciles_total', help: 'Member reconciles, by member and the state they left it in.', labelNames: ['member', 'state'], registers: [this.registry] });
  private readonly duration = new Histogram({
    name: 'gitfed_reconcile_duration_seconds',
    help: 'How long a member reconcile took.',
    labelNames: ['member'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64],
    registers: [this.registry],
  });
  private readonly applies = new Counter({ name: 'gitfed_applies_total', help: 'Objects created or changed by a server-side apply.', labelNames: ['member', 'kind', 'action'], registers: [this.registry] });
  private readonly prunes = new Counter({ name: 'gitfed_prunes_total', help: 'Objects deleted because they left the branch.', labelNames: ['member', 'kind'], registers: [this.registry] });
  private readonly drift = new Counter({ name: 'gitfed_drift_total', help: 'Objects found changed on the member since gitfed applied them (corrected or reported).', labelNames: ['member', 'kind'], registers: [this.registry] });
  private readonly failures = new Counter({ name: 'gitfed_failures_total', help: 'Objects a reconcile could not apply or prune.', labelNames: ['member', 'kind'], registers: [this.registry] });
  private readonly lastSync = new Gauge({ name: 'gitfed_member_last_sync_timestamp_seconds', help: 'When the member was last left Synced (Unix time).', labelNames: ['member'], registers: [this.registry] });
  private readonly revision = new Gauge({ name: 'gitfed_member_revision_info', help: 'The branch commit the member runs (value 1).', labelNames: ['member', 'revision'], registers: [this.registry] });
  private readonly state = new Gauge({ name: 'gitfed_member_state', help: 'The member\'s state: 1 for the current one, 0 for the others.', labelNames: ['member', 'state'], registers: [this.registry] });
  private readonly owned = new Gauge({ name: 'gitfed_member_owned', help: 'Whether this replica holds the member\'s Lease (1) or not (0).', labelNames: ['member'], registers: [this.registry] });
  private readonly held = new Gauge({ name: 'gitfed_replica_members', help: 'Members this replica holds.', registers: [this.registry] });
  private readonly replicas = new Gauge({ name: 'gitfed_replicas', help: 'Replicas this one counts alive, itself included.', registers: [this.registry] });
  private readonly takeovers = new Counter({ name: 'gitfed_lease_acquisitions_total', help: 'Member Leases this replica took (created, taken over or confirmed).', registers: [this.registry] });
  private readonly observing = new Gauge({ name: 'gitfed_observing', help: 'Whether this replica is the one observing the members for the state branch (1) or not (0).', registers: [this.registry] });
  private readonly observerTakes = new Counter({ name: 'gitfed_observer_acquisitions_total', help: 'Times this replica took the observer Lease.', registers: [this.registry] });
  private readonly rounds = new Counter({ name: 'gitfed_observe_rounds_total', help: 'Observe rounds, by result: committed (a state commit), unchanged, failed.', labelNames: ['result'], registers: [this.registry] });
  private readonly roundSeconds = new Histogram({
    name: 'gitfed_observe_round_duration_seconds',
    help: 'How long an observe round took (every member read, the state committed, the render).',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32],
    registers: [this.registry],
  });
  private readonly stateCommits = new Counter({ name: 'gitfed_state_commits_total', help: 'Commits this replica made to the state branch.', registers: [this.registry] });
  private readonly stateRenders = new Counter({ name: 'gitfed_state_renders_total', help: 'Renders of a new (source, state) pair by this replica that moved an output branch.', registers: [this.registry] });
  private readonly heldChanges = new Gauge({ name: 'gitfed_observe_held_changes', help: 'Changes for the better seen but waiting for the dwell time.', registers: [this.registry] });
  private readonly observeRequests = new Counter({ name: 'gitfed_observe_requests_total', help: 'API requests observing sent to each member.', labelNames: ['member'], registers: [this.registry] });
  private readonly observedReady = new Gauge({ name: 'gitfed_observed_member_ready', help: 'The member\'s readiness as last observed (1 ready, 0 not), on the observing replica.', labelNames: ['member'], registers: [this.registry] });
  private readonly revisions = new Map<string, string>();
  private managementCount?: () => number;

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** After every reconcile of a member this replica holds. */
  reconciled(member: string, report: MemberReport, seconds: number): void {
    this.reconciles.inc({ member, state: report.state });
    this.duration.observe({ member }, seconds);
    for (const o of report.objects) {
      const kind = kindOf(o);
      if (o.action === 'created' || o.action === 'configured') this.applies.inc({ member, kind, action: o.action });
      if (o.action === 'pruned') this.prunes.inc({ member, kind });
      if (o.action === 'failed') this.failures.inc({ member, kind });
      if (drifted(o)) this.drift.inc({ member, kind });
    }
    if (report.lastSynced) this.lastSync.set({ member }, Date.parse(report.lastSynced) / 1000);
    this.setRevision(member, report.branchCommit);
    for (const s of STATES) this.state.set({ member, state: s }, s === report.state ? 1 : 0);
  }

  private setRevision(member: string, revision: string | undefined): void {
    const old = this.revisions.get(member);
    if (old === revision) return;
    if (old !== undefined) this.revision.remove({ member, revision: old });
    if (revision) {
      this.revision.set({ member, revision }, 1);
      this.revisions.set(member, revision);
    } else this.revisions.delete(member);
  }

  /** After every look at the Leases: which members this replica holds, of all in the branch. */
  shard(members: readonly string[], holds: (member: string) => boolean, replicas: number): void {
    let n = 0;
    for (const m of members) {
      const mine = holds(m);
      this.owned.set({ member: m }, mine ? 1 : 0);
      if (mine) n++;
      // A member another replica now holds is exported there; its gauges leave this replica.
      else this.forget(m);
    }
    this.held.set(n);
    this.replicas.set(replicas);
  }

  /** Where the requests sent to the management cluster are counted (Leases, status, Events). */
  managementRequests(count: () => number): void {
    this.managementCount = count;
    const read = () => this.managementCount?.() ?? 0;
    new Gauge({
      name: 'gitfed_management_requests',
      help: 'Requests this replica sent to the management cluster since it started.',
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  acquired(): void {
    this.takeovers.inc();
  }

  /** This replica took the observer Lease. */
  observerAcquired(): void {
    this.observerTakes.inc();
  }

  /** This replica starts or stops observing. */
  observer(on: boolean): void {
    this.observing.set(on ? 1 : 0);
    // The members' readiness is exported by the observing replica alone.
    if (!on) this.observedReady.reset();
  }

  /** After every observe round of this replica. */
  observeRound(r: ObserveRoundFacts): void {
    this.rounds.inc({ result: r.error !== undefined ? 'failed' : r.committed ? 'committed' : 'unchanged' });
    this.roundSeconds.observe(r.seconds);
    if (r.committed) this.stateCommits.inc();
    if (r.rendered) this.stateRenders.inc();
    if (r.held !== undefined) this.heldChanges.set(r.held);
    for (const m of r.members) {
      this.observeRequests.inc({ member: m.cluster }, m.requests);
      this.observedReady.set({ member: m.cluster }, m.ready ? 1 : 0);
    }
  }

  private forget(member: string): void {
    this.setRevision(member, undefined);
    this.lastSync.remove({ member });
    for (const s of STATES) this.state.remove({ member, state: s });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
