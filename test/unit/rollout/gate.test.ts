import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRolloutFile, RolloutGate, writeRolloutFile, type MemberSeen } from '../../../src/rollout/gate.js';
import { abort, resume } from '../../../src/rollout/planner.js';
import type { ResolvedWave } from '../../../src/rollout/policy.js';
import { formatRolloutStatus } from '../../../src/rollout/status-table.js';

const WAVES: ResolvedWave[] = [
  { name: 'canary', members: ['a'], soakMs: 5000, timeoutMs: 20_000, manualGate: false },
  { name: 'rest', members: ['b', 'c'], soakMs: 0, timeoutMs: 20_000, manualGate: false },
];

function clockedGate(file: string | null) {
  let t = 1_000_000;
  const gate = new RolloutGate({ waves: WAVES, failurePolicy: 'halt', file, now: () => t });
  return { gate, tick: (ms: number) => (t += ms) };
}
const seen = (entries: Record<string, MemberSeen>) => new Map(Object.entries(entries));
const assigned = (plan: ReturnType<RolloutGate['plan']>) => Object.fromEntries(plan!.assign);

describe('the rollout gate', () => {
  it('rolls the first head out wave by wave, leaving later members alone until their turn', () => {
    const { gate } = clockedGate(null);
    gate.onHead('h1');
    expect(assigned(gate.plan(seen({ a: { health: 'Unknown' }, b: { health: 'Unknown' }, c: { health: 'Unknown' } })))).toEqual({ a: 'h1' });
  });

  it('measures the soak from when it first saw the member Ready, and makes a completed head the last good one', () => {
    const { gate, tick } = clockedGate(null);
    gate.onHead('h1');
    const all = (rev: string, health: MemberSeen['health'] = 'Ready') => seen({ a: { revision: rev, health }, b: { revision: rev, health }, c: { revision: rev, health } });
    expect(gate.plan(all('h1'))!.waves.map((w) => w.phase)).toEqual(['Soaking', 'Pending']);
    tick(5000);
    expect(gate.plan(all('h1'))!.complete).toBe(true);
    gate.onHead('h2');
    const plan = gate.plan(all('h1'))!;
    expect(plan.state.previous).toBe('h1');
    expect(assigned(plan)).toEqual({ a: 'h2', b: 'h1', c: 'h1' });
    // Progressing on h2 for longer than the timeout: halted, reported with the member's message.
    gate.plan(seen({ a: { revision: 'h2', health: 'Progressing', message: 'Deployment/x/web: Progressing' }, b: { revision: 'h1', health: 'Ready' }, c: { revision: 'h1', health: 'Ready' } }));
    tick(20_000);
    const halted = gate.plan(seen({ a: { revision: 'h2', health: 'Progressing', message: 'Deployment/x/web: Progressing' }, b: { revision: 'h1', health: 'Ready' }, c: { revision: 'h1', health: 'Ready' } }))!;
    expect(halted.state.halted?.reason).toBe('a not Ready 20s after h2 was applied: Deployment/x/web: Progressing');
  });

  it('replacing a rollout still under way keeps what it gave: no wave goes back to an older head', () => {
    const { gate, tick } = clockedGate(null);
    const on = (a: string, b: string, c: string, health: MemberSeen['health'] = 'Ready') => seen({ a: { revision: a, health }, b: { revision: b, health }, c: { revision: c, health } });
    gate.onHead('h1');
    gate.plan(on('h1', 'h1', 'h1'));
    tick(5000);
    expect(gate.plan(on('h1', 'h1', 'h1'))!.complete).toBe(true);
    gate.onHead('h2');
    gate.plan(on('h2', 'h1', 'h1'));
    tick(5000);
    // The canary passed; the rest were given h2 and are not seen Ready yet when h3 comes.
    expect(assigned(gate.plan(seen({ a: { revision: 'h2', health: 'Ready' }, b: { revision: 'h2', health: 'Progressing' }, c: { revision: 'h2', health: 'Progressing' } })))).toEqual({ a: 'h2', b: 'h2', c: 'h2' });
    gate.onHead('h3');
    expect(gate.lastGood).toBe('h1');
    const plan = gate.plan(seen({ a: { revision: 'h2', health: 'Ready' }, b: { revision: 'h2', health: 'Ready' }, c: { revision: 'h2', health: 'Ready' } }))!;
    expect(plan.state.previous).toBe('h1');
    expect(assigned(plan)).toEqual({ a: 'h3', b: 'h2', c: 'h2' });
    // A head after a rollout that completed holds nothing: the last good one is what the others run.
    gate.plan(on('h3', 'h2', 'h2'));
    tick(5000);
    gate.plan(on('h3', 'h2', 'h2'));
    expect(gate.plan(on('h3', 'h3', 'h3'))!.complete).toBe(true);
    gate.onHead('h4');
    const after = gate.plan(on('h3', 'h3', 'h3'))!;
    expect(after.state.held).toBeUndefined();
    expect(assigned(after)).toEqual({ a: 'h4', b: 'h3', c: 'h3' });
  });

  it('keeps its state in a file that the CLI edits: abort and resume reach a running gate', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gitfed-gate-')), 'rollout.json');
    const { gate, tick } = clockedGate(file);
    gate.onHead('h1');
    const ready = seen({ a: { revision: 'h1', health: 'Ready' }, b: { revision: 'h1', health: 'Ready' }, c: { revision: 'h1', health: 'Ready' } });
    gate.plan(ready);
    tick(5000);
    gate.plan(ready);
    gate.onHead('h2');
    const failed = seen({ a: { revision: 'h2', health: 'Failed', message: 'boom' }, b: { revision: 'h1', health: 'Ready' }, c: { revision: 'h1', health: 'Ready' } });
    expect(gate.plan(failed)!.waves[0]!.phase).toBe('Halted');
    expect(formatRolloutStatus(readRolloutFile(file)!)).toContain('halted at wave canary: a failed at h2: boom');

    const r = readRolloutFile(file)!;
    writeRolloutFile(file, { ...r, rollout: abort(r.rollout!) });
    expect(assigned(gate.plan(failed))).toEqual({ a: 'h1', b: 'h1', c: 'h1' });

    tick(1000);
    const r2 = readRolloutFile(file)!;
    writeRolloutFile(file, { ...r2, rollout: resume(r2.rollout!, 1_000_000 + 26_000) });
    // The failure was seen before the resume: forgiven; the canary gets h2 again.
    const back = gate.plan(seen({ a: { revision: 'h1', health: 'Ready' }, b: { revision: 'h1', health: 'Ready' }, c: { revision: 'h1', health: 'Ready' } }))!;
    expect(back.state.halted).toBeUndefined();
    expect(assigned(back)).toEqual({ a: 'h2', b: 'h1', c: 'h1' });
    // A new gate over the same file (the daemon restarted) carries on with the same rollout.
    const again = new RolloutGate({ waves: WAVES, failurePolicy: 'halt', file, now: () => 1_000_000 + 27_000 });
    expect(again.target).toBe('h2');
    expect(again.lastGood).toBe('h1');
  });

  it('refuses a state file that is not one', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gitfed-gate-')), 'rollout.json');
    fs.writeFileSync(file, '[1, 2]');
    expect(() => readRolloutFile(file)).toThrow(/is not a rollout state file/);
  });
});

describe('withRolloutLock', () => {
  it('runs under <file>.lock, removes it after, and takes over a lock left by a killed process', async () => {
    const { mkdtempSync, writeFileSync, existsSync, utimesSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { withRolloutLock } = await import('../../../src/rollout/gate.js');
    const file = join(mkdtempSync(join(tmpdir(), 'gitfed-lock-')), 'rollout.json');
    expect(withRolloutLock(file, () => existsSync(`${file}.lock`))).toBe(true);
    expect(existsSync(`${file}.lock`)).toBe(false);
    writeFileSync(`${file}.lock`, '');
    utimesSync(`${file}.lock`, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    expect(withRolloutLock(file, () => 'ran')).toBe('ran');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
