/**
 * Rollout benchmark (issue 13): three waves over six members (1, 2, 3), each wave with a 10 s soak,
 * on real members started for the run (one shared etcd, no scheduler), twice: through gitfed's
 * daemon, which applies, and through the pointer-branch mode (`--pointer-branches rollout/{wave}`),
 * which moves a branch per wave that three consumer daemons (one per wave, standing in for
 * Argo CD or Flux) apply, while it reads the members' health read-only.
 * Prints, per wave, the time from the wave's start (the head, or the previous wave passing) to
 * its gate passing, less the soak: the overhead of applying, observing health and deciding
 * (goal under 2 s). Then two failing canaries: one the member rejects (an invalid ConfigMap key),
 * timed from the canary's Failed report to the halt, and one that never becomes Ready, timed
 * from its timeout's end to the halt (goal under 5 s each).
 *
 * In the pointer mode a canary its member rejects is not seen as Failed (the promoter reads the
 * member, not the consumer's errors): it is not Ready, and halts at its timeout.
 *
 *   npm run build && npm run bench:rollout [-- --soak 10 --objects 50 --mode both --json]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { DEFAULT_CONFIG } from '../../src/apply/config.js';
import { Daemon } from '../../src/apply/daemon.js';
import { stopSet, up } from '../../src/dev/index.js';
import type { KubeObject } from '../../src/object.js';
import { readRolloutFile } from '../../src/rollout/gate.js';
import type { ResolvedWave } from '../../src/rollout/policy.js';
import { Promoter } from '../../src/rollout/promoter.js';
import { writeFleet } from '../apply/fleet.js';

const MEMBERS = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'];
const NS = 'bench-rollout';

async function main(): Promise<void> {
  const opts = new Command('bench-rollout')
    .option('--soak <s>', 'soak per wave, seconds', (v) => Number(v), 10)
    .option('--objects <n>', 'ConfigMaps per member', (v) => Number(v), 50)
    .option('--mode <mode>', 'daemon | pointers | both', 'both')
    .option('--json', 'print JSON')
    .parse()
    .opts<{ soak: number; objects: number; mode: string; json?: boolean }>();
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitfed-bench-rollout-'));
  const kubeconfig = path.join(work, 'kubeconfig');
  const repo = path.join(work, 'repo');
  const rolloutFile = path.join(work, 'rollout.json');
  const load = os.loadavg()[0] ?? 0;
  log('starting six members...');
  const state = await up({ kubeconfig, names: MEMBERS, workloads: [], ownerPid: process.pid, log });
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' } }).trim();
  fs.mkdirSync(repo);
  git('init', '-q', '-b', 'rendered');
  const commit = (version: string, extra: KubeObject[] = []): string => {
    const objects: KubeObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }];
    for (let i = 0; i < opts.objects; i++) objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: NS }, data: { version } });
    writeFleet(repo, MEMBERS, () => [...objects, ...extra]);
    git('add', '-A');
    git('commit', '-q', '-m', version);
    return git('rev-parse', 'HEAD');
  };
  const soakMs = opts.soak * 1000;
  // In the pointer mode a member's timeout runs from the move of its branch, and so includes its consumer's apply.
  const timeoutOf = (mode: string) => (mode === 'daemon' ? 5000 : 30_000);
  const wavesOf = (mode: string): ResolvedWave[] => {
    const wave = (name: string, members: string[]): ResolvedWave => ({ name, members, soakMs, timeoutMs: timeoutOf(mode), manualGate: false });
    return [wave('canary', ['m1']), wave('two', ['m2', 'm3']), wave('three', ['m4', 'm5', 'm6'])];
  };
  const rows: Record<string, number | string>[] = [];
  /** A good change wave by wave, then two failing canaries; rows named by mode. */
  const measure = async (mode: string, kick: () => Promise<void>, failedAt: Map<string, number>): Promise<Record<string, number | string>[]> => {
    const out: Record<string, number | string>[] = [];
    const waves = wavesOf(mode);
    const timeoutMs = timeoutOf(mode);
    const row = (r: Record<string, number | string>) => {
      out.push(r);
      log(`${mode}: ${r.seconds} s  ${r.measure}`);
    };
    const v1 = commit(`${mode}-v1`);
    const start = Date.now();
    await kick();
    const passed = new Map<string, number>();
    await poll(() => {
      const r = readRolloutFile(rolloutFile);
      if (r?.rollout?.target !== v1) return false;
      for (const w of r.waves ?? []) if (w.phase === 'Passed' && !passed.has(w.name)) passed.set(w.name, Date.now());
      return r.complete === true;
    }, 600_000);
    let from = start;
    for (const w of waves) {
      const at = passed.get(w.name)!;
      row({ mode, measure: `wave ${w.name} (${w.members.length} member${w.members.length > 1 ? 's' : ''}): overhead beyond the ${opts.soak} s soak`, seconds: round((at - from - soakMs) / 1000) });
      from = at;
    }
    row({ mode, measure: `whole rollout (3 waves, ${opts.soak} s soak each)`, seconds: round((Date.now() - start) / 1000) });

    // A canary the member rejects: from its Failed report to the halt.
    failedAt.clear();
    const bad = commit(`${mode}-v2`, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad', namespace: NS }, data: { 'not a key!': 'x' } }]);
    const badStart = Date.now();
    await kick();
    const halt = await poll(() => {
      const r = readRolloutFile(rolloutFile);
      return r?.rollout?.target === bad && r.rollout.halted ? { at: Date.now(), reason: r.rollout.halted.reason } : undefined;
    }, 120_000);
    row({ mode, measure: 'canary rejected by its member: Failed report to halt', seconds: round((halt.at - (failedAt.get('m1') ?? halt.at)) / 1000), note: halt.reason.slice(0, 80) });
    row({ mode, measure: 'canary rejected by its member: new head to halt', seconds: round((halt.at - badStart) / 1000) });

    // A canary that never becomes Ready (a Deployment, and no scheduler): from the timeout's end to the halt.
    const dep: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } } };
    const never = commit(`${mode}-v3`, [dep]);
    await kick();
    const given = await poll(() => {
      const r = readRolloutFile(rolloutFile);
      const m = r?.members?.m1;
      return r?.rollout?.target === never && m?.revision === never && m.updatedAt !== undefined ? m.updatedAt : undefined;
    }, 120_000);
    const halt2 = await poll(() => {
      const r = readRolloutFile(rolloutFile);
      return r?.rollout?.target === never && r.rollout.halted ? Date.now() : undefined;
    }, 120_000);
    row({ mode, measure: `canary never Ready: end of its ${timeoutMs / 1000} s timeout to halt`, seconds: round((halt2 - (given + timeoutMs)) / 1000) });
    return out;
  };
  const config = { ...DEFAULT_CONFIG, requestTimeoutSeconds: 10, fetchSeconds: 2 };
  const modes = opts.mode === 'both' ? ['daemon', 'pointers'] : [opts.mode];
  try {
    commit('v0');
    for (const mode of modes) {
      fs.rmSync(rolloutFile, { force: true });
      const waves = wavesOf(mode);
      const failedAt = new Map<string, number>();
      const onReport = (report: { members: readonly { cluster: string; state: string }[] }) => {
        for (const m of report.members) if (m.state === 'Failed' && !failedAt.has(m.cluster)) failedAt.set(m.cluster, Date.now());
      };
      let kick: () => Promise<void>;
      let stop: () => Promise<void>;
      if (mode === 'daemon') {
        const daemon = new Daemon({ repo, kubeconfig, config, stateFile: null, rollout: { waves, failurePolicy: 'halt', file: rolloutFile } });
        daemon.onReport(onReport);
        await daemon.start();
        kick = () => daemon.checkHead();
        stop = () => daemon.stop();
      } else {
        const consumers = waves.map((w) => new Daemon({ repo, branch: `rollout/${w.name}`, clusters: w.members, kubeconfig, config, stateFile: null }));
        for (const c of consumers) c.onReport(onReport);
        const promoter = new Promoter({ repo, kubeconfig, config, rollout: { waves, failurePolicy: 'halt', file: rolloutFile }, pointerBranches: 'rollout/{wave}', intervalMs: 500 });
        await Promise.all(consumers.map((c) => c.start()));
        await promoter.start();
        kick = () => promoter.kick();
        stop = async () => {
          await promoter.stop();
          await Promise.all(consumers.map((c) => c.stop()));
        };
      }
      // The first head rolls out too: measure from a settled fleet.
      const v0 = git('rev-parse', 'HEAD');
      await poll(() => readRolloutFile(rolloutFile)?.complete === true && readRolloutFile(rolloutFile)?.rollout?.target === v0, 600_000);
      log(`${mode}: first head rolled out; timing a good change`);
      rows.push(...(await measure(mode, kick, failedAt)));
      await stop();
      // The next mode starts from a good head again.
      commit(`${mode}-reset`);
    }
  } finally {
    await stopSet(state);
    fs.rmSync(work, { recursive: true, force: true });
  }
  if (opts.json) process.stdout.write(JSON.stringify({ load, soakSeconds: opts.soak, objectsPerMember: opts.objects, rows }, null, 2) + '\n');
  else {
    process.stdout.write(`rollout bench: 6 members, ${opts.objects} ConfigMaps each, load average ${load.toFixed(1)} at start\n`);
    for (const r of rows) process.stdout.write(`${String(r.mode).padEnd(9)}${String(r.seconds).padStart(7)} s  ${r.measure}${r.note ? `  (${r.note})` : ''}\n`);
  }
}

const round = (s: number) => Math.round(s * 100) / 100;

async function poll<T>(probe: () => T | undefined | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error('bench: timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(2);
});
