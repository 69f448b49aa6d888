/**
 * @module gate
 * The rollout's state machine around the pure planner, for whoever moves revisions: the daemon
 * (which applies them) and the observe-and-promote mode (which moves pointer branches). It
 * remembers the rollout in a small JSON file, so `gitfed rollout promote | resume | abort` (which
 * edit that file) reach a running daemon, and `gitfed rollout status` reads what it decided.
 *
 * What it is told: a new head (`onHead`) and each member's observed revision and health
 * (`plan(observed)`). What it answers: the revision each member gets now (planner.ts).
 */
import * as fs from 'node:fs';
import { dirname, join } from 'node:path';
import { stateFileFor } from '../apply/status/state-store.js';
import { GitfedError } from '../errors.js';
import { planRollout, startRollout, type MemberHealth, type MemberObservation, type RolloutPlan, type RolloutState, type WaveStatus } from './planner.js';
import type { FailurePolicy, ResolvedWave } from './policy.js';

/**
 * Where the rollout of a repository's branch is kept: beside its status report, in the git
 * directory (`gitfed/rollout.json`), the local mirror of a remote, or `.gitfed/` of a plain
 * directory; never in the current directory, so the daemon and `gitfed rollout` find it from --repo.
 */
export function rolloutFileFor(repo: string): string {
  return join(dirname(stateFileFor(repo)), 'rollout.json');
}

/** What a member reports, reduced to what the planner needs. */
export interface MemberSeen {
  readonly revision?: string;
  readonly health: MemberHealth;
  readonly message?: string;
}

export interface MemberRecord extends MemberObservation {
  /** The revision the rollout gives the member now. */
  readonly assigned?: string;
}

/** The file: the planner's state, the last good revision, and what the last plan said. */
export interface RolloutRecord {
  readonly rollout?: RolloutState;
  /** The last revision a rollout completed on (every wave passed). */
  readonly lastGood?: string;
  readonly complete?: boolean;
  readonly waves?: readonly WaveStatus[];
  readonly members?: Readonly<Record<string, MemberRecord>>;
  readonly updated?: string;
  /** In the observe-and-promote mode: the commit each pointer branch holds, as last moved. */
  readonly pointers?: Readonly<Record<string, string>>;
}

export function readRolloutFile(file: string): RolloutRecord | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const r = JSON.parse(text) as RolloutRecord;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new Error('not an object');
    return r;
  } catch (err) {
    throw new GitfedError('StateInvalid', `${file} is not a rollout state file: ${(err as Error).message}`, { file });
  }
}

/**
 * Runs `fn` holding `<file>.lock`: `gitfed rollout promote | resume | abort` and the daemon each
 * read the file, change it and write it back, and without the lock a decision written between
 * the daemon's read and its write would be lost. A lock older than `staleMs` was left by a
 * process that was killed, and is taken over.
 */
export function withRolloutLock<T>(file: string, fn: () => T, staleMs = 5000): T {
  const lock = `${file}.lock`;
  fs.mkdirSync(dirname(file), { recursive: true });
  for (;;) {
    try {
      fs.closeSync(fs.openSync(lock, 'wx'));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > staleMs) fs.rmSync(lock, { force: true });
      } catch {
        // Gone meanwhile: try again.
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/** Written through a rename, so a reader never sees half a file. */
export function writeRolloutFile(file: string, record: RolloutRecord): void {
  fs.mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(record, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

export interface GateOptions {
  readonly waves: readonly ResolvedWave[];
  readonly failurePolicy: FailurePolicy;
  /** null keeps the rollout in memory only (tests, and callers that keep their own). */
  readonly file: string | null;
  readonly now?: () => number;
}

export class RolloutGate {
  private record: RolloutRecord;
  private policy: { waves: readonly ResolvedWave[]; failurePolicy: FailurePolicy };
  private readonly now: () => number;
  /** When each member was given, and became Ready at, its revision: kept across plans. */
  private readonly updatedAt = new Map<string, { rev: string; at: number }>();
  private readonly readySince = new Map<string, { rev: string; at: number }>();

  constructor(private readonly opts: GateOptions) {
    this.now = opts.now ?? Date.now;
    this.policy = { waves: opts.waves, failurePolicy: opts.failurePolicy };
    this.record = (opts.file ? readRolloutFile(opts.file) : undefined) ?? {};
    for (const [m, r] of Object.entries(this.record.members ?? {})) {
      if (r.revision && r.updatedAt !== undefined) this.updatedAt.set(m, { rev: r.revision, at: r.updatedAt });
      if (r.revision && r.readySince !== undefined) this.readySince.set(m, { rev: r.revision, at: r.readySince });
    }
  }

  get target(): string | undefined {
    return this.record.rollout?.target;
  }

  get lastGood(): string | undefined {
    return this.record.lastGood;
  }

  get waves(): readonly ResolvedWave[] {
    return this.policy.waves;
  }

  /** New waves (a head that carries another policy): they take effect from the next plan. */
  setPolicy(waves: readonly ResolvedWave[], failurePolicy: FailurePolicy): void {
    this.policy = { waves, failurePolicy };
  }

  /** What the pointer branches hold now, for `gitfed rollout status`; the operator's edits since the plan are kept. */
  recordPointers(pointers: Readonly<Record<string, string>>): void {
    this.record = { ...this.record, pointers };
    const file = this.opts.file;
    if (file) withRolloutLock(file, () => writeRolloutFile(file, { ...(readRolloutFile(file) ?? this.record), pointers }));
  }

  /**
   * A new head starts a rollout from the first wave. Members of later waves keep the last good
   * head, or what the rollout it replaces gave them if that one was still under way (a head pushed
   * just after another must not send the waves that took the first back to an older one); before
   * any head was good (the first one the gate sees), they are left as they are until their wave's turn.
   */
  onHead(commit: string): void {
    if (this.record.rollout?.target === commit) return;
    const lastGood = this.record.complete ? this.record.rollout?.target : this.record.lastGood;
    const given: Record<string, string> = {};
    if (!this.record.complete) for (const [m, r] of Object.entries(this.record.members ?? {})) if (r.assigned !== undefined) given[m] = r.assigned;
    this.record = { ...this.record, ...(lastGood !== undefined ? { lastGood } : {}), complete: false, rollout: startRollout(commit, lastGood, this.now(), given) };
  }

  /** Plans with what the members report now; the operator's latest decisions are read from the file first. */
  plan(seen: ReadonlyMap<string, MemberSeen>): RolloutPlan | undefined {
    const file = this.opts.file;
    return file ? withRolloutLock(file, () => this.planLocked(seen)) : this.planLocked(seen);
  }

  private planLocked(seen: ReadonlyMap<string, MemberSeen>): RolloutPlan | undefined {
    const fromFile = this.opts.file ? readRolloutFile(this.opts.file)?.rollout : undefined;
    let state = this.record.rollout;
    if (!state) return undefined;
    if (fromFile && fromFile.target === state.target) {
      // The CLI may have promoted, resumed or aborted since: its fields win.
      state = { ...state, promoted: fromFile.promoted, aborted: fromFile.aborted ?? false, ...(fromFile.resumedAt !== undefined ? { resumedAt: fromFile.resumedAt } : {}) };
      if (!fromFile.halted && state.halted && (fromFile.resumedAt ?? 0) >= state.halted.at) state = withoutHalt(state);
    }
    const now = this.now();
    const members = new Map<string, MemberObservation>();
    for (const [m, s] of seen) {
      if (s.revision === undefined) {
        members.set(m, { health: s.health, ...(s.message ? { message: s.message } : {}) });
        continue;
      }
      const upd = this.updatedAt.get(m);
      const updatedAt = upd?.rev === s.revision ? upd.at : now;
      if (upd?.rev !== s.revision) this.updatedAt.set(m, { rev: s.revision, at: now });
      let ready = this.readySince.get(m);
      if (s.health !== 'Ready') this.readySince.delete(m);
      else if (ready?.rev !== s.revision) this.readySince.set(m, (ready = { rev: s.revision, at: now }));
      members.set(m, {
        revision: s.revision,
        health: s.health,
        updatedAt,
        ...(s.health === 'Ready' && ready ? { readySince: ready.at } : {}),
        ...(s.message ? { message: s.message } : {}),
      });
    }
    const plan = planRollout({ waves: this.policy.waves, failurePolicy: this.policy.failurePolicy, state, members, now });
    const records: Record<string, MemberRecord> = {};
    for (const w of this.policy.waves) {
      for (const m of w.members) {
        const assigned = plan.assign.get(m);
        records[m] = { ...(members.get(m) ?? { health: 'Unknown' }), ...(assigned !== undefined ? { assigned } : {}) };
      }
    }
    this.record = {
      rollout: plan.state,
      ...(plan.complete ? { lastGood: plan.state.target } : this.record.lastGood !== undefined ? { lastGood: this.record.lastGood } : {}),
      complete: plan.complete,
      waves: plan.waves,
      members: records,
      updated: new Date(now).toISOString(),
      ...(this.record.pointers ? { pointers: this.record.pointers } : {}),
    };
    if (this.opts.file) writeRolloutFile(this.opts.file, this.record);
    return plan;
  }
}

function withoutHalt(state: RolloutState): RolloutState {
  const { halted: _halted, ...rest } = state;
  return rest;
}

/**
 * The gate for a new head: `rollout` given (--rollout) wins over the waves the branch carries; else
 * the branch's waves, taken from each head (a change of waves needs no restart), when the caller
 * keeps a rollout file for them; a head that carries none ends rolling out, as before rollouts
 * (every member gets the head at once).
 */
export function gateForHead(
  gate: RolloutGate | undefined,
  head: { readonly metadata: { readonly rollout?: { readonly waves: readonly ResolvedWave[]; readonly failurePolicy: FailurePolicy } } },
  opts: { readonly rollout?: GateOptions; readonly rolloutFile?: string | null },
): RolloutGate | undefined {
  if (opts.rollout) return gate ?? new RolloutGate(opts.rollout);
  const carried = head.metadata.rollout;
  if (!carried || opts.rolloutFile === undefined) return undefined;
  if (!gate) return new RolloutGate({ ...carried, file: opts.rolloutFile });
  gate.setPolicy(carried.waves, carried.failurePolicy);
  return gate;
}
