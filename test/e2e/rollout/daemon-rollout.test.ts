/**
 * Progressive delivery through gitfed's own daemon, on real members: three waves over six
 * members (the run's three plus three more on one shared etcd, without scheduler or kwok). A good
 * change passes every gate wave after wave; a change whose canary never becomes Ready (a
 * Deployment on a member where no pod is ever scheduled) halts at wave 1 with waves 2 and 3 left
 * on the old revision; `gitfed rollout abort` puts the canary back, `resume` tries again.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Daemon } from '../../../src/apply/daemon.js';
import { readRolloutFile } from '../../../src/rollout/gate.js';
import { builtCli, config, deployment, memberNames, tmpDir, uniq, until } from '../apply/fixtures.js';
import { sixMembers, type SixMembers } from './six-members.js';

const [m1, m2, m3] = memberNames() as [string, string, string];
const EXTRA = ['wave3-a', 'wave3-b', 'wave3-c'];
const members = [m2, m1, m3, ...EXTRA];

describe('a rollout in three waves over six members', () => {
  const dir = tmpDir('rollout');
  const rolloutFile = path.join(dir, 'rollout.json');
  const ns = uniq('waves');
  let fleet: SixMembers;
  let daemon: Daemon | undefined;
  /** member -> head -> when the member first reported it. */
  const firstSeen = new Map<string, Map<string, number>>();

  beforeAll(async () => {
    fleet = await sixMembers(dir, 'wave3', ns, '\n    maxConcurrent: 1');
    daemon = new Daemon({ repo: fleet.repo.dir, kubeconfig: fleet.kubeconfig, config: config(), stateFile: null, rollout: { ...fleet.policy, file: rolloutFile } });
    daemon.onReport((report) => {
      for (const m of report.members) {
        if (!m.branchCommit || m.state !== 'Synced') continue;
        const seen = firstSeen.get(m.cluster) ?? new Map<string, number>();
        if (!seen.has(m.branchCommit)) seen.set(m.branchCommit, Date.now());
        firstSeen.set(m.cluster, seen);
      }
    });
  });

  afterAll(async () => {
    await daemon?.stop();
    await fleet?.stop();
  });

  const cli = (...args: string[]) => execFileSync(process.execPath, [builtCli(), 'rollout', ...args, '--state', rolloutFile], { encoding: 'utf8' });
  const record = () => readRolloutFile(rolloutFile);
  const version = (m: string) => fleet.version(m);
  const kubectl = (m: string, ...args: string[]) => fleet.kubectl(m, ...args);
  const commit = (v: string, more: ReturnType<typeof deployment>[] = []) => fleet.commit(v, more);

  it('takes a good change through every gate, wave after wave', async () => {
    const v1 = commit('v1');
    await daemon!.start();
    await until('v1 everywhere', () => record()?.complete && record()?.rollout?.target === v1, 120_000);
    expect(members.map(version)).toEqual(members.map(() => 'v1'));

    const v2 = commit('v2');
    await daemon!.checkHead();
    await until('v2 complete', () => record()?.complete && record()?.rollout?.target === v2, 120_000);
    expect(members.map(version)).toEqual(members.map(() => 'v2'));
    // Each wave got v2 only after every member of the wave before had it (and soaked).
    const at = (m: string) => firstSeen.get(m)!.get(v2)!;
    const waves = [[m2], [m1, m3], EXTRA];
    for (let i = 1; i < waves.length; i++) expect(Math.min(...waves[i]!.map(at))).toBeGreaterThan(Math.max(...waves[i - 1]!.map(at)));
    // maxConcurrent 1 in wave two: one member after the other.
    expect(at(m1)).not.toBe(at(m3));
  });

  it('halts at the canary when its readiness never comes, later waves stay on the old revision', async () => {
    const v3 = commit('v3', [deployment(ns, 'web')]);
    await daemon!.checkHead();
    const halted = await until('halt', () => record()?.rollout?.halted, 60_000);
    expect(halted.wave).toBe('canary');
    expect(halted.reason).toMatch(new RegExp(`^${m2} not Ready 6s after ${v3.slice(0, 7)} was applied: Deployment/${ns}/web`));
    expect(record()!.waves!.map((w) => w.phase)).toEqual(['Halted', 'Pending', 'Pending']);
    expect(version(m2)).toBe('v3');
    for (const m of [m1, m3, ...EXTRA]) expect(version(m), m).toBe('v2');
    expect(cli('status')).toContain(`halted at wave canary: ${m2} not Ready`);
  });

  it('abort puts the canary back on the last good revision; resume tries the canary again', async () => {
    expect(cli('abort')).toContain('aborted');
    await until('canary back on v2', () => version(m2) === 'v2', 60_000);
    expect(kubectl(m2, 'get', 'deployment', '-n', ns, 'web', '--ignore-not-found')).toBe('');
    expect(record()!.waves!.map((w) => w.phase)).toEqual(['Aborted', 'Aborted', 'Aborted']);

    expect(cli('resume')).toContain('resumed');
    await until('canary on v3 again', () => version(m2) === 'v3', 60_000);
    for (const m of [m1, m3, ...EXTRA]) expect(version(m), m).toBe('v2');
  });
});
