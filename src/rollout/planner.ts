/**
 * @module planner
 * The rollout planner: given the waves, the new and the last good revision, what each member runs
 * and how healthy it is, and the operator's decisions (promote, resume, abort), which revision
 * each member gets now, and why the rollout waits or halted. Pure and clock-free (`now` is an
 * argument), so the daemon, the observe-and-promote mode and the tests share one decision.
 *
 * A wave passes its gate when every member runs the new revision, is Ready, and has been Ready
 * for the wave's soak (counted from the last member to become Ready), then, with a manual gate,
 * when it is promoted. A member that reports Failed, or is not Ready `timeout` after it was given
 * the new revision, fails its wave: the rollout halts there (sticky until `resume` or a new
 * revision), and with failurePolicy rollback that wave's members go back to the last good revision.
 * Members of later waves keep the last good revision until their wave's turn, or, when this rollout
 * replaced one still under way, what that one gave them: a newer revision never sends a member back
 * to an older one only to move it forward again.
 */
import type { FailurePolicy, ResolvedWave } from './policy.js';

export type MemberHealth = 'Ready' | 'Progressing' | 'Failed' | 'Unknown';

/** What gitfed last saw on a member. Times are milliseconds since the epoch. */
export interface MemberObservation {
  /** The revision the member runs (was last applied), if any. */
  readonly revision?: string;
  readonly health: MemberHealth;
  /** When the member was given `revision`. */
  readonly updatedAt?: number;
  /** Since when it has been Ready at `revision`, when it is. */
  readonly readySince?: number;
  /** Why it is not Ready, when it is not. */
  readonly message?: string;
}

/** The rollout's own memory: what it rolls out, and what the operator decided. */
export interface RolloutState {
  readonly target: string;
  /** The last revision every member was healthy on; undefined for the first rollout. */
  readonly previous?: string;
  readonly startedAt: number;
  /** Waves whose manual gate was opened. */
  readonly promoted: readonly string[];
  readonly halted?: { readonly wave: string; readonly member?: string; readonly reason: string; readonly at: number };
  /** Failures observed before this time are forgiven (`gitfed rollout resume`). */
  readonly resumedAt?: number;
  readonly aborted?: boolean;
  /**
   * What the rollout this one replaced gave its members (those not on the last good revision),
   * kept until their wave's turn: undoing a wave that passed would be a rollout of its own.
   */
  readonly held?: Readonly<Record<string, string>>;
}

export type WavePhase = 'Pending' | 'Progressing' | 'Soaking' | 'AwaitingPromotion' | 'Passed' | 'Halted' | 'RolledBack' | 'Aborted';

export interface WaveStatus {
  readonly name: string;
  readonly phase: WavePhase;
  readonly members: readonly string[];
  /** Time left in the soak, while Soaking. */
  readonly soakLeftMs?: number;
}

export interface RolloutPlan {
  /** The revision each member should run now; a member without one (no last good revision) is left alone. */
  readonly assign: ReadonlyMap<string, string>;
  readonly waves: readonly WaveStatus[];
  readonly state: RolloutState;
  /** Every wave passed: the target is the new last good revision. */
  readonly complete: boolean;
  /** When to plan again at the latest (a soak or a timeout ends), if anything is waiting on time. */
  readonly wakeAt?: number;
}

export interface PlanInput {
  readonly waves: readonly ResolvedWave[];
  readonly failurePolicy: FailurePolicy;
  readonly state: RolloutState;
  readonly members: ReadonlyMap<string, MemberObservation>;
  readonly now: number;
}

/**
 * A new rollout of `target`, replacing whatever rollout was under way (it starts from the first
 * wave); `held` is what the replaced one gave each member, where that was not `previous`.
 */
export function startRollout(target: string, previous: string | undefined, now: number, held?: Readonly<Record<string, string>>): RolloutState {
  const kept = Object.entries(held ?? {}).filter(([, rev]) => rev !== target && rev !== previous);
  return { target, ...(previous !== undefined ? { previous } : {}), startedAt: now, promoted: [], ...(kept.length ? { held: Object.fromEntries(kept) } : {}) };
}

export function planRollout(input: PlanInput): RolloutPlan {
  const { waves, state, members, now } = input;
  const assign = new Map<string, string>();
  const statuses: WaveStatus[] = [];
  let next: RolloutState = state;
  let wakeAt: number | undefined;
  const wake = (t: number) => (wakeAt = wakeAt === undefined ? t : Math.min(wakeAt, t));
  // Abort and rollback: back to the last good revision, whatever a replaced rollout gave.
  const keepPrevious = (ms: readonly string[]) => {
    for (const m of ms) if (state.previous !== undefined) assign.set(m, state.previous);
  };
  // Waiting for their wave's turn: what they were given before this rollout.
  const keep = (ms: readonly string[]) => {
    for (const m of ms) {
      const rev = state.held?.[m] ?? state.previous;
      if (rev !== undefined) assign.set(m, rev);
    }
  };
  // Members already on the target stay there while halted; the others keep what they had.
  const freeze = (ms: readonly string[]) => {
    for (const m of ms) {
      if (members.get(m)?.revision === state.target) assign.set(m, state.target);
      else keep([m]);
    }
  };

  let blocked: WavePhase | undefined; // set once a wave stops the ones after it
  for (const wave of waves) {
    if (blocked) {
      keep(wave.members);
      statuses.push({ name: wave.name, phase: 'Pending', members: wave.members });
      continue;
    }
    if (state.aborted) {
      keepPrevious(wave.members);
      statuses.push({ name: wave.name, phase: 'Aborted', members: wave.members });
      continue;
    }
    const failure = next.halted?.wave === wave.name ? undefined : firstFailure(wave, input);
    if (failure) next = { ...next, halted: { wave: wave.name, ...(failure.member ? { member: failure.member } : {}), reason: failure.reason, at: now } };
    if (next.halted?.wave === wave.name) {
      const rollback = input.failurePolicy === 'rollback';
      if (rollback) keepPrevious(wave.members);
      else freeze(wave.members);
      statuses.push({ name: wave.name, phase: rollback ? 'RolledBack' : 'Halted', members: wave.members });
      blocked = 'Halted';
      continue;
    }

    const onTarget = wave.members.filter((m) => members.get(m)?.revision === state.target);
    const ready = onTarget.filter((m) => members.get(m)?.health === 'Ready');
    if (ready.length < wave.members.length) {
      // Updated members that are not Ready yet count against maxConcurrent; give the target to more as they settle.
      const inFlight = onTarget.length - ready.length;
      let room = (wave.maxConcurrent ?? wave.members.length) - inFlight;
      for (const m of wave.members) {
        if (onTarget.includes(m)) assign.set(m, state.target);
        else if (room > 0) {
          assign.set(m, state.target);
          room--;
        } else keep([m]);
      }
      for (const m of onTarget) {
        const o = members.get(m)!;
        if (o.health !== 'Ready' && o.updatedAt !== undefined) wake(Math.max(o.updatedAt, state.resumedAt ?? 0) + wave.timeoutMs);
      }
      statuses.push({ name: wave.name, phase: 'Progressing', members: wave.members });
      blocked = 'Progressing';
      continue;
    }
    for (const m of wave.members) assign.set(m, state.target);
    const allReadySince = Math.max(...wave.members.map((m) => members.get(m)?.readySince ?? now));
    const soakEnds = allReadySince + wave.soakMs;
    if (now < soakEnds) {
      wake(soakEnds);
      statuses.push({ name: wave.name, phase: 'Soaking', members: wave.members, soakLeftMs: soakEnds - now });
      blocked = 'Soaking';
      continue;
    }
    if (wave.manualGate && !state.promoted.includes(wave.name)) {
      statuses.push({ name: wave.name, phase: 'AwaitingPromotion', members: wave.members });
      blocked = 'AwaitingPromotion';
      continue;
    }
    statuses.push({ name: wave.name, phase: 'Passed', members: wave.members });
  }
  const complete = !state.aborted && statuses.every((s) => s.phase === 'Passed');
  return { assign, waves: statuses, state: next, complete, ...(wakeAt !== undefined ? { wakeAt } : {}) };
}

/** The first member of the wave that failed on the target since the last resume, and why. */
function firstFailure(wave: ResolvedWave, input: PlanInput): { member?: string; reason: string } | undefined {
  const { state, members, now } = input;
  for (const m of wave.members) {
    const o = members.get(m);
    if (!o || o.revision !== state.target) continue;
    if (o.health === 'Failed' && (o.updatedAt ?? now) >= (state.resumedAt ?? 0)) {
      return { member: m, reason: `${m} failed at ${short(state.target)}${o.message ? `: ${o.message}` : ''}` };
    }
    const since = Math.max(o.updatedAt ?? now, state.resumedAt ?? 0);
    if (o.health !== 'Ready' && now - since >= wave.timeoutMs) {
      return { member: m, reason: `${m} not Ready ${Math.round(wave.timeoutMs / 1000)}s after ${short(state.target)} was applied${o.message ? `: ${o.message}` : ''}` };
    }
  }
  return undefined;
}

const short = (rev: string) => rev.slice(0, 7);

/** `gitfed rollout promote <wave>`: opens the wave's manual gate (all gates when none is named). */
export function promote(state: RolloutState, waves: readonly ResolvedWave[], wave?: string): RolloutState {
  const open = wave === undefined ? waves.filter((w) => w.manualGate).map((w) => w.name) : [wave];
  return { ...state, promoted: [...new Set([...state.promoted, ...open])] };
}

/** `gitfed rollout resume`: clears a halt; failures seen before now no longer count. */
export function resume(state: RolloutState, now: number): RolloutState {
  const { halted: _h, aborted: _a, ...rest } = state;
  return { ...rest, resumedAt: now };
}

/** `gitfed rollout abort`: every member back to the last good revision; nothing advances until resume or a new revision. */
export function abort(state: RolloutState): RolloutState {
  return { ...state, aborted: true };
}
