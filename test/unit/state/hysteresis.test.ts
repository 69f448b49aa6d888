import { describe, expect, it } from 'vitest';
import { decide, stateCommitMessage, type Observation } from '../../../src/state/hysteresis.js';
import type { WorkloadState } from '../../../src/state/model.js';

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
