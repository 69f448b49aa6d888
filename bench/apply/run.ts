/**
 * Apply benchmark (issue 6): gitfed against `kubectl apply --server-side -R -f` of the same
 * directories, on the same members, in the same run; request counts as the members saw them.
 *
 *   npm run build && npm run bench:apply [-- --objects 1000] [--kubeconfig FILE] [--latency 20] [--json]
 *
 * Without --kubeconfig, three members are started for the run (gitfed dev) and stopped after.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { applyBranch } from '../../src/apply/apply-branch.js';
import { DEFAULT_CONFIG } from '../../src/apply/config.js';
import { Daemon } from '../../src/apply/daemon.js';
import { KubeClient, loadKubeConfig } from '../../src/apply/member/kube-client.js';
import type { MemberSession } from '../../src/apply/member/member-session.js';
import type { PropagationReport } from '../../src/apply/status/report.js';
import { findBinaries, stopSet, up } from '../../src/dev/index.js';
import { benchObjects, writeFleet } from './fleet.js';
import { delta, format, scrape, settle, total, writes, type Counts } from './metrics.js';

const run = promisify(execFile);

interface Row {
  phase: string;
  tool: string;
  seconds: number;
  objects: number;
  requests: Counts;
  note?: string;
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

async function main(): Promise<void> {
  const opts = new Command('bench-apply')
    .option('--objects <n>', 'objects per member', (v) => Number(v), 1000)
    .option('--kubeconfig <file>', 'use these members (contexts member1..3) instead of starting them')
    .option('--latency <n>', 'branch heads for the daemon latency sample', (v) => Number(v), 20)
    .option('--json', 'print JSON')
    .parse()
    .opts<{ objects: number; kubeconfig?: string; latency: number; json?: boolean }>();

  const load = os.loadavg()[0] ?? 0;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitfed-bench-apply-'));
  const log = (s: string) => process.stderr.write(`${s}\n`);
  let stop: (() => Promise<unknown>) | undefined;
  let kubeconfig = opts.kubeconfig;
  if (!kubeconfig) {
    kubeconfig = path.join(work, 'kubeconfig');
    log('starting three members...');
    const state = await up({ kubeconfig, names: ['member1', 'member2', 'member3'], workloads: [], ownerPid: process.pid, log });
    stop = () => stopSet(state);
  }
  const members = ['member1', 'member2', 'member3'];
  const kc = loadKubeConfig(kubeconfig);
  const admins = await Promise.all(members.map((m) => KubeClient.connect(kc, m, m)));
  const kubectl = findBinaries().paths.kubectl ?? 'kubectl';
  const rows: Row[] = [];
  const N = opts.objects;
  const config = { ...DEFAULT_CONFIG, memberConcurrency: 3, requestConcurrency: 64, requestTimeoutSeconds: 30 };

  async function measure(phase: string, tool: string, fn: () => Promise<string | void>): Promise<Row> {
    const waited = await settle(admins);
    log(`${phase} ${tool}: members quiet after ${(waited / 1000).toFixed(1)} s`);
    const before = await scrape(admins);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const done = (await fn()) ?? undefined;
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    // gitfed runs in this process: its CPU time tells client cost from waiting on the members.
    const note = tool === 'gitfed' ? [done, `gitfed CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s`].filter(Boolean).join('; ') : done;
    const requests = delta(before, await scrape(admins));
    const row = { phase, tool, seconds, objects: N * members.length, requests, note };
    rows.push(row);
    log(`${phase} ${tool}: ${seconds.toFixed(2)} s, ${total(requests)} requests (${format(requests)})`);
    return row;
  }

  try {
    const gfDir = path.join(work, 'gitfed');
    const kcDir = path.join(work, 'kubectl');
    // Fresh names per run, and gitfed's earlier objects pruned before anything is measured.
    const run_ = Math.random().toString(36).slice(2, 6);
    writeFleet(gfDir, members, () => []);
    await applyBranch({ repo: gfDir, kubeconfig: kc, config, stateFile: null });
    writeFleet(gfDir, members, () => benchObjects(`bench-gf-${run_}`, N));
    writeFleet(kcDir, members, () => benchObjects(`bench-kc-${run_}`, N));
    const check = (r: PropagationReport) => {
      const bad = r.members.filter((m) => m.state !== 'Synced');
      if (bad.length) throw new Error(`not synced: ${bad.map((m) => `${m.cluster} ${m.state} ${m.message ?? ''}`).join('; ')}`);
    };

    const sessions = new Map<string, MemberSession>();
    const first = await measure('first apply', 'gitfed', async () => {
      const r = await applyBranch({ repo: gfDir, kubeconfig: kc, config, stateFile: null, sessions });
      check(r);
      const conns = [...sessions.values()].map((s) => s.client.stats);
      return `${conns.reduce((a, s) => a + s.requests, 0)} client requests over ${conns.reduce((a, s) => a + s.connections, 0)} connections`;
    });
    for (const s of sessions.values()) s.close();
    const kcEnv = { ...process.env, KUBECACHEDIR: path.join(work, 'kube-cache') };
    // What a CI job or a user runs: one kubectl per member directory, one after the other.
    const kubectlAll = async () => {
      for (const m of members) {
        await run(kubectl, ['--kubeconfig', kubeconfig!, '--context', m, 'apply', '--server-side', '-R', '-f', path.join(kcDir, 'clusters', m)], { env: kcEnv, maxBuffer: 64 << 20 });
      }
      return 'one kubectl per member, in sequence';
    };
    const kcFirst = await measure('first apply', 'kubectl', kubectlAll);
    const noop = await measure('no-op re-sync', 'gitfed', async () => check(await applyBranch({ repo: gfDir, kubeconfig: kc, config, stateFile: null })));
    const kcNoop = await measure('no-op re-sync', 'kubectl', kubectlAll);

    // Daemon mode: from a new branch head to the change applied on every member.
    const repo = path.join(work, 'repo');
    const git = (...a: string[]) => execFileSync('git', ['-C', repo, ...a], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@x', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@x' } });
    fs.mkdirSync(repo);
    git('init', '-q', '-b', 'rendered');
    const commitFleet = (i: number) => {
      writeFleet(repo, members, () => benchObjects(`bench-gf-${run_}`, N).map((o) => (o.metadata.name === 'app-0002' ? { ...o, data: { ...(o.data as object), revision: String(i) } } : o)));
      git('add', '-A');
      git('commit', '-q', '-m', `rev ${i}`);
    };
    commitFleet(0);
    const daemon = new Daemon({ repo, kubeconfig: kc, config: { ...config, resyncSeconds: 3600 }, stateFile: null });
    const seen = new Map<string, number>();
    daemon.onReport((r, member) => {
      const m = r.members.find((x) => x.cluster === member);
      if (m?.state === 'Synced' && m.branchCommit) seen.set(`${member}@${m.branchCommit}`, Date.now());
    });
    await daemon.start();
    const head = () => git('rev-parse', 'HEAD').trim();
    const waitAll = async (commit: string) => {
      for (;;) {
        if (members.every((m) => seen.has(`${m}@${commit}`))) return;
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    await waitAll(head());
    const latencies: number[] = [];
    const steady: number[] = [];
    for (let i = 1; i <= opts.latency; i++) {
      const before = await scrape(admins);
      commitFleet(i);
      const c = head();
      // The head exists from the moment git renamed the ref into place: writing 3,000 files and
      // committing them is the renderer's time, not the daemon's.
      const t0 = fs.statSync(path.join(repo, '.git', 'refs', 'heads', 'rendered')).mtimeMs;
      await waitAll(c);
      for (const m of members) latencies.push((seen.get(`${m}@${c}`) ?? NaN) - t0);
      steady.push(total(delta(before, await scrape(admins))));
    }
    await daemon.stop();

    const ratio = (a: number, b: number) => (b > 0 ? a / b : Infinity);
    const perSecond = (r: Row) => r.objects / r.seconds;
    const summary = {
      objectsPerMember: N,
      cpus: os.cpus().length,
      loadAverageAtStart: load,
      rows: rows.map((r) => ({ ...r, total: total(r.requests), writes: writes(r.requests), perObject: total(r.requests) / r.objects, objectsPerSecond: perSecond(r) })),
      firstApplySpeedup: ratio(kcFirst.seconds, first.seconds),
      firstApplyPerMemberPerSecond: N / first.seconds,
      noopSpeedup: ratio(kcNoop.seconds, noop.seconds),
      noopWrites: writes(noop.requests),
      noopRequestsPerObject: total(noop.requests) / noop.objects,
      latencyMs: { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99), samples: latencies.length },
      daemonRequestsPerHead: steady.reduce((a, b) => a + b, 0) / Math.max(1, steady.length),
    };
    if (opts.json) {
      process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    } else {
      const lines = [
        `gitfed apply vs kubectl apply --server-side -R -f: ${N} objects per member, ${members.length} members; ${os.cpus().length} CPUs, load average at start ${load.toFixed(1)}`,
        '',
        'PHASE           TOOL     SECONDS  OBJ/S   REQUESTS  WRITES  REQ/OBJ  BY VERB',
        ...summary.rows.map((r) => `${r.phase.padEnd(16)}${r.tool.padEnd(9)}${r.seconds.toFixed(2).padStart(7)}  ${r.objectsPerSecond.toFixed(0).padStart(6)}  ${String(r.total).padStart(8)}  ${String(r.writes).padStart(6)}  ${r.perObject.toFixed(3).padStart(7)}  ${format(r.requests)}${r.note ? `  [${r.note}]` : ''}`),
        '',
        `first apply: gitfed ${summary.firstApplySpeedup.toFixed(1)}x kubectl's throughput (goal >= 3x); ${summary.firstApplyPerMemberPerSecond.toFixed(0)} applies/s per member (goal >= 100)`,
        `no-op re-sync: ${summary.noopWrites} writes (goal 0), ${summary.noopRequestsPerObject.toFixed(3)} requests per object (Flux: 2), ${summary.noopSpeedup.toFixed(1)}x faster than kubectl's re-apply (goal >= 10x)`,
        `daemon: new branch head -> applied on every member, P50 ${summary.latencyMs.p50.toFixed(0)} ms, P90 ${summary.latencyMs.p90.toFixed(0)} ms, P99 ${summary.latencyMs.p99.toFixed(0)} ms over ${summary.latencyMs.samples} samples (goal P99 < 2000 ms); ${summary.daemonRequestsPerHead.toFixed(1)} requests per head on the members`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    }
  } finally {
    for (const a of admins) a.close();
    await stop?.();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  },
);
