import { describe, expect, it } from 'vitest';
import { decide, stateCommitMessage, type Observation, type Rising } from '../../../src/state/hysteresis.js';
import type { MemberState, WorkloadState } from '../../../src/state/model.js';

const T0 = Date.parse('2026-01-01T00:00:00Z') / 1000;
const KEY = 'apps/Deployment/shop/web';
const w = (fit: number, unschedulable = 0, current = 4): WorkloadState => ({ desired: 4 + unschedulable, ready: current, current, pending: unschedulable, unschedulable, fit });
const obs = (fit: number, extra: Partial<Observation> = {}, unschedulable = 0): Observation => ({ cluster: 'onprem-dc1', ready: true, free: { pods: '100' }, workloads: { [KEY]: w(fit, unschedulable) }, ...extra });
const opts = { dwellSeconds: 300 };

describe('state hysteresis', () => {
  it('the first observation is committed and says so', () => {
    const d = decide(undefined, obs(9), T0, opts);
    expect(d.commit).toBe(true);
    expect(d.state.changedAt).toBe('2026-01-01T00:00:00Z');
    expect(d.changes).toEqual(['onprem-dc1: first observation, ready, 1 federated workload(s)']);
  });
  it('less room is committed at once, with the sentence the issue asks for', () => {
    const first = decide(undefined, obs(9), T0, opts).state;
    const d = decide(first, obs(5), T0 + 1, opts);
    expect(d.commit).toBe(true);
    expect(d.changes).toEqual(['onprem-dc1: room for 5 more shop/web, was 9']);
    expect(d.state.workloads[KEY]!.fit).toBe(5);
  });
  it('more room waits for the dwell time, then is committed', () => {
    const first = decide(undefined, obs(0), T0, opts).state;
    const early = decide(first, obs(5), T0 + 299, opts);
    expect(early.commit).toBe(false);
    expect(early.state).toBe(first);
    expect(early.held[0]).toContain('after 2026-01-01T00:05:00Z');
    const late = decide(first, obs(5), T0 + 300, opts);
    expect(late.commit).toBe(true);
    expect(late.state.workloads[KEY]!.fit).toBe(5);
  });
  it('a rise smaller than the band is no change', () => {
    const first = decide(undefined, obs(4), T0, opts).state;
    expect(decide(first, obs(5), T0 + 1000, { dwellSeconds: 300, band: 2 }).commit).toBe(false);
    expect(decide(first, obs(6), T0 + 1000, { dwellSeconds: 300, band: 2 }).commit).toBe(true);
  });
  it('free resources alone never make a commit', () => {
    const first = decide(undefined, obs(4), T0, opts).state;
    expect(decide(first, obs(4, { free: { pods: '3' } }), T0 + 1000, opts).commit).toBe(false);
  });
  it('readiness lost is committed at once; back only after the dwell time', () => {
    const first = decide(undefined, obs(4), T0, opts).state;
    const down = decide(first, obs(4, { ready: false }), T0 + 10, opts);
    expect(down.commit).toBe(true);
    expect(down.state.readySince).toBe('2026-01-01T00:00:10Z');
    expect(down.changes[0]).toBe('onprem-dc1: not ready, was ready since 2026-01-01T00:00:00Z');
    expect(decide(down.state, obs(4), T0 + 20, opts).commit).toBe(false);
    const up = decide(down.state, obs(4), T0 + 310, opts);
    expect(up.commit).toBe(true);
    expect(up.state.ready).toBe(true);
  });
  it('capacity oscillating around a threshold moves back at most once per dwell time', () => {
    let s = decide(undefined, obs(1), T0, opts).state;
    const commitsBack: number[] = [];
    // Every 10 s the fit flips between 0 and 1 for an hour.
    for (let t = 10; t <= 3600; t += 10) {
      const d = decide(s, obs(t % 20 === 0 ? 1 : 0), T0 + t, opts);
      if (d.commit && d.state.workloads[KEY]!.fit > s.workloads[KEY]!.fit) commitsBack.push(t);
      s = d.state;
    }
    expect(commitsBack.length).toBeGreaterThan(0);
    for (let i = 1; i < commitsBack.length; i++) expect(commitsBack[i]! - commitsBack[i - 1]!).toBeGreaterThanOrEqual(300);
  });
  it('more unschedulable pods are committed at once', () => {
    const first = decide(undefined, obs(0), T0, opts).state;
    const d = decide(first, obs(0, {}, 6), T0 + 1, opts);
    expect(d.changes).toContain('onprem-dc1: 6 shop/web replica(s) unschedulable, was 0');
    expect(d.changes).toContain('onprem-dc1: 6 shop/web replica(s) pending, was 0');
  });
  it('fewer pending pods wait for the dwell time: replicas come back only after it', () => {
    const full = decide(decide(undefined, obs(0), T0, opts).state, obs(0, {}, 6), T0 + 1, opts).state;
    const early = decide(full, obs(0, {}, 0), T0 + 100, opts);
    expect(early.state.workloads[KEY]!.pending).toBe(6);
    expect(early.held.join('\n')).toContain('0 shop/web pending (committed 6)');
    expect(decide(full, obs(0, {}, 0), T0 + 301, opts).state.workloads[KEY]!.pending).toBe(0);
  });
  it('the commit message names the first change and lists all', () => {
    expect(stateCommitMessage(['a: x', 'b: y'])).toBe('a: x (and 1 more)\n\n- a: x\n- b: y\n');
  });

  it('a member that stays not ready is committed again at marks of how long (30 s, 1, 2, 3, 5, 10 min, ...), so renders see tolerations run out', () => {
    const down = decide(decide(undefined, obs(5), T0, opts).state, obs(5, { ready: false }), T0 + 10, opts);
    expect(down.changes).toEqual(['onprem-dc1: not ready, was ready since 2026-01-01T00:00:00Z']);
    let doc = down.state;
    const step = (t: number) => {
      const d = decide(doc, obs(5, { ready: false }), T0 + 10 + t, opts);
      doc = d.state;
      return d.commit ? d.changes : [];
    };
    expect(step(29)).toEqual([]);
    expect(step(30)).toEqual(['onprem-dc1: still not ready, for 30s']);
    expect(step(45)).toEqual([]);
    expect(step(250)).toEqual(['onprem-dc1: still not ready, for 3m']);
    expect(doc.changedAt).toBe('2026-01-01T00:04:20Z');
    expect(doc.readySince).toBe('2026-01-01T00:00:10Z');
    expect(step(299)).toEqual([]);
    expect(step(300)).toEqual(['onprem-dc1: still not ready, for 5m']);
    expect(step(7300)).toEqual(['onprem-dc1: still not ready, for 2h']);
    expect(step(7400)).toEqual([]);
  });
});

describe('state hysteresis with what earlier observations saw (rising)', () => {
  /** Observes `fits` at the given times in turn, carrying `rising` as observe does; returns the commits. */
  function run(start: MemberState, steps: readonly [number, Observation][]): { t: number; changes: readonly string[] }[] {
    let doc = start;
    let rising: Rising = {};
    const commits: { t: number; changes: readonly string[] }[] = [];
    for (const [t, o] of steps) {
      const d = decide(doc, o, T0 + t, { ...opts, rising });
      if (d.commit) commits.push({ t, changes: d.changes });
      doc = d.state;
      rising = d.rising;
    }
    return commits;
  }

  it('without it, room seen once after the dwell time moves replicas back, and the next moment away again (the flap)', () => {
    let s = decide(undefined, obs(1), T0, opts).state;
    const commits: number[] = [];
    for (let t = 10; t <= 620; t += 10) {
      const d = decide(s, obs(t % 20 === 0 ? 1 : 0), T0 + t, opts);
      if (d.commit) commits.push(t);
      s = d.state;
    }
    // Away at 10 s, back at the first room seen after the dwell time (320 s), away again 10 s later:
    // two moves within one dwell time.
    expect(commits.slice(0, 3)).toEqual([10, 320, 330]);
  });

  it('room that comes back for moments, every 10 s for an hour, never moves replicas back; once it stands for the dwell time, it does', () => {
    const first = decide(undefined, obs(1), T0, opts).state;
    const steps: [number, Observation][] = [];
    for (let t = 10; t <= 3600; t += 10) steps.push([t, obs(t % 20 === 0 ? 1 : 0)]);
    for (let t = 3610; t <= 4000; t += 10) steps.push([t, obs(1)]);
    const commits = run(first, steps);
    // Away at once; back when room has been seen in every observation since 3600 s for 300 s.
    expect(commits).toEqual([
      { t: 10, changes: ['onprem-dc1: room for 0 more shop/web, was 1'] },
      { t: 3900, changes: ['onprem-dc1: room for 1 more shop/web, was 0'] },
    ]);
  });

  it('the room committed is the least seen over the dwell time', () => {
    const first = decide(undefined, obs(0), T0, opts).state;
    const commits = run(first, [[10, obs(5)], [100, obs(3)], [200, obs(4)], [309, obs(6)], [310, obs(6)]]);
    expect(commits).toEqual([{ t: 310, changes: ['onprem-dc1: room for 3 more shop/web, was 0'] }]);
  });

  it('a rise smaller than the band breaks the run: it starts again', () => {
    const first = decide(undefined, obs(0), T0, opts).state;
    const commits = run(first, [[10, obs(5)], [100, obs(0)], [200, obs(5)], [310, obs(5)], [500, obs(5)]]);
    expect(commits).toEqual([{ t: 500, changes: ['onprem-dc1: room for 5 more shop/web, was 0'] }]);
  });

  it('the document\'s own age still counts: a rise seen for the dwell time waits for a change committed meanwhile', () => {
    const first = decide(undefined, obs(0), T0, opts).state;
    const counts = (fit: number, current: number) => ({ ...obs(fit), workloads: { [KEY]: w(fit, 0, current) } });
    const commits = run(first, [[10, counts(5, 4)], [200, counts(5, 3)], [310, counts(5, 3)], [500, counts(5, 3)]]);
    expect(commits.map((c) => c.t)).toEqual([200, 500]);
    expect(commits[1]!.changes).toEqual(['onprem-dc1: room for 5 more shop/web, was 0']);
  });

  it('fewer pending pods count once every observation of the dwell time saw fewer, at the most seen', () => {
    const pend = (n: number): Observation => ({ ...obs(0), workloads: { [KEY]: { desired: 10, ready: 4, current: 4, pending: n, unschedulable: n, fit: 0 } } });
    const full = decide(undefined, pend(6), T0, opts).state;
    const commits = run(full, [[10, pend(0)], [20, pend(6)], [30, pend(0)], [200, pend(2)], [330, pend(0)]]);
    expect(commits).toHaveLength(1);
    expect(commits[0]!.t).toBe(330);
    expect(commits[0]!.changes).toContain('onprem-dc1: 2 shop/web replica(s) pending, was 6');
  });

  it('readiness flapping: lost at once each time, back only after the dwell time of ready observations', () => {
    const first = decide(undefined, obs(0), T0, opts).state;
    const steps: [number, Observation][] = [];
    for (let t = 10; t <= 600; t += 10) steps.push([t, obs(0, { ready: t % 20 === 0 })]);
    for (let t = 610; t <= 1000; t += 10) steps.push([t, obs(0)]);
    const commits = run(first, steps);
    expect(commits.map((c) => c.changes[0]!.replace(/ since .*/, ''))).toEqual(['onprem-dc1: not ready, was ready', 'onprem-dc1: still not ready, for 30s', 'onprem-dc1: still not ready, for 1m', 'onprem-dc1: still not ready, for 2m', 'onprem-dc1: still not ready, for 3m', 'onprem-dc1: still not ready, for 5m', 'onprem-dc1: ready again, was not ready']);
    // Ready in every observation from 600 s on: committed 300 s later.
    expect(commits.at(-1)!.t).toBe(900);
  });
});
