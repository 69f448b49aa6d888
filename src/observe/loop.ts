/**
 * @module observe/loop
 * The daemon's observe loop (`gitfed daemon --observe`): `gitfed observe` on an interval, and soon
 * after a watch event on a member, with the members' connections kept open between rounds. With
 * `render`, each round whose pair (source commit, state commit) differs from the one rendered last
 * renders that pair into the output branches, as `gitfed render --commit --state` does (and so with
 * gitfed.yaml's `stateChanges`), then tells the daemon to read its branch: the loop from a pod
 * going Pending to replicas running elsewhere closes inside one process.
 *
 * Rounds never overlap; a round asked for during one runs once after it. A round that fails (a
 * source that does not render, a state branch moved by another observer) is logged, and the next
 * round tries again; the same failure is logged once.
 *
 * The loop keeps nothing a decision needs between rounds: the dwell clock and the values compared
 * are the committed documents of the state branch, read at each round. So another process taking
 * over the loop (the controller's observer, controller/observer.ts) continues the same hysteresis.
 */
import type { KubeClient, loadKubeConfig } from '../apply/member/kube-client.js';
import { GitfedError } from '../errors.js';
import { publish, type PublishResult } from '../publish.js';
import { observe, type ObserveResult } from './observe.js';

export interface ObserveLoopOptions {
  /** The fleet repo (a local directory): its source names the members; the state and output branches are committed here. */
  readonly fleet: string;
  /** Source revision observed and rendered. @default 'HEAD' */
  readonly ref?: string;
  /** @default 'fleet-state' */
  readonly branch?: string;
  readonly kubeconfig?: string;
  /** A kubeconfig already loaded (the controller's, from Secrets or ClusterProfiles), instead of `kubeconfig`. */
  readonly kubeConfig?: ReturnType<typeof loadKubeConfig>;
  readonly intervalSeconds: number;
  readonly dwellSeconds: number;
  readonly band: number;
  /** Render each new (source, state) pair into the output branches. */
  readonly render?: { readonly sourceRepo?: string };
  readonly log: (line: string) => void;
  /** After a render committed an output branch: the daemon reads it now rather than at its next poll. */
  readonly onRendered?: (r: PublishResult) => void;
  /** After each round, for tests and the benchmark. */
  readonly onRound?: (round: Round) => void;
  /** Seconds from a watch event to the round it asks for (events come in bursts). @default 1 */
  readonly eventDelaySeconds?: number;
  /**
   * Asked before each round and again before its render: false skips them (the controller's
   * observer whose Lease lapsed). The state ref's compare-and-swap fences a commit in between.
   */
  readonly admit?: () => boolean;
  /**
   * The fleet repository is remote (controller/fleet-remote.ts): rounds work in its local copy
   * `dir`, `pull` before each (returns the branches the copy holds ahead of the remote) and
   * `push` after it of what it committed. A push refused fails the round; the next one pulls again.
   */
  readonly remote?: { readonly dir: string; pull(): Promise<string[]>; push(branches: readonly string[]): Promise<void> };
}

export interface Round {
  readonly observed?: ObserveResult;
  readonly rendered?: PublishResult;
  readonly error?: string;
  /** A state commit was made (and, with a remote, pushed). */
  readonly committed: boolean;
  /** Wall-clock seconds the round took. */
  readonly seconds: number;
}

export class ObserveLoop {
  private readonly clients = new Map<string, KubeClient>();
  private interval?: NodeJS.Timeout;
  private soon?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  /** `source:state` of the last pair rendered (or refused), so each pair renders once. */
  private lastPair?: string;
  private lastError?: string;
  private lastHeld = '';

  constructor(private readonly opts: ObserveLoopOptions) {}

  start(): void {
    this.interval = setInterval(() => this.round(), this.opts.intervalSeconds * 1000);
    this.round();
  }

  /** A member's watch event: a round soon, without waiting for the interval. */
  poke(): void {
    if (this.stopped || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.round();
    }, (this.opts.eventDelaySeconds ?? 1) * 1000);
  }

  /** Runs a round now, or once more after the one in flight. Resolves when no round is running. */
  round(): Promise<void> {
    if (this.stopped || this.opts.admit?.() === false) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.once()
      .then((r) => this.opts.onRound?.(r))
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          void this.round();
        }
      });
    return this.running;
  }

  private async once(): Promise<Round> {
    const started = Date.now();
    const seconds = () => (Date.now() - started) / 1000;
    let observed: ObserveResult | undefined;
    let committed = false;
    const remote = this.opts.remote;
    try {
      const ahead = remote ? await remote.pull() : [];
      observed = await observe({
        repo: remote?.dir ?? this.opts.fleet,
        ref: this.opts.ref ?? 'HEAD',
        ...(this.opts.branch ? { branch: this.opts.branch } : {}),
        ...(this.opts.kubeconfig ? { kubeconfig: this.opts.kubeconfig } : {}),
        ...(this.opts.kubeConfig ? { kubeConfig: this.opts.kubeConfig } : {}),
        dwellSeconds: this.opts.dwellSeconds,
        band: this.opts.band,
        clients: this.clients,
      });
      // With a remote, a commit counts once it is pushed: one that never reaches the remote is dropped at the next pull.
      committed = observed.committed && (remote ? await this.push(remote, [...ahead, observed.branch]) : true);
      if (remote && !observed.committed && ahead.length > 0) await this.push(remote, ahead);
      if (committed) this.opts.log(`observe: ${observed.branch} ${observed.head!.slice(0, 7)}: ${observed.changes.join('; ')}`);
      const held = observed.held.join('; ');
      if (held !== this.lastHeld && held) this.opts.log(`observe: waiting for the dwell time: ${held}`);
      this.lastHeld = held;
      const rendered = this.opts.render && this.opts.admit?.() !== false ? await this.render(observed) : undefined;
      const moved = rendered?.commit.branches.filter((b) => b.committed).map((b) => b.branch) ?? [];
      if (remote && moved.length > 0) await this.push(remote, moved);
      this.lastError = undefined;
      return { observed, committed, ...(rendered ? { rendered } : {}), seconds: seconds() };
    } catch (err) {
      // A render whose push failed is tried again once the remote's branches are pulled.
      if (remote) this.lastPair = undefined;
      const message = err instanceof GitfedError ? err.format() : (err as Error).message;
      if (message !== this.lastError) this.opts.log(`observe: ${message}`);
      this.lastError = message;
      return { ...(observed ? { observed } : {}), committed, error: message, seconds: seconds() };
    }
  }

  /** Pushes to the remote while the round is still admitted; false when it no longer is (the commit stays in the copy). */
  private async push(remote: NonNullable<ObserveLoopOptions['remote']>, branches: readonly string[]): Promise<boolean> {
    if (this.opts.admit?.() === false) return false;
    await remote.push([...new Set(branches)]);
    return true;
  }

  /** Renders the pair just observed, unless it was rendered already. */
  private async render(o: ObserveResult): Promise<PublishResult | undefined> {
    const pair = `${o.source}:${o.head ?? ''}`;
    if (pair === this.lastPair) return undefined;
    // Remembered before rendering: a pair that does not render is not tried again each round.
    this.lastPair = pair;
    const r = await publish({
      repo: this.opts.remote?.dir ?? this.opts.fleet,
      ref: o.source,
      ...(o.head ? { state: o.head } : {}),
      ...(this.opts.render?.sourceRepo ? { sourceRepo: this.opts.render.sourceRepo } : {}),
    });
    const moved = r.commit.branches.filter((b) => b.committed);
    if (moved.length > 0) {
      this.opts.log(`render: source ${o.source.slice(0, 7)}${o.head ? `, state ${o.head.slice(0, 7)}` : ''}: ${moved.map((b) => `${b.branch} ${b.head.slice(0, 7)}`).join(', ')}`);
      this.opts.onRendered?.(r);
    }
    return r;
  }

  /** No new round; the one in flight finishes; the connections close. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.interval);
    clearTimeout(this.soon);
    await this.running;
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}
