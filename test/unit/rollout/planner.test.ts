import { describe, expect, it } from 'vitest';
import { abort, planRollout, promote, resume, startRollout, type MemberObservation, type PlanInput, type RolloutState } from '../../../src/rollout/planner.js';
import type { ResolvedWave } from '../../../src/rollout/policy.js';

const OLD = 'aaaaaaa1111';
const NEW = 'bbbbbbb2222';
const S = 1000;

function wave(name: string, members: string[], extra: Partial<ResolvedWave> = {}): ResolvedWave {
  return { name, members, soakMs: 10 * S, timeoutMs: 60 * S, manualGate: false, ...extra };
}
const WAVES = [wave('canary', ['m1']), wave('two', ['m2', 'm3']), wave('three', ['m4', 'm5', 'm6'], { maxConcurrent: 2 })];
const ALL = WAVES.flatMap((w) => w.members);

const onOld = (): MemberObservation => ({ revision: OLD, health: 'Ready', updatedAt: 0, readySince: 0 });
const ready = (at: number): MemberObservation => ({ revision: NEW, health: 'Ready', updatedAt: at, readySince: at });
const progressing = (at: number, message?: string): MemberObservation => ({ revision: NEW, health: 'Progressing', updatedAt: at, ...(message ? { message } : {}) });

function input(state: RolloutState, obs: Record<string, MemberObservation>, now: number, extra: Partial<PlanInput> = {}): PlanInput {
  const members = new Map(ALL.map((m) => [m, obs[m] ?? onOld()]));
  return { waves: WAVES, failurePolicy: 'halt', state, members, now, ...extra };
}
const revisions = (plan: ReturnType<typeof planRollout>) => ALL.map((m) => (plan.assign.get(m) === NEW ? 'new' : plan.assign.get(m) === OLD ? 'old' : '-'));
const phases = (plan: ReturnType<typeof planRollout>) => plan.waves.map((w) => w.phase);

describe('the rollout planner', () => {
  const start = startRollout(NEW, OLD, 100 * S);

  it('gives the new revision to the canary only, the others keep the last good one', () => {
    const plan = planRollout(input(start, {}, 100 * S));
    expect(revisions(plan)).toEqual(['new', 'old', 'old', 'old', 'old', 'old']);
    expect(phases(plan)).toEqual(['Progressing', 'Pending', 'Pending']);
    expect(plan.complete).toBe(false);
  });

  it('holds the next wave until the canary has soaked, and says when to look again', () => {
    const plan = planRollout(input(start, { m1: ready(105 * S) }, 110 * S));
    expect(phases(plan)).toEqual(['Soaking', 'Pending', 'Pending']);
    expect(plan.waves[0]!.soakLeftMs).toBe(5 * S);
    expect(plan.wakeAt).toBe(115 * S);
    expect(revisions(plan)).toEqual(['new', 'old', 'old', 'old', 'old', 'old']);
  });

  it('counts the soak from the last member of a wave to become Ready', () => {
    const plan = planRollout(input(start, { m1: ready(101 * S), m2: ready(112 * S), m3: ready(120 * S) }, 125 * S));
    expect(phases(plan)).toEqual(['Passed', 'Soaking', 'Pending']);
    expect(plan.waves[1]!.soakLeftMs).toBe(5 * S);
  });

  it('updates at most maxConcurrent members of a wave at once', () => {
    const obs = { m1: ready(101 * S), m2: ready(112 * S), m3: ready(112 * S) };
    let plan = planRollout(input(start, obs, 130 * S));
    expect(revisions(plan)).toEqual(['new', 'new', 'new', 'new', 'new', 'old']);
    // One of the two settles: the third gets its turn.
    plan = planRollout(input(start, { ...obs, m4: ready(131 * S), m5: progressing(131 * S) }, 132 * S));
    expect(revisions(plan)).toEqual(['new', 'new', 'new', 'new', 'new', 'new']);
    expect(phases(plan)).toEqual(['Passed', 'Passed', 'Progressing']);
  });

  it('completes when every wave has passed its gate', () => {
    const obs = Object.fromEntries(ALL.map((m) => [m, ready(101 * S)]));
    const plan = planRollout(input(start, obs, 200 * S));
    expect(plan.complete).toBe(true);
    expect(revisions(plan)).toEqual(ALL.map(() => 'new'));
  });

  it('halts at the canary when it fails, leaving the later waves on the old revision', () => {
    const plan = planRollout(input(start, { m1: { ...progressing(101 * S), health: 'Failed', message: 'Deployment/web: ProgressDeadlineExceeded' } }, 103 * S));
    expect(phases(plan)).toEqual(['Halted', 'Pending', 'Pending']);
    expect(revisions(plan)).toEqual(['new', 'old', 'old', 'old', 'old', 'old']);
    expect(plan.state.halted).toEqual({ wave: 'canary', member: 'm1', reason: 'm1 failed at bbbbbbb: Deployment/web: ProgressDeadlineExceeded', at: 103 * S });
  });

  it('halts when a readiness never comes within the timeout, and stays halted', () => {
    const before = planRollout(input(start, { m1: progressing(101 * S) }, 160 * S));
    expect(phases(before)).toEqual(['Progressing', 'Pending', 'Pending']);
    expect(before.wakeAt).toBe(161 * S);
    const plan = planRollout(input(start, { m1: progressing(101 * S, 'Deployment/web: 0/1 ready') }, 161 * S));
    expect(plan.state.halted?.reason).toBe('m1 not Ready 60s after bbbbbbb was applied: Deployment/web: 0/1 ready');
    // The member turns Ready later: the halt is sticky until resume.
    const later = planRollout(input(plan.state, { m1: ready(170 * S) }, 300 * S));
    expect(phases(later)).toEqual(['Halted', 'Pending', 'Pending']);
    const resumed = planRollout(input(resume(plan.state, 301 * S), { m1: ready(170 * S) }, 301 * S));
    expect(phases(resumed)).toEqual(['Passed', 'Progressing', 'Pending']);
  });

  it('rolls the failed wave back to the last good revision with failurePolicy rollback', () => {
    const obs = { m1: ready(101 * S), m2: ready(112 * S), m3: { ...progressing(112 * S), health: 'Failed' as const } };
    const plan = planRollout(input(start, obs, 113 * S, { failurePolicy: 'rollback' }));
    expect(phases(plan)).toEqual(['Passed', 'RolledBack', 'Pending']);
    expect(revisions(plan)).toEqual(['new', 'old', 'old', 'old', 'old', 'old']);
  });

  it('waits at a manual gate until promoted', () => {
    const waves = [wave('canary', ['m1'], { manualGate: true }), ...WAVES.slice(1)];
    const obs = { m1: ready(101 * S) };
    const plan = planRollout(input(start, obs, 200 * S, { waves }));
    expect(phases(plan)).toEqual(['AwaitingPromotion', 'Pending', 'Pending']);
    const promoted = planRollout(input(promote(start, waves), obs, 200 * S, { waves }));
    expect(phases(promoted)).toEqual(['Passed', 'Progressing', 'Pending']);
  });

  it('puts every member back on the last good revision on abort', () => {
    const plan = planRollout(input(abort(start), { m1: ready(101 * S), m2: ready(112 * S), m3: ready(112 * S) }, 130 * S));
    expect(phases(plan)).toEqual(['Aborted', 'Aborted', 'Aborted']);
    expect(revisions(plan)).toEqual(ALL.map(() => 'old'));
    expect(plan.complete).toBe(false);
  });

  it('starts a new revision from the first wave; the members the replaced one reached keep it until their turn', () => {
    const NEWER = 'ccccccc3333';
    // The replaced rollout had given NEW to the canary and wave two; wave three still had OLD.
    const newer = startRollout(NEWER, OLD, 130 * S, { m1: NEW, m2: NEW, m3: NEW, m4: OLD });
    expect(newer.held).toEqual({ m1: NEW, m2: NEW, m3: NEW });
    const plan = planRollout(input(newer, { m1: ready(101 * S), m2: ready(112 * S), m3: ready(112 * S) }, 131 * S));
    expect(ALL.map((m) => plan.assign.get(m))).toEqual([NEWER, NEW, NEW, OLD, OLD, OLD]);
    // Halted at the canary: the waves after it still keep what they were given, not the last good one.
    const halted = planRollout(input(newer, { m1: { revision: NEWER, health: 'Failed', updatedAt: 131 * S, message: 'boom' }, m2: ready(112 * S), m3: ready(112 * S) }, 132 * S));
    expect(phases(halted)).toEqual(['Halted', 'Pending', 'Pending']);
    expect(ALL.map((m) => halted.assign.get(m))).toEqual([NEWER, NEW, NEW, OLD, OLD, OLD]);
    // Abort and rollback mean the last good revision, held or not.
    const aborted = planRollout(input(abort(newer), { m1: ready(131 * S), m2: ready(112 * S) }, 133 * S));
    expect(ALL.map((m) => aborted.assign.get(m))).toEqual(ALL.map(() => OLD));
    const rolledBack = planRollout(input(newer, { m1: { revision: NEWER, health: 'Failed', updatedAt: 131 * S }, m2: ready(112 * S) }, 132 * S, { failurePolicy: 'rollback' }));
    expect(ALL.map((m) => rolledBack.assign.get(m))).toEqual([OLD, NEW, NEW, OLD, OLD, OLD]);
    // Once its wave's turn comes, a held member gets the newest revision like any other.
    const later = planRollout(input(newer, { m1: { revision: NEWER, health: 'Ready', updatedAt: 131 * S, readySince: 131 * S }, m2: ready(112 * S), m3: ready(112 * S) }, 142 * S));
    expect(ALL.map((m) => later.assign.get(m))).toEqual([NEWER, NEWER, NEWER, OLD, OLD, OLD]);
  });

  it('leaves a member alone that has no last good revision until its wave', () => {
    const first = startRollout(NEW, undefined, 0);
    const plan = planRollout(input(first, {}, 0));
    expect(revisions(plan)).toEqual(['new', '-', '-', '-', '-', '-']);
  });
});
