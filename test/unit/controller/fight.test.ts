import { describe, expect, it } from 'vitest';
import { countActions, type MemberReport, type ObjectStatus } from '../../../src/apply/status/report.js';
import { correctionOf, FightDetector, fightingReport } from '../../../src/controller/fight.js';
import { eventsOf } from '../../../src/controller/events.js';

const corrected: ObjectStatus = { key: '/ConfigMap/shop/cfg', object: 'ConfigMap/shop/cfg', action: 'configured', message: 'drift corrected: /data/a', taken: ['.data.a from "other-controller"'] };
const quiet: ObjectStatus = { key: '/ConfigMap/shop/cfg', object: 'ConfigMap/shop/cfg', action: 'unchanged' };
const report = (objects: ObjectStatus[], over: Partial<MemberReport> = {}): MemberReport => ({ cluster: 'm', context: 'm', state: 'Synced', health: 'Ready', lastAttempt: 't', counts: countActions(objects), objects, ...over });
const OPTS = { windowMs: 60_000, corrections: 3, backoffMs: 10_000, maxBackoffMs: 40_000 };

describe('fight detection', () => {
  it('reads a correction and the manager it was taken from', () => {
    expect(correctionOf(corrected)).toEqual({ fields: ['/data/a'], managers: ['other-controller'] });
    expect(correctionOf(quiet)).toBeUndefined();
    expect(correctionOf({ ...corrected, action: 'failed' })).toBeUndefined();
  });

  it('calls the third correction within the window a fight, names field and manager, and pauses', () => {
    const d = new FightDetector(OPTS);
    expect(d.observe('m', report([corrected]), 0)).toBeUndefined();
    expect(d.observe('m', report([corrected]), 1000)).toBeUndefined();
    const f = d.observe('m', report([corrected]), 2000)!;
    expect(f).toEqual({ object: 'ConfigMap/shop/cfg', fields: ['/data/a'], managers: ['other-controller'], corrections: 3, until: 12_000 });
    expect(d.pausing('m', 11_999)).toBe(true);
    expect(d.pausing('m', 12_000)).toBe(false);
    const r = fightingReport(report([corrected]), f, 2000);
    expect(r.state).toBe('Fighting');
    expect(r.message).toBe('ConfigMap/shop/cfg: /data/a changed back by field manager "other-controller" (3 corrections); drift corrections paused until 1970-01-01T00:00:12.000Z');
  });

  it('pauses longer each time the fight resumes, up to the limit', () => {
    const d = new FightDetector(OPTS);
    let t = 0;
    const pauses: number[] = [];
    for (let round = 0; round < 4; round++) {
      let f;
      for (let i = 0; i < 3; i++) f = d.observe('m', report([corrected]), (t += 1000));
      pauses.push(f!.until - t);
      t = f!.until;
    }
    expect(pauses).toEqual([10_000, 20_000, 40_000, 40_000]);
  });

  it('is over after a quiet window, and corrections spread out are no fight', () => {
    const d = new FightDetector(OPTS);
    for (const t of [0, 1000, 2000]) d.observe('m', report([corrected]), t);
    expect(d.observe('m', report([quiet]), 20_000)).toBeDefined();
    expect(d.observe('m', report([quiet]), 70_000)).toBeUndefined();
    const calm = new FightDetector(OPTS);
    for (const t of [0, 40_000, 80_000, 120_000]) expect(calm.observe('m', report([corrected]), t)).toBeUndefined();
  });

  it('leaves a failed or unreachable member as it is', () => {
    const f = { object: 'x', fields: ['/a'], managers: [], corrections: 3, until: 5 };
    expect(fightingReport(report([], { state: 'Failed' }), f, 0).state).toBe('Failed');
    expect(fightingReport(report([]), f, 10).message).toBe('x: /a changed back by another field manager (3 corrections)');
  });
});

describe('events of a reconcile', () => {
  it('tell failures, drift, prunes and a new fight, a few per reason', () => {
    const failed = Array.from({ length: 7 }, (_, i): ObjectStatus => ({ key: `/ConfigMap/s/f${i}`, object: `ConfigMap/s/f${i}`, action: 'failed', message: 'denied' }));
    const pruned: ObjectStatus = { key: '/ConfigMap/s/old', object: 'ConfigMap/s/old', action: 'pruned' };
    const drifted: ObjectStatus = { key: '/ConfigMap/s/d', object: 'ConfigMap/s/d', action: 'unchanged', drift: ['/data/x'], message: 'drifted; not corrected (drift policy report)' };
    const lines = eventsOf(report([...failed, pruned, drifted, corrected], { state: 'Fighting', message: 'fight!' }), report([]));
    expect(lines.map((l) => [l.reason, l.type])).toEqual([...Array(6).fill(['ApplyFailed', 'Warning']), ['DriftCorrected', 'Normal'], ['Drifted', 'Warning'], ['Pruned', 'Normal'], ['Fighting', 'Warning']]);
    expect(lines[5]!.message).toBe('and 2 more');
    expect(lines[6]!.message).toBe('ConfigMap/shop/cfg: drift corrected: /data/a; took .data.a from "other-controller"');
    // A fight already told is not told again.
    expect(eventsOf(report([], { state: 'Fighting' }), report([], { state: 'Fighting' }))).toEqual([]);
  });
});
