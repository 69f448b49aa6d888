/**
 * @module controller/observer
 * The controller's `--observe`: carries out observer-plan.ts after every look at the Leases. The
 * replica that holds the observer Lease runs the daemon's observe loop (observe/loop.ts) over the
 * whole fleet, committing to the state branch and with `--render` rendering each new (source,
 * state) pair; the others wait. Every round is admitted only while this replica holds the Lease
 * and its own is fresh. Losing it stops the loop (a round in flight finishes; the state ref's
 * compare-and-swap fences its commit); stopping the replica gives the Lease back, so another one
 * takes over at its next look rather than a lease duration later.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { ObserveLoop, type ObserveLoopOptions, type Round } from '../observe/loop.js';
import { released, type Lease } from './lease.js';
import { isConflict, type Management } from './management.js';
import type { ControllerMetrics } from './metrics.js';
import type { EventLine, EventRecorder, EventTarget } from './events.js';
import { stateEventsOf } from './events.js';
import type { RemoteFleet } from './fleet-remote.js';
import type { Logger } from './log.js';
import { OBSERVER_LEASE, OBSERVER_ROLE, planObserver } from './observer-plan.js';
import { LEASE_LABEL, type ShardPlan } from './shard-plan.js';

/** The observe loop's settings, as the flags give them; the controller adds the rest. */
export type ObserveSettings = Omit<ObserveLoopOptions, 'log' | 'onRendered' | 'onRound' | 'admit' | 'kubeconfig' | 'kubeConfig'>;

export interface ObserverOptions {
  readonly mgmt: Management;
  readonly me: string;
  readonly leaseSeconds: number;
  readonly settings: ObserveSettings;
  /** The members' kubeconfig, as the apply daemon reaches them. */
  readonly kubeconfig: () => string | KubeConfig | undefined;
  /** This replica's own Lease is fresh. */
  readonly fresh: () => boolean;
  readonly log: Logger;
  readonly metrics: ControllerMetrics;
  readonly events?: EventRecorder;
  /** The MemberStatus uid of a member, for its Events, when this replica knows it. */
  readonly statusUid?: (member: string) => string | undefined;
  /** A render moved an output branch: the daemon reads the branch now. */
  readonly onRendered?: () => void;
  /** The fleet repository is at a URL: rounds pull from it and push to it (fleet-remote.ts). */
  readonly remote?: RemoteFleet;
}

const LEASE_TARGET: EventTarget = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: OBSERVER_LEASE };

export class Observer {
  private loop?: ObserveLoop;
  /** The loop being stopped; no new one starts before it has. */
  private stopping?: Promise<void>;
  private stopped = false;
  private lastError?: string;
  private ticking = false;
  /** The members' kubeconfig changed: the loop starts again with it at the next look. */
  private reconnect = false;

  constructor(private readonly opts: ObserverOptions) {}

  /** True while this replica observes: it holds the observer Lease and its own is fresh. */
  observing(): boolean {
    return this.loop !== undefined && !this.stopped && this.opts.fresh();
  }

  /** The members' kubeconfig changed (ClusterProfiles, Secrets): the loop's connections are made again. */
  kubeconfigChanged(): void {
    this.reconnect = true;
  }

  /** A watch event on a member this replica works on: a round soon, if this replica observes. */
  poke(): void {
    this.loop?.poke();
  }

  /** After each look at the Leases (shard.ts), with the observer Lease of that list. */
  async tick(plan: ShardPlan, lease: Lease | undefined, fresh: boolean, now: number): Promise<void> {
    // One at a time: a slow write is not planned over again from an older list.
    if (this.stopped || this.ticking) return;
    this.ticking = true;
    try {
      await this.carryOut(plan, lease, fresh, now);
    } finally {
      this.ticking = false;
    }
  }

  private async carryOut(plan: ShardPlan, lease: Lease | undefined, fresh: boolean, now: number): Promise<void> {
    const step = planObserver({ me: this.opts.me, fresh, now, leaseSeconds: this.opts.leaseSeconds, lease, replicas: plan.replicas, observing: this.loop !== undefined });
    if (step.kind === 'stop') {
      this.opts.log({ level: 'warn', msg: `stopped observing: ${step.reason}`, action: 'observe-stop' });
      await this.halt();
      return;
    }
    if (step.kind === 'keep' && this.reconnect) {
      this.reconnect = false;
      await this.halt();
      if (!this.stopped && this.opts.fresh()) this.start();
      return;
    }
    if (step.kind !== 'acquire' || this.stopping) return;
    try {
      if (step.lease) await this.opts.mgmt.replaceLease({ ...step.lease, spec: step.spec });
      else await this.opts.mgmt.createLease({ metadata: { name: OBSERVER_LEASE, labels: { [LEASE_LABEL]: OBSERVER_ROLE } }, spec: step.spec });
    } catch (err) {
      if (isConflict(err)) return; // another replica was first; the next look says who
      throw err;
    }
    if (!this.opts.fresh() || this.stopped) return;
    const why = step.from ? `took over observing from ${step.from}` : 'observing the members';
    this.opts.log({ msg: why, action: 'observe-start', ...(step.from ? { from: step.from } : {}) });
    this.event({ type: 'Normal', reason: 'Observing', message: `replica ${this.opts.me} ${why}` });
    this.opts.metrics.observerAcquired();
    this.start();
  }

  private start(): void {
    this.reconnect = false;
    const kubeconfig = this.opts.kubeconfig();
    this.opts.metrics.observer(true);
    this.loop = new ObserveLoop({
      ...this.opts.settings,
      ...(typeof kubeconfig === 'string' ? { kubeconfig } : kubeconfig ? { kubeConfig: kubeconfig } : {}),
      admit: () => this.observing(),
      ...(this.opts.remote ? { remote: this.opts.remote } : {}),
      log: (line) => this.opts.log({ msg: line, action: line.startsWith('render:') ? 'state-render' : 'observe' }),
      ...(this.opts.onRendered ? { onRendered: this.opts.onRendered } : {}),
      onRound: (r) => this.rounded(r),
    });
    this.loop.start();
  }

  private rounded(r: Round): void {
    const o = r.observed;
    this.opts.metrics.observeRound({
      committed: r.committed,
      rendered: (r.rendered?.commit.branches ?? []).some((b) => b.committed),
      ...(r.error !== undefined ? { error: r.error } : {}),
      seconds: r.seconds,
      ...(o ? { held: o.held.length } : {}),
      members: o?.members ?? [],
    });
    if (r.committed && o?.head) {
      for (const { member, line } of stateEventsOf(o.head, o.changes, o.members.map((m) => m.cluster))) this.event(line, member);
    }
    if (r.error !== undefined && r.error !== this.lastError) this.event({ type: 'Warning', reason: 'ObserveFailed', message: r.error });
    this.lastError = r.error;
  }

  private event(line: EventLine, member?: string): void {
    const events = this.opts.events;
    if (!events) return;
    const uid = member ? this.opts.statusUid?.(member) : undefined;
    const done = member ? events.record(member, uid, line) : events.recordOn(LEASE_TARGET, line);
    done.catch((err: unknown) => this.opts.log({ level: 'warn', msg: `cannot record an event: ${(err as Error).message}`, action: 'event', ...(member ? { member } : {}) }));
  }

  /** Stops the loop (the round in flight finishes). */
  private halt(): Promise<void> {
    const loop = this.loop;
    if (!loop) return this.stopping ?? Promise.resolve();
    this.loop = undefined;
    this.opts.metrics.observer(false);
    this.stopping = loop.stop().finally(() => (this.stopping = undefined));
    return this.stopping;
  }

  /** Stops observing and gives the Lease back, so another replica takes over at its next look. */
  async stop(): Promise<void> {
    const was = this.loop !== undefined;
    this.stopped = true;
    await this.halt();
    if (!was) return;
    const lease = await this.opts.mgmt.getLease(OBSERVER_LEASE).catch(() => undefined);
    if (lease?.spec?.holderIdentity !== this.opts.me) return;
    await this.opts.mgmt.replaceLease({ ...lease, spec: released(lease.spec, Date.now()) }).catch((err: unknown) => {
      if (!isConflict(err)) this.opts.log({ level: 'warn', msg: `cannot give the observer Lease back: ${(err as Error).message}`, action: 'observe-stop' });
    });
    this.opts.log({ msg: 'stopped observing: replica stopping; observer Lease handed back', action: 'observe-stop' });
  }
}
