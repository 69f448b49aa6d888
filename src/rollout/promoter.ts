/**
 * @module promoter
 * The observe-and-promote mode (`gitfed daemon --pointer-branches 'rollout/{wave}'`), for members
 * whose consumer applies for itself (Argo CD, Flux). It applies nothing: it reads each member's
 * health at the revision its pointer branch holds (observed-health.ts, read-only), asks the same
 * gate as the applying daemon which revision each member gets now (gate.ts, planner.ts), and moves
 * the pointer branches there, all of them in one ref transaction (git/pointer-branches.ts).
 *
 * One pass at a time: on a new head of the rendered branch, and every `intervalMs` (or sooner,
 * when a soak or a timeout ends) while anything may change. `gitfed rollout promote | resume |
 * abort` reach it through the gate's file, as they reach the applying daemon.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { readSource, type BranchSnapshot } from '../git/branch-read.js';
import { DEFAULT_BRANCH } from '../git/layout.js';
import { movePointerBranches, readPointers } from '../git/pointer-branches.js';
import type { ApplyConfig } from '../apply/config.js';
import { loadKubeConfig } from '../apply/member/kube-client.js';
import { KubeMemberClient } from '../apply/member/kube-member-client.js';
import { MemberUnreachableError, type MemberClient } from '../apply/member/member-client.js';
import { contextFor } from '../apply/member/member-session.js';
import { watchHead, type HeadWatcher } from '../apply/source/head-watcher.js';
import { parseClusterFiles, type ParsedCluster } from '../apply/source/manifests.js';
import { RolloutGate, type GateOptions, type MemberSeen } from './gate.js';
import { observeHealth } from './observed-health.js';
import { pointerBranchOf, pointerTargets } from './pointers.js';
import type { RolloutPlan } from './planner.js';

export interface PromoterOptions {
  /** A local repository: the rendered branch is read there and the pointer branches are moved there. */
  readonly repo: string;
  /** @default DEFAULT_BRANCH (`rendered`) */
  readonly branch?: string;
  readonly kubeconfig?: string | KubeConfig;
  readonly clusters?: readonly string[];
  readonly config: ApplyConfig;
  readonly rollout: GateOptions;
  /** `rollout/{wave}` (a branch per wave) or `rollout/{cluster}` (a branch per member). */
  readonly pointerBranches: string;
  readonly log?: (line: string) => void;
  /** How often the members are looked at while the rollout waits on them. @default 1000 */
  readonly intervalMs?: number;
  /** Called after every pass with its plan (tests, the benchmark). */
  readonly onPlan?: (plan: RolloutPlan) => void;
}

export class Promoter {
  private readonly gate: RolloutGate;
  private readonly kc: KubeConfig;
  private watcher?: HeadWatcher;
  private lastHead?: string;
  /** The revisions members may be on, by commit; each read once. */
  private readonly revisions = new Map<string, Promise<BranchSnapshot>>();
  private readonly parsed = new Map<string, ParsedCluster>();
  private readonly blobs = new Map<string, string>();
  private readonly clients = new Map<string, Promise<MemberClient>>();
  private pass: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private stopping = false;

  constructor(private readonly opts: PromoterOptions) {
    this.gate = new RolloutGate(opts.rollout);
    this.kc = typeof opts.kubeconfig === 'object' ? opts.kubeconfig : loadKubeConfig(opts.kubeconfig);
  }

  private log(line: string): void {
    this.opts.log?.(`${new Date().toISOString()} ${line}`);
  }

  private get branch(): string {
    return this.opts.branch ?? DEFAULT_BRANCH;
  }

  async start(): Promise<void> {
    this.watcher = await watchHead(this.opts.repo, this.branch, {
      fetchSeconds: this.opts.config.fetchSeconds,
      onChange: () => void this.kick(),
      onError: (err) => this.log(`source: ${(err as Error).message}`),
    });
    await this.kick();
  }

  /** Runs a pass now (after the one in flight); resolves when it is done. */
  kick(): Promise<void> {
    this.pass = this.pass.then(() => this.step());
    return this.pass;
  }

  private async step(): Promise<void> {
    if (this.stopping || !this.watcher) return;
    clearTimeout(this.timer);
    let delay = this.opts.intervalMs ?? 1000;
    try {
      const head = await this.watcher.current();
      if (head !== this.lastHead) {
        const snap = await readSource(this.watcher.localRepo, this.branch, { ...(this.opts.clusters ? { clusters: this.opts.clusters } : {}), blobs: this.blobs });
        this.lastHead = head;
        if (snap.branchCommit) {
          this.revisions.set(snap.branchCommit, Promise.resolve(snap));
          this.log(`branch head ${snap.branchCommit.slice(0, 7)} (source ${snap.metadata.sourceCommit?.slice(0, 7) ?? '-'})`);
          this.gate.onHead(snap.branchCommit);
        }
      }
      const plan = await this.promote();
      if (plan?.wakeAt !== undefined) delay = Math.max(0, Math.min(delay, plan.wakeAt - Date.now() + 20));
    } catch (err) {
      this.log(`rollout: ${(err as Error).message}`);
    }
    if (!this.stopping) this.timer = setTimeout(() => void this.kick(), delay);
  }

  /** One look at every member, one plan, one move of the pointer branches. */
  private async promote(): Promise<RolloutPlan | undefined> {
    if (this.gate.target === undefined) return undefined;
    const waves = this.gate.waves;
    const template = this.opts.pointerBranches;
    const members = waves.flatMap((w) => w.members);
    const branchOf = new Map(members.flatMap((m) => {
      const b = pointerBranchOf(m, waves, template);
      return b === undefined ? [] : [[m, b] as const];
    }));
    const held = readPointers(this.opts.repo, [...new Set(branchOf.values())]);
    const seen = new Map<string, MemberSeen>();
    await Promise.all(members.map(async (m) => seen.set(m, await this.observe(m, held.get(branchOf.get(m)!) ?? null))));
    const plan = this.gate.plan(seen);
    if (!plan) return undefined;
    const targets = pointerTargets(plan, waves, template);
    const moves = await movePointerBranches(this.opts.repo, targets);
    if (moves.length) {
      const phases = plan.waves.map((w) => `${w.name} ${w.phase}`).join(', ');
      for (const m of moves) this.log(`${m.branch}: ${m.from?.slice(0, 7) ?? '(new)'} -> ${m.to.slice(0, 7)} (${phases})`);
    }
    const now = new Map(held);
    for (const m of moves) now.set(m.branch, m.to);
    const pointers = Object.fromEntries([...now].filter((e): e is [string, string] => e[1] !== null));
    this.gate.recordPointers(pointers);
    this.forget(new Set([plan.state.target, plan.state.previous, this.gate.lastGood, ...Object.values(plan.state.held ?? {}), ...Object.values(pointers)].filter((c): c is string => c !== undefined)));
    this.opts.onPlan?.(plan);
    return plan;
  }

  /** A member as the gate sees it: the revision its pointer branch holds, and how healthy the member is at it. */
  private async observe(member: string, commit: string | null): Promise<MemberSeen> {
    if (commit === null) return { health: 'Unknown' };
    try {
      const snap = await this.revision(commit);
      const c = snap.clusters.find((x) => x.name === member);
      // Not in that revision: nothing there for its consumer to apply.
      if (!c) return { revision: commit, health: 'Ready' };
      const key = `${commit}/${member}`;
      let parsed = this.parsed.get(key);
      if (!parsed) this.parsed.set(key, (parsed = parseClusterFiles(c.files, undefined, c.unreadable)));
      const client = await this.client(member, contextFor(member, this.opts.config, c.context));
      return { revision: commit, ...(await observeHealth(client, parsed)) };
    } catch (err) {
      if (err instanceof MemberUnreachableError) this.closeClient(member);
      return { revision: commit, health: 'Unknown', message: (err as Error).message };
    }
  }

  private revision(commit: string): Promise<BranchSnapshot> {
    let snap = this.revisions.get(commit);
    if (!snap) {
      snap = readSource(this.watcher!.localRepo, commit, { ...(this.opts.clusters ? { clusters: this.opts.clusters } : {}), blobs: this.blobs });
      this.revisions.set(commit, snap);
      snap.catch(() => this.revisions.delete(commit));
    }
    return snap;
  }

  private client(member: string, context: string): Promise<MemberClient> {
    let c = this.clients.get(member);
    if (!c) {
      c = KubeMemberClient.connect(this.kc, member, context, { concurrency: this.opts.config.requestConcurrency, timeoutMs: this.opts.config.requestTimeoutSeconds * 1000 });
      this.clients.set(member, c);
      c.catch(() => this.clients.delete(member));
    }
    return c;
  }

  private closeClient(member: string): void {
    const c = this.clients.get(member);
    this.clients.delete(member);
    void c?.then((x) => x.close(), () => undefined);
  }

  /** Only the revisions still in play are kept. */
  private forget(keep: ReadonlySet<string>): void {
    for (const k of this.revisions.keys()) if (!keep.has(k)) this.revisions.delete(k);
    for (const k of this.parsed.keys()) if (!keep.has(k.slice(0, k.indexOf('/')))) this.parsed.delete(k);
    if (this.blobs.size > 20_000) this.blobs.clear();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.watcher?.close();
    await this.pass;
    for (const m of [...this.clients.keys()]) this.closeClient(m);
  }
}
