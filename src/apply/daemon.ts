/**
 * @module daemon
 * `gitfed daemon`: keeps every member matching the branch. One loop per member, never two
 * reconciles of a member at once; a trigger that arrives during a reconcile runs it once more
 * afterwards. Triggers: a new branch head that changed the member's directory, a watch event
 * on an object gitfed owns there (drift), the periodic re-check, and the backoff timer of a
 * member that could not be reached. stop() lets in-flight reconciles finish; a kill at any point
 * loses nothing, because the inventory on each member is widened before applying and narrowed
 * only after pruning.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { readSource, type BranchSnapshot, type ClusterFiles, type ClusterSelector } from '../git/branch-read.js';
import { DEFAULT_BRANCH } from '../git/layout.js';
import type { GitAuth } from '../git/mirror.js';
import type { ApplyConfig } from './config.js';
import { fleetOfBranch } from './fleet.js';
import { watchHead, type HeadWatcher } from './source/head-watcher.js';
import { loadKubeConfig } from './member/kube-client.js';
import { MemberUnreachableError } from './member/member-client.js';
import { Semaphore } from './member/limit.js';
import { parseClusterFiles, type ParseCache } from './source/manifests.js';
import { contextFor, MemberSession } from './member/member-session.js';
import { PART_OF_LABEL } from './member/ownership.js';
import { reconcileMember, type MemberTarget } from './reconcile.js';
import { buildReport, countActions, failedMember, type MemberReport, type PropagationReport } from './status/report.js';
import { readState, stateFileFor, writeState } from './status/state-store.js';
import { gateForHead, RolloutGate, type GateOptions, type MemberSeen } from '../rollout/gate.js';
import { dependenciesOf, formatDependency, refMatchesKey } from '../rollout/depends-on.js';

export interface DaemonOptions {
  readonly repo: string;
  /** @default DEFAULT_BRANCH (`rendered`) */
  readonly branch?: string;
  readonly kubeconfig?: string | KubeConfig;
  readonly clusters?: readonly string[];
  /** `-l`: the members whose labels in the branch metadata match, read again at every head. */
  readonly selector?: ClusterSelector;
  readonly config: ApplyConfig;
  /** null keeps the report in memory only. @default stateFileFor(repo): in the repository's git directory */
  readonly stateFile?: string | null;
  readonly log?: (line: string) => void;
  /** Waves and gates (src/rollout): a new head goes out wave by wave instead of to every member at once. Overrides the waves a branch carries. */
  readonly rollout?: GateOptions;
  /**
   * Roll out by the waves the branch carries (no `rollout` given), keeping the rollout in this file
   * (rolloutFileFor(repo) for `gitfed rollout` to find; null: in memory). Absent: the branch's
   * waves are not looked at (a controller of replicas, which cannot gate members it does not hold).
   */
  readonly rolloutFile?: string | null;
  /** HTTPS or ssh credentials for a remote `repo`, asked at each fetch (a token or key file may be rotated). */
  readonly gitCredentials?: () => GitAuth | Promise<GitAuth>;
  /**
   * Whether this process may touch the member now (a sharded controller: it holds the member's
   * Lease); default always. Asked when a reconcile is triggered and again as it starts; a member
   * left out gets no reconcile and no connection until resume().
   */
  readonly admit?: (member: string, why: Trigger) => boolean;
  /** A watch event on an object of this fleet on the member (the observe loop looks again soon). */
  readonly onMemberEvent?: (member: string) => void;
  /** Called as a member's reconcile starts (admitted), with why it runs; what it returns is called with the report at the end. */
  readonly onReconcile?: (member: string, why: Trigger) => ((report: MemberReport) => void) | void;
}

export type Trigger = 'head' | 'drift' | 'resync' | 'retry';

interface MemberLoop {
  name: string;
  context: string;
  target?: MemberTarget;
  treeOid?: string;
  session?: MemberSession;
  running?: Promise<void>;
  pending?: Trigger;
  driftTimer?: NodeJS.Timeout;
  retryTimer?: NodeJS.Timeout;
  backoffMs: number;
  report?: MemberReport;
}

const BACKOFF_MAX_MS = 30_000;

export class Daemon {
  private readonly loops = new Map<string, MemberLoop>();
  private readonly memberLimit: Semaphore;
  private kc: KubeConfig;
  private watcher?: HeadWatcher;
  private resyncTimer?: NodeJS.Timeout;
  private lastHead?: string;
  private headCheck: Promise<void> = Promise.resolve();
  private stopping = false;
  private branchCommit?: string;
  private sourceCommit?: string;
  private fleet?: string;
  /** Blob id -> content across heads; a large branch is read once, then only what changed. */
  private readonly blobs = new Map<string, string>();
  private parsed: ParseCache = new Map();
  private readonly listeners: ((report: PropagationReport, member: string) => void)[] = [];
  private gate?: RolloutGate;
  /** With a rollout: the snapshots members may be given (the target and the last good head). */
  private readonly snapshots = new Map<string, BranchSnapshot>();
  private rolloutTimer?: NodeJS.Timeout;
  private readonly stateFile: string | null;

  constructor(private readonly opts: DaemonOptions) {
    this.memberLimit = new Semaphore(opts.config.memberConcurrency);
    this.kc = typeof opts.kubeconfig === 'object' ? opts.kubeconfig : loadKubeConfig(opts.kubeconfig);
    this.stateFile = opts.stateFile === undefined ? stateFileFor(opts.repo) : opts.stateFile;
    const before = this.stateFile === null ? undefined : readState(this.stateFile);
    for (const m of before?.members ?? []) this.loops.set(m.cluster, { name: m.cluster, context: m.context, report: m, backoffMs: 1000 });
    if (opts.rollout) this.gate = new RolloutGate(opts.rollout);
  }

  private log(line: string): void {
    this.opts.log?.(`${new Date().toISOString()} ${line}`);
  }

  /** Called after each member reconcile with the whole report. */
  onReport(fn: (report: PropagationReport, member: string) => void): void {
    this.listeners.push(fn);
  }

  async start(): Promise<void> {
    const branch = this.opts.branch ?? DEFAULT_BRANCH;
    this.watcher = await watchHead(this.opts.repo, branch, {
      fetchSeconds: this.opts.config.fetchSeconds,
      onChange: () => void this.checkHead(),
      onError: (err) => this.log(`source: ${(err as Error).message}`),
      ...(this.opts.gitCredentials ? { credentials: this.opts.gitCredentials } : {}),
    });
    this.resyncTimer = setInterval(() => {
      for (const loop of this.loops.values()) if (loop.target) this.trigger(loop, 'resync');
    }, this.opts.config.resyncSeconds * 1000);
    await this.checkHead();
  }

  /** Fetches the branch now rather than at the next interval (a webhook call); the new head, if any, follows as usual. */
  async refreshSource(): Promise<void> {
    await this.watcher?.refresh();
  }

  /** Reads the branch when its head moved and triggers the members whose directory changed. */
  checkHead(): Promise<void> {
    this.headCheck = this.headCheck.then(async () => {
      if (this.stopping || !this.watcher) return;
      try {
        const head = await this.watcher.current();
        if (head === this.lastHead) return;
        const known = new Map<string, string>();
        for (const l of this.loops.values()) if (l.treeOid) known.set(l.name, l.treeOid);
        // A rollout may give a member an older head than the newest: every snapshot it keeps is whole.
        const knownTrees = this.gate ? undefined : known;
        let snap = await readSource(this.watcher.localRepo, this.opts.branch ?? DEFAULT_BRANCH, { clusters: this.opts.clusters, ...(this.opts.selector ? { selector: this.opts.selector } : {}), knownTrees, blobs: this.blobs });
        const gate = gateForHead(this.gate, snap, this.opts);
        // The first head that carries waves: read it whole, as every head of a rollout is.
        if (gate && knownTrees) snap = await readSource(this.watcher.localRepo, this.opts.branch ?? DEFAULT_BRANCH, { clusters: this.opts.clusters, ...(this.opts.selector ? { selector: this.opts.selector } : {}), blobs: this.blobs });
        // Only the blobs of this head are kept, so the map does not grow with history.
        const live = new Set<string>();
        for (const c of snap.clusters) for (const t of c.files.values()) live.add(t);
        if (this.blobs.size > 2 * live.size + 1000) for (const [oid, t] of this.blobs) if (!live.has(t)) this.blobs.delete(oid);
        if (this.parsed.size > 2 * live.size + 1000) this.parsed = new Map([...this.parsed].filter(([t]) => live.has(t)));
        this.lastHead = head;
        this.branchCommit = snap.branchCommit;
        this.sourceCommit = snap.metadata.sourceCommit;
        this.fleet = fleetOfBranch(snap.metadata).name;
        this.log(`branch head ${snap.branchCommit?.slice(0, 7) ?? head.slice(0, 7)} (source ${snap.metadata.sourceCommit?.slice(0, 7) ?? '-'}, fleet ${this.fleet})`);
        this.gate = gate;
        if (this.gate && snap.branchCommit) this.onRolloutHead(snap.branchCommit, snap);
        else for (const c of snap.clusters) this.onCluster(c, snap);
        const present = new Set(snap.clusters.map((c) => c.name));
        for (const loop of [...this.loops.values()]) if (!present.has(loop.name)) this.drop(loop);
      } catch (err) {
        this.log(`cannot read the branch: ${(err as Error).message}`);
      }
    });
    return this.headCheck;
  }

  private onCluster(c: ClusterFiles, snap: BranchSnapshot): void {
    let loop = this.loops.get(c.name);
    if (!loop) this.loops.set(c.name, (loop = { name: c.name, context: '', backoffMs: 1000 }));
    loop.context = contextFor(c.name, this.opts.config, c.context);
    const head = { fleet: fleetOfBranch(snap.metadata), branchCommit: snap.branchCommit, sourceCommit: snap.metadata.sourceCommit, inHistory: snap.inHistory };
    const unchangedTree = c.treeOid !== undefined && c.treeOid === loop.treeOid && loop.target;
    if (unchangedTree && loop.target) {
      // Same directory, new commit: nothing to apply, but the member now runs this commit (and the fleet may have a new name).
      loop.target = { ...loop.target, ...head };
    } else {
      loop.target = { cluster: c.name, context: loop.context, parsed: parseClusterFiles(c.files, this.parsed, c.unreadable), ...head };
      loop.treeOid = c.treeOid;
    }
    this.trigger(loop, 'head');
  }

  private onRolloutHead(commit: string, snap: BranchSnapshot): void {
    this.snapshots.set(commit, snap);
    this.gate!.onHead(commit);
    this.advanceRollout();
  }

  /** Asks the rollout which head each member gets now and hands it over; called on every report. */
  private advanceRollout(): void {
    if (!this.gate || this.stopping) return;
    const seen = new Map<string, MemberSeen>();
    for (const loop of this.loops.values()) seen.set(loop.name, seenOf(loop));
    const latest = this.gate.target === undefined ? undefined : this.snapshots.get(this.gate.target);
    for (const c of latest?.clusters ?? []) if (!seen.has(c.name)) seen.set(c.name, { health: 'Unknown' });
    const plan = this.gate.plan(seen);
    if (!plan) return;
    for (const [member, rev] of plan.assign) {
      const snap = this.snapshots.get(rev);
      const c = snap?.clusters.find((x) => x.name === member);
      if (!snap || !c || this.loops.get(member)?.target?.branchCommit === rev) continue;
      this.log(`${member}: rollout gives it ${rev.slice(0, 7)} (${plan.waves.map((w) => `${w.name} ${w.phase}`).join(', ')})`);
      this.onCluster(c, snap);
    }
    const kept = new Set([plan.state.target, plan.state.previous, this.gate.lastGood, ...Object.values(plan.state.held ?? {})]);
    for (const k of this.snapshots.keys()) if (!kept.has(k)) this.snapshots.delete(k);
    clearTimeout(this.rolloutTimer);
    if (plan.wakeAt !== undefined) this.rolloutTimer = setTimeout(() => this.advanceRollout(), Math.max(0, plan.wakeAt - Date.now()) + 20);
    else if (plan.state.halted || !plan.complete) this.rolloutTimer = setTimeout(() => this.advanceRollout(), 1000); // promote, resume, abort arrive by file
  }

  /**
   * Cross-cluster order (gitfed.io/depends-on): a head is applied to a member only once every
   * object its objects wait for reports Ready on its own member. Until then the member is
   * Progressing, saying what it waits for, and is looked at again each second.
   */
  private holdForDependencies(loop: MemberLoop): boolean {
    const waiting: string[] = [];
    for (const o of loop.target?.parsed.objects ?? []) {
      for (const ref of dependenciesOf(o.obj)) {
        const there = this.loops.get(ref.cluster)?.report?.objects ?? [];
        if (!there.some((s) => s.health === 'Ready' && refMatchesKey(ref, s.key))) waiting.push(formatDependency(ref));
      }
    }
    if (waiting.length === 0) return false;
    const message = `waiting for ${[...new Set(waiting)].join(', ')} to be Ready`;
    if (loop.report?.message !== message) this.log(`${loop.name}: ${message}`);
    loop.report = { ...(loop.report ?? { cluster: loop.name, context: loop.context, health: 'Progressing' as const, counts: countActions([]), objects: [], lastAttempt: new Date().toISOString() }), state: 'Progressing', message };
    clearTimeout(loop.retryTimer);
    loop.retryTimer = setTimeout(() => this.trigger(loop, 'retry'), 1000);
    this.publish(loop.name);
    return true;
  }

  private trigger(loop: MemberLoop, why: Trigger): void {
    // A dropped member's late watch events and timers must not bring it back.
    if (this.stopping || this.loops.get(loop.name) !== loop) return;
    if (this.opts.admit && !this.opts.admit(loop.name, why)) return;
    if (loop.running) {
      // 'head' outranks the others: it must re-read the inventory.
      if (loop.pending !== 'head') loop.pending = why;
      return;
    }
    loop.running = this.memberLimit
      .run(() => this.reconcile(loop, why))
      .finally(() => {
        loop.running = undefined;
        const next = loop.pending;
        loop.pending = undefined;
        if (next) this.trigger(loop, next);
      });
  }

  private async session(loop: MemberLoop): Promise<MemberSession> {
    if (!loop.session) {
      loop.session = await MemberSession.open(this.kc, loop.name, loop.context, this.opts.config, {
        watch: true,
        onEvent: (ev) => {
          // Another fleet's objects are in the cache too (to be left alone); their changes are not this fleet's drift.
          const partOf = ev.obj.metadata.labels?.[PART_OF_LABEL];
          if (ev.type !== 'DELETED' && partOf && partOf !== loop.target?.fleet?.id) return;
          this.opts.onMemberEvent?.(loop.name);
          clearTimeout(loop.driftTimer);
          loop.driftTimer = setTimeout(() => this.trigger(loop, 'drift'), 200);
        },
      });
    }
    return loop.session;
  }

  private async reconcile(loop: MemberLoop, why: Trigger): Promise<void> {
    if (!loop.target || this.stopping) return;
    if (this.opts.admit && !this.opts.admit(loop.name, why)) return;
    if (loop.report?.branchCommit !== loop.target.branchCommit && this.holdForDependencies(loop)) return;
    const done = this.opts.onReconcile?.(loop.name, why);
    const started = Date.now();
    if (why === 'head' && loop.report && loop.report.branchCommit !== loop.target.branchCommit && loop.report.state !== 'Unreachable') {
      // Tell readers the member is on its way to the new head.
      loop.report = { ...loop.report, state: 'Progressing', message: `applying ${loop.target.branchCommit?.slice(0, 7) ?? 'the branch'}` };
      this.publish(loop.name);
    }
    try {
      const session = await this.session(loop);
      if (why === 'resync') await session.cache.relist();
      loop.report = await reconcileMember(session, loop.target, {
        config: this.opts.config,
        previous: loop.report,
        cachedInventory: why === 'drift',
      });
      loop.backoffMs = 1000;
      const c = loop.report.counts;
      if (why !== 'drift' || c.created + c.configured + c.pruned + c.failed > 0) {
        this.log(`${loop.name}: ${loop.report.state} at ${loop.report.branchCommit?.slice(0, 7) ?? '-'} (${why}; +${c.created} ~${c.configured} -${c.pruned} !${c.failed}; ${loop.report.requests} requests; ${Date.now() - started} ms)`);
      }
    } catch (err) {
      loop.report = failedMember(loop.report, { cluster: loop.name, context: loop.context, fleet: loop.target?.fleet?.name }, err, new Date().toISOString());
      if (err instanceof MemberUnreachableError) {
        // The connections are dead; a fresh session lists again when the member is back.
        loop.session?.close();
        loop.session = undefined;
      }
      this.log(`${loop.name}: ${loop.report.state}: ${loop.report.message}; retry in ${loop.backoffMs / 1000}s`);
      clearTimeout(loop.retryTimer);
      loop.retryTimer = setTimeout(() => this.trigger(loop, 'retry'), loop.backoffMs);
      loop.backoffMs = Math.min(BACKOFF_MAX_MS, loop.backoffMs * 2);
    }
    if (loop.report) done?.(loop.report);
    this.publish(loop.name);
  }

  /**
   * New member credentials (a changed cluster inventory), taken without a restart: sessions not
   * in use are closed and every member is tried again with the new kubeconfig.
   */
  updateKubeconfig(kc: KubeConfig): void {
    this.kc = kc;
    for (const loop of this.loops.values()) {
      if (!loop.running) {
        loop.session?.close();
        loop.session = undefined;
      }
      if (loop.target) this.trigger(loop, 'retry');
    }
  }

  /**
   * A changed apply config, taken without a restart: policies apply from the next reconcile of
   * each member (all are triggered now); sessions are opened again for the request limits.
   * The member concurrency and the intervals keep their values until a restart.
   */
  updateConfig(config: ApplyConfig): void {
    (this.opts as { config: ApplyConfig }).config = config;
    for (const loop of this.loops.values()) {
      if (!loop.running) {
        loop.session?.close();
        loop.session = undefined;
      }
      if (loop.target) this.trigger(loop, 'head');
    }
  }

  /** The members of the branch head last read. */
  memberNames(): string[] {
    return [...this.loops.values()].filter((l) => l.target).map((l) => l.name);
  }

  /** The member was admitted again: reconcile it now, reading its inventory afresh. */
  resume(member: string): void {
    const loop = this.loops.get(member);
    if (loop?.target) this.trigger(loop, 'head');
  }

  /**
   * Stops touching the member until resume(): no new reconcile, its connections closed once the
   * one in flight is done, or at once with `abort` (its requests fail; the inventory's
   * resourceVersion precondition stops a write that was already on its way).
   */
  async suspend(member: string, opts: { abort?: boolean } = {}): Promise<void> {
    const loop = this.loops.get(member);
    if (!loop) return;
    clearTimeout(loop.driftTimer);
    clearTimeout(loop.retryTimer);
    loop.pending = undefined;
    const session = loop.session;
    loop.session = undefined;
    if (opts.abort) session?.close();
    await loop.running;
    session?.close();
    // A reconcile admitted just before may have opened a new one.
    const reopened = loop.session as MemberSession | undefined;
    if (reopened && this.opts.admit && !this.opts.admit(member, 'head')) {
      reopened.close();
      loop.session = undefined;
    }
  }

  report(): PropagationReport {
    const members = [...this.loops.values()].flatMap((l) => (l.report ? [l.report] : []));
    return buildReport(this.opts.repo, members, { branchCommit: this.branchCommit, sourceCommit: this.sourceCommit, fleet: this.fleet, now: new Date().toISOString() });
  }

  private publish(member: string): void {
    const report = this.report();
    if (this.stateFile !== null) {
      try {
        writeState(report, this.stateFile);
      } catch (err) {
        this.log(`cannot write the status file: ${(err as Error).message}`);
      }
    }
    for (const fn of this.listeners) fn(report, member);
    this.advanceRollout();
  }

  /** Stops taking triggers, lets in-flight reconciles finish, closes every connection. */
  /**
   * A member whose directory left the branch is no longer reconciled, nor reported: as after
   * `kubefedctl unjoin`, what it holds stays, and the daemon stops enforcing the old manifests.
   */
  private drop(loop: MemberLoop): void {
    this.loops.delete(loop.name);
    clearTimeout(loop.driftTimer);
    clearTimeout(loop.retryTimer);
    loop.target = undefined;
    loop.pending = undefined;
    void (loop.running ?? Promise.resolve()).then(() => loop.session?.close());
    this.log(`${loop.name}: left the branch; no longer reconciled (its objects stay)`);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.resyncTimer);
    clearTimeout(this.rolloutTimer);
    await this.watcher?.close();
    await this.headCheck;
    for (const l of this.loops.values()) {
      clearTimeout(l.driftTimer);
      clearTimeout(l.retryTimer);
    }
    await Promise.all([...this.loops.values()].map((l) => l.running));
    for (const l of this.loops.values()) l.session?.close();
  }
}

/** A member as the rollout sees it: an apply that failed counts against the head it was given. */
function seenOf(loop: MemberLoop): MemberSeen {
  const r = loop.report;
  if (!r) return { health: 'Unknown' };
  if (r.state === 'Unreachable') return { ...(r.branchCommit ? { revision: r.branchCommit } : {}), health: 'Unknown', ...(r.message ? { message: r.message } : {}) };
  if (r.state === 'Failed') return { ...(loop.target?.branchCommit ? { revision: loop.target.branchCommit } : {}), health: 'Failed', ...(r.message ? { message: r.message } : {}) };
  const notReady = r.objects.find((o) => o.health && o.health !== 'Ready');
  const message = notReady ? `${notReady.object}: ${notReady.health}` : r.message;
  return { ...(r.branchCommit ? { revision: r.branchCommit } : {}), health: r.state === 'Progressing' ? 'Progressing' : r.health, ...(message ? { message } : {}) };
}
