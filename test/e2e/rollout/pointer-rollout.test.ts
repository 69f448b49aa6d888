/**
 * The observe-and-promote mode on real members: gitfed applies nothing, it moves one pointer
 * branch per wave (`rollout/{wave}`) by the members' health, read-only. The consumers here are
 * three plain gitfed daemons, one per wave, each reading only its wave's pointer branch, as Argo
 * CD or Flux would. Three waves over six members (the run's three plus three more on one shared
 * etcd): a good change walks the pointer branches wave by wave, each only once the wave before
 * is healthy; a canary that never becomes Ready (a Deployment on a member without scheduler)
 * leaves the later branches on the old commit; `gitfed rollout abort` moves the canary's branch
 * back, `resume` forward again.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Daemon } from '../../../src/apply/daemon.js';
import { readPointers } from '../../../src/git/pointer-branches.js';
import { readRolloutFile, rolloutFileFor } from '../../../src/rollout/gate.js';
import { Promoter } from '../../../src/rollout/promoter.js';
import { builtCli, config, deployment, memberNames, tmpDir, uniq, until } from '../apply/fixtures.js';
import { sixMembers, type SixMembers } from './six-members.js';

const [m1, m2, m3] = memberNames() as [string, string, string];
const EXTRA = ['ptr3-a', 'ptr3-b', 'ptr3-c'];
const members = [m2, m1, m3, ...EXTRA];
const BRANCHES = ['canary', 'two', 'three'].map((w) => `rollout/${w}`);

describe('observe and promote: pointer branches per wave over six members', () => {
  const dir = tmpDir('pointers');
  const ns = uniq('pointers');
  let fleet: SixMembers;
  let rolloutFile: string;
  let promoter: Promoter | undefined;
  const consumers: Daemon[] = [];
  /** Every distinct set of commits the pointer branches held, in order, as the promoter left them. */
  const states: string[][] = [];
  /** When each pointer branch first held a commit. */
  const movedAt = new Map<string, number>();
  /** member -> commit -> when its consumer first reported it applied and Ready. */
  const readyAt = new Map<string, Map<string, number>>();

  beforeAll(async () => {
    // The canary's timeout runs from the move of its branch, so it holds its consumer's apply too.
    fleet = await sixMembers(dir, 'ptr3', ns, '', '20s');
    rolloutFile = rolloutFileFor(fleet.repo.dir);
    promoter = new Promoter({
      repo: fleet.repo.dir,
      kubeconfig: fleet.kubeconfig,
      config: config(),
      rollout: { ...fleet.policy, file: rolloutFile },
      pointerBranches: 'rollout/{wave}',
      intervalMs: 250,
      onPlan: () => {
        const now = Date.now();
        const held = readPointers(fleet.repo.dir, BRANCHES);
        const state = BRANCHES.map((b) => held.get(b) ?? '');
        for (const [b, c] of held) if (c && !movedAt.has(`${b}@${c}`)) movedAt.set(`${b}@${c}`, now);
        if (states.at(-1)?.join() !== state.join()) states.push(state);
      },
    });
    for (const [wave, ms] of Object.entries(fleet.waves)) {
      const consumer = new Daemon({ repo: fleet.repo.dir, branch: `rollout/${wave}`, clusters: ms, kubeconfig: fleet.kubeconfig, config: config({ fetchSeconds: 1 }), stateFile: null });
      consumer.onReport((report) => {
        for (const m of report.members) {
          if (!m.branchCommit || m.state !== 'Synced' || m.health !== 'Ready') continue;
          const seen = readyAt.get(m.cluster) ?? new Map<string, number>();
          if (!seen.has(m.branchCommit)) seen.set(m.branchCommit, Date.now());
          readyAt.set(m.cluster, seen);
        }
      });
      consumers.push(consumer);
    }
  });

  afterAll(async () => {
    await promoter?.stop();
    await Promise.all(consumers.map((c) => c.stop()));
    await fleet?.stop();
  });

  const kubectl = (m: string, ...args: string[]) => fleet.kubectl(m, ...args);
  const version = (m: string) => fleet.version(m);
  const cli = (...args: string[]) => execFileSync(process.execPath, [builtCli(), 'rollout', ...args, '--repo', fleet.repo.dir], { encoding: 'utf8' });
  const commit = (v: string, more: ReturnType<typeof deployment>[] = []) => fleet.commit(v, more);
  const record = () => readRolloutFile(rolloutFile);
  const pointers = () => Object.fromEntries(readPointers(fleet.repo.dir, BRANCHES));

  it('walks the pointer branches wave by wave, each once the wave before is healthy', async () => {
    const v1 = commit('v1');
    await Promise.all(consumers.map((c) => c.start()));
    await promoter!.start();
    await until('v1 everywhere', () => record()?.complete && record()?.rollout?.target === v1 && members.every((m) => version(m) === 'v1'), 120_000);
    expect(pointers()).toEqual(Object.fromEntries(BRANCHES.map((b) => [b, v1])));

    const v2 = commit('v2');
    await promoter!.kick();
    await until('v2 complete', () => record()?.complete && record()?.rollout?.target === v2 && members.every((m) => version(m) === 'v2'), 120_000);
    expect(pointers()).toEqual(Object.fromEntries(BRANCHES.map((b) => [b, v2])));
    // The branches moved one wave at a time: never a later wave before an earlier one.
    const since = states.findIndex((s) => s.includes(v2));
    expect(states.slice(since - 1)).toEqual([
      [v1, v1, v1],
      [v2, v1, v1],
      [v2, v2, v1],
      [v2, v2, v2],
    ]);
    // ... and each only after every member of the wave before ran v2 and was Ready.
    const order = Object.values(fleet.waves);
    for (let i = 1; i < BRANCHES.length; i++) {
      const moved = movedAt.get(`${BRANCHES[i]}@${v2}`)!;
      for (const m of order[i - 1]!) expect(readyAt.get(m)?.get(v2), `${m} Ready on v2 before ${BRANCHES[i]} moved`).toBeLessThan(moved);
    }
    expect(cli('status')).toMatch(/POINTER BRANCH\s+COMMIT\nrollout\/canary\s+\w{7} \(new\)/);
  });

  it('a canary that never becomes Ready halts the rollout: the later branches stay on the old commit', async () => {
    const v2 = record()!.rollout!.target;
    const v3 = commit('v3', [deployment(ns, 'web')]);
    await promoter!.kick();
    const halted = await until('halt', () => record()?.rollout?.halted, 60_000);
    expect(halted.wave).toBe('canary');
    expect(halted.reason).toMatch(new RegExp(`^${m2} not Ready 20s after ${v3.slice(0, 7)} was applied: Deployment/${ns}/web`));
    expect(record()!.waves!.map((w) => w.phase)).toEqual(['Halted', 'Pending', 'Pending']);
    expect(pointers()).toEqual({ 'rollout/canary': v3, 'rollout/two': v2, 'rollout/three': v2 });
    expect(version(m2)).toBe('v3');
    for (const m of [m1, m3, ...EXTRA]) expect(version(m), m).toBe('v2');
    expect(cli('status')).toContain(`halted at wave canary: ${m2} not Ready`);
  });

  it('abort moves the canary branch back to the last good commit; resume moves it forward again', async () => {
    const v2 = pointers()['rollout/two']!;
    const v3 = record()!.rollout!.target;
    expect(cli('abort')).toContain('aborted');
    await until('canary branch back on v2', () => pointers()['rollout/canary'] === v2, 30_000);
    await until('canary back on v2', () => version(m2) === 'v2', 60_000);
    // The consumer prunes after it applies, so the version can show v2 a moment before the Deployment goes.
    await until("the canary's v3-only Deployment pruned", () => kubectl(m2, 'get', 'deployment', '-n', ns, 'web', '--ignore-not-found') === '', 60_000);
    expect(record()!.waves!.map((w) => w.phase)).toEqual(['Aborted', 'Aborted', 'Aborted']);

    expect(cli('resume')).toContain('resumed');
    await until('canary branch on v3 again', () => pointers()['rollout/canary'] === v3, 30_000);
    await until('canary on v3 again', () => version(m2) === 'v3', 60_000);
    expect(pointers()).toEqual({ 'rollout/canary': v3, 'rollout/two': v2, 'rollout/three': v2 });
    for (const m of [m1, m3, ...EXTRA]) expect(version(m), m).toBe('v2');
  });
});
