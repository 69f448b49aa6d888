/**
 * @module controller
 * `gitfed daemon` as one replica of a controller in a management cluster: the apply daemon
 * (src/apply/daemon.ts) does the work on members; this module decides which members it may
 * touch (shard.ts, by Leases), and tells the world what happens (logs, and in later modules the
 * status objects, metrics and the HTTP API). The seam into apply is the daemon's `admit`,
 * `resume`, `suspend` and its per-reconcile callback.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { ApplyConfig } from '../apply/config.js';
import { Daemon, type DaemonOptions, type Trigger } from '../apply/daemon.js';
import type { MemberReport } from '../apply/status/report.js';
import { DEFAULT_TIMINGS, type LeaseTimings } from './lease.js';
import { daemonLine, type Logger } from './log.js';
import { Management } from './management.js';
import { defaultReplicaId, Shard } from './shard.js';
import { StatusStore } from './status-store.js';
import { fleetReport, type FleetReport } from './fleet-report.js';
import type { Check, Served } from './http.js';
import { ControllerMetrics } from './metrics.js';
import { PAGE_ASSETS } from './page.js';
import { FightDetector, fightingReport } from './fight.js';
import { EventRecorder, eventsOf } from './events.js';
import type { ShardPlan } from './shard-plan.js';
import { Observer, type ObserveSettings } from './observer.js';
import { RemoteFleet } from './fleet-remote.js';
import { isRemote } from '../git/mirror.js';

/** Where the branch is and how members are reached, as for the apply daemon. */
export interface ControllerOptions extends Pick<DaemonOptions, 'repo' | 'branch' | 'kubeconfig' | 'clusters' | 'selector' | 'config' | 'gitCredentials'> {
  /** The management cluster: a kubeconfig file, or undefined for the pod's service account. */
  readonly managementKubeconfig?: string | KubeConfig;
  /** Or a connection to it already made (the CLI reads Secrets through it first). */
  readonly management?: Management;
  /** Where the Leases (and status objects) live. @default the service account's namespace in a pod, else gitfed-system */
  readonly namespace?: string;
  /** @default hostname plus a random suffix */
  readonly replica?: string;
  readonly timings?: LeaseTimings;
  readonly log: Logger;
  /**
   * Why a member the branch has cannot be reached through the cluster inventory (no healthy
   * ClusterProfile, no credentials); its failed reconciles are then reported Unreachable with this message.
   */
  readonly inventoryProblem?: (member: string) => string | undefined;
  /**
   * `--observe`: one replica at a time, chosen by the observer Lease, observes every member and
   * commits to the state branch (and renders with `render`); see observer-plan.ts.
   */
  readonly observe?: ObserveSettings;
}

/** What the controller tells listeners after each reconcile of a member it holds. */
export interface Reconciled {
  readonly member: string;
  readonly why: Trigger;
  readonly report: MemberReport;
  readonly seconds: number;
}

export class Controller {
  readonly replica: string;
  readonly timings: LeaseTimings;
  private mgmt?: Management;
  private daemon?: Daemon;
  private shard?: Shard;
  private statusStore?: StatusStore;
  private readonly reconciledListeners: ((r: Reconciled) => void)[] = [];
  private readonly planListeners: ((p: ShardPlan) => void)[] = [];
  readonly metrics = new ControllerMetrics();
  private readonly fights = new FightDetector();
  private events?: EventRecorder;
  /** The last report written per member, for events on a change of state. */
  private readonly lastReports = new Map<string, MemberReport>();
  /** Members held now that have had a reconcile since they were taken: /readyz waits for all. */
  private readonly tried = new Set<string>();
  private startedAt = Date.now();
  private cached?: { at: number; report: Promise<FleetReport> };
  private heartbeat?: NodeJS.Timeout;
  private observer?: Observer;
  private kubeconfig: ControllerOptions['kubeconfig'];

  constructor(private readonly opts: ControllerOptions) {
    this.replica = opts.replica ?? defaultReplicaId();
    this.timings = opts.timings ?? DEFAULT_TIMINGS;
    this.kubeconfig = opts.kubeconfig;
  }

  /** The members' kubeconfig changed (ClusterProfiles): applied at once, observed from the next look at the Leases. */
  updateKubeconfig(kc: KubeConfig): void {
    this.kubeconfig = kc;
    this.apply.updateKubeconfig(kc);
    this.observer?.kubeconfigChanged();
  }

  /** True while this replica is the one observing (`--observe`). */
  observing(): boolean {
    return this.observer?.observing() ?? false;
  }

  onReconciled(fn: (r: Reconciled) => void): void {
    this.reconciledListeners.push(fn);
  }

  onPlan(fn: (p: ShardPlan) => void): void {
    this.planListeners.push(fn);
  }

  /** A changed apply config, for the daemon (config-watch.ts). */
  updateConfig(config: ApplyConfig): void {
    this.daemon?.updateConfig(config);
  }

  /** True while this replica holds the member's Lease and its own is fresh. */
  holds(member: string): boolean {
    return this.shard?.holds(member) ?? false;
  }

  get management(): Management {
    if (!this.mgmt) throw new Error('the controller has not started');
    return this.mgmt;
  }

  get status(): StatusStore {
    if (!this.statusStore) throw new Error('the controller has not started');
    return this.statusStore;
  }

  get apply(): Daemon {
    if (!this.daemon) throw new Error('the controller has not started');
    return this.daemon;
  }

  plan(): ShardPlan | undefined {
    return this.shard?.plan();
  }

  async start(): Promise<void> {
    const { log } = this.opts;
    this.mgmt ??= this.opts.management ?? await Management.connect(this.opts.managementKubeconfig, this.opts.namespace, Math.max(1000, (this.timings.renewDeadlineSeconds * 1000) / 3));
    this.statusStore = new StatusStore(this.mgmt);
    const mgmt = this.mgmt;
    this.metrics.managementRequests(() => mgmt.requests());
    this.events = new EventRecorder(this.mgmt, this.replica);
    this.onReconciled(({ member, report: raw, seconds }) => {
      const held = this.holds(member);
      const now = Date.now();
      const fight = held ? this.fights.observe(member, raw, now) : undefined;
      const missing = raw.state === 'Failed' || raw.state === 'Unreachable' ? this.opts.inventoryProblem?.(member) : undefined;
      const report = missing ? { ...raw, state: 'Unreachable' as const, message: missing } : fight ? fightingReport(raw, fight, now) : raw;
      // What the reconcile did is counted even when the member is being handed back as it ends.
      this.metrics.reconciled(member, report, seconds);
      // Only the holder speaks for the member.
      if (!held) return;
      this.tried.add(member);
      if (fight && raw.state !== report.state) log({ level: 'warn', msg: report.message ?? 'fighting', member, object: fight.object, action: 'fight', managers: fight.managers, fields: fight.fields });
      this.writeStatus(member, report);
      this.recordEvents(member, report);
    });
    const members = () => new Set(this.daemon?.memberNames() ?? []);
    this.daemon = new Daemon({
      repo: this.opts.repo,
      branch: this.opts.branch,
      kubeconfig: this.opts.kubeconfig,
      clusters: this.opts.clusters,
      ...(this.opts.selector ? { selector: this.opts.selector } : {}),
      config: this.opts.config,
      ...(this.opts.gitCredentials ? { gitCredentials: this.opts.gitCredentials } : {}),
      stateFile: null,
      log: (line) => log(daemonLine(line, members())),
      // A fight pauses drift corrections only; a new head and the re-check still run.
      admit: (member, why) => this.holds(member) && !(why === 'drift' && this.fights.pausing(member, Date.now())),
      onReconcile: (member, why) => this.reconcileStarted(member, why),
      ...(this.opts.observe ? { onMemberEvent: () => this.observer?.poke() } : {}),
    });
    if (this.opts.observe) {
      const shard = () => this.shard;
      const store = this.statusStore;
      const o = this.opts.observe;
      const remote = isRemote(o.fleet)
        ? new RemoteFleet({ url: o.fleet, sourceBranch: o.ref ?? 'HEAD', stateBranch: o.branch ?? 'fleet-state', outputBranches: this.opts.branch ? [this.opts.branch] : [], ...(this.opts.gitCredentials ? { credentials: this.opts.gitCredentials } : {}) })
        : undefined;
      this.observer = new Observer({
        mgmt: this.mgmt,
        me: this.replica,
        leaseSeconds: this.timings.leaseSeconds,
        settings: this.opts.observe,
        kubeconfig: () => this.kubeconfig,
        fresh: () => shard()?.fresh() ?? false,
        log,
        metrics: this.metrics,
        events: this.events,
        statusUid: (member) => store.uidOf(member),
        // A remote branch is fetched now, rather than at the next poll.
        onRendered: () => void (isRemote(this.opts.repo) ? this.daemon?.refreshSource() : this.daemon?.checkHead()),
        ...(remote ? { remote } : {}),
      });
    }
    this.shard = new Shard(this.mgmt, this.replica, this.timings, {
      members: () => this.daemon?.memberNames() ?? [],
      start: (member) => {
        this.metrics.acquired();
        this.daemon?.resume(member);
      },
      stop: (member, abort) => {
        this.tried.delete(member);
        this.fights.forget(member);
        this.lastReports.delete(member);
        return this.daemon?.suspend(member, { abort }) ?? Promise.resolve();
      },
      log,
      onPlan: (p) => {
        this.metrics.shard(this.daemon?.memberNames() ?? [], (m) => this.holds(m), p.replicas.length);
        if (this.observer && this.shard) {
          this.observer.tick(p, this.shard.observerLease, this.shard.fresh(), Date.now()).catch((err: unknown) => log({ level: 'error', msg: `observer: ${(err as Error).message}`, action: 'observe' }));
        }
        for (const fn of this.planListeners) fn(p);
      },
    });
    this.startedAt = Date.now();
    log({ msg: `replica ${this.replica} starting in namespace ${this.mgmt.namespace} (lease ${this.timings.leaseSeconds}s, renew deadline ${this.timings.renewDeadlineSeconds}s, retry ${this.timings.retrySeconds}s)`, action: 'start' });
    await this.daemon.start();
    await this.shard.start();
    // A member nobody reconciles for a while (a long resync period) still gets its status written
    // within the store's heartbeat, so readers never take a live holder's silence for staleness.
    this.heartbeat = setInterval(() => {
      for (const [member, report] of this.lastReports) if (this.holds(member)) this.writeStatus(member, report);
    }, 60_000);
    this.heartbeat.unref();
  }

  private reconcileStarted(member: string, why: Trigger): (report: MemberReport) => void {
    const started = Date.now();
    this.opts.log({ msg: `reconcile (${why})`, member, action: 'reconcile-start', why });
    return (report) => {
      const seconds = (Date.now() - started) / 1000;
      for (const o of report.objects) {
        if (o.action === 'unchanged' || o.action === 'skipped') continue;
        this.opts.log({ msg: o.message ?? o.action, member, object: o.object, action: o.action, level: o.action === 'failed' ? 'warn' : 'info' });
      }
      const c = report.counts;
      this.opts.log({ msg: `${report.state} at ${report.branchCommit?.slice(0, 7) ?? '-'} (+${c.created} ~${c.configured} -${c.pruned} !${c.failed}) in ${seconds.toFixed(3)}s`, member, action: 'reconcile-end', state: report.state, revision: report.branchCommit, why });
      for (const fn of this.reconciledListeners) fn({ member, why, report, seconds });
    };
  }

  /** Alive: the Leases were looked at within a lease duration and client-go's 20 s tolerance. */
  health(now = Date.now()): Check {
    const limit = this.timings.leaseSeconds * 1000 + 20_000;
    const last = this.shard?.lastLookAt ?? this.startedAt;
    return now - last < limit ? { ok: true } : { ok: false, detail: `no look at the Leases for ${Math.round((now - last) / 1000)}s` };
  }

  /** Ready once the branch was read, the Leases looked at, and every member held has been tried. */
  ready(): Check {
    if (!this.daemon || this.daemon.memberNames().length === 0) return { ok: false, detail: 'the branch has not been read yet' };
    if (!this.shard?.lastLookAt) return { ok: false, detail: 'the Leases have not been looked at yet' };
    const waiting = [...this.shard.working].filter((m) => !this.tried.has(m));
    return waiting.length ? { ok: false, detail: `not yet tried: ${waiting.sort().join(', ')}` } : { ok: true };
  }

  /** The whole fleet, from every replica's status objects (read at most once a second). */
  fleet(): Promise<FleetReport> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > 1000) {
      const report = this.status.list().then((objects) => fleetReport(objects, { now }));
      report.catch(() => (this.cached = undefined));
      this.cached = { at: now, report };
    }
    return this.cached.report;
  }

  /** What the HTTP server serves for this replica. */
  served(): Served {
    return {
      report: () => this.fleet(),
      health: () => this.health(),
      ready: () => this.ready(),
      metrics: async () => ({ contentType: this.metrics.contentType, text: await this.metrics.text() }),
      assets: PAGE_ASSETS,
    };
  }

  /** The member's report into its MemberStatus object, while this replica holds the member. */
  private writeStatus(member: string, report: MemberReport): void {
    if (!this.holds(member) || !this.statusStore || !this.daemon) return;
    const all = this.daemon.report();
    this.statusStore
      .write(member, report, { replica: this.replica, headCommit: all.branchCommit, source: all.source, holds: () => this.holds(member) })
      .catch((err: unknown) => this.opts.log({ level: 'warn', msg: `cannot write the status object: ${(err as Error).message}`, member, action: 'status' }));
  }

  /** Events on the member's status object, once it is written (the Event names its uid). */
  private recordEvents(member: string, report: MemberReport): void {
    const lines = eventsOf(report, this.lastReports.get(member));
    this.lastReports.set(member, report);
    if (lines.length === 0 || !this.statusStore || !this.events) return;
    const store = this.statusStore;
    const events = this.events;
    void store.settled(member).then(async () => {
      for (const line of lines) {
        await events.record(member, store.uidOf(member), line).catch((err: unknown) => this.opts.log({ level: 'warn', msg: `cannot record an event: ${(err as Error).message}`, member, action: 'event' }));
      }
    });
  }

  /** Finishes in-flight work and hands every member back, so the other replicas take over at once. */
  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.observer?.stop();
    await this.shard?.stop();
    await this.daemon?.stop();
    this.mgmt?.close();
  }
}
