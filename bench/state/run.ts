/**
 * Observed-state benchmark (issue 12): seed example 2 on real members (kube-apiserver, etcd,
 * kube-scheduler, kwok nodes of fixed capacity; bench/state/fleet.ts, shared with the e2e tests),
 * with one real `gitfed daemon --observe --render` process closing the loop.
 *
 *   npm run build && npm run bench:state [-- --runs 8 --interval 5 --dwell 5 --json]
 *
 * Each run takes on-prem's room away under a running replica (a pod of someone else's bound to
 * the node, one web pod deleted): its replacement goes Pending, the daemon observes it, commits the
 * state, renders the overflow to burst and applies it. Measured: from the deletion (the Pending
 * pod's birth) to the replica Ready on burst, P50 and P99, with the daemon's own timestamps for the
 * state commit and the render in between. Then the room is given back and burst returns to 0 (after
 * the dwell time) before the next run. Last, the observe cost per member: API requests and CPU
 * milliseconds of one observation with open connections, as the daemon's loop makes it.
 */
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { KubeClient, loadKubeConfig } from '../../src/apply/member/kube-client.js';
import { observe } from '../../src/observe/observe.js';
import { eventually, OverflowFleet } from './fleet.js';

const CLI = path.resolve('dist/cmd/gitfed.js');
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

interface Run {
  /** Deletion to the state commit that records the Pending replica (daemon log time). */
  stateMs: number;
  /** Deletion to the output commit from that state. */
  renderMs: number;
  /** Deletion to the replica Ready on burst. */
  runningMs: number;
}

async function main(): Promise<void> {
  const opts = new Command()
    .option('--runs <n>', 'runs', '8')
    .option('--interval <s>', 'the daemon\'s --observe-interval', '5')
    .option('--dwell <s>', 'the daemon\'s --dwell', '5')
    .option('--observations <n>', 'observations for the cost per member', '20')
    .option('--json', 'print JSON')
    .parse()
    .opts<{ runs: string; interval: string; dwell: string; observations: string; json?: boolean }>();
  const loadBefore = os.loadavg();
  const log = (l: string) => process.stderr.write(`${l}\n`);
  const f = await OverflowFleet.start('gitfed-bench-state-', (l) => log(`[members] ${l}`));
  const lines: { at: number; text: string }[] = [];
  const daemon = spawn('node', [CLI, 'daemon', '--repo', f.repo, '--kubeconfig', f.kubeconfig, '--state', path.join(f.dir, 'status.json'),
    '--observe', '--fleet', f.repo, '--render', '--observe-interval', opts.interval, '--dwell', opts.dwell], { cwd: f.dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let rest = '';
  daemon.stderr!.on('data', (b: Buffer) => {
    const parts = (rest + b.toString()).split('\n');
    rest = parts.pop()!;
    for (const text of parts) {
      const at = Date.parse(text.slice(0, 24));
      if (!Number.isNaN(at)) lines.push({ at, text });
    }
  });
  const kc = loadKubeConfig(f.kubeconfig);
  const burst = await KubeClient.connect(kc, 'burst', 'burst');
  const onprem = await KubeClient.connect(kc, 'onprem', 'onprem');
  const web = async (c: KubeClient) => {
    const d = await c.get({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' });
    return { replicas: Number((d?.spec as { replicas?: number } | undefined)?.replicas ?? 0), ready: Number((d?.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0) };
  };
  const settled = async () => {
    await eventually('on-prem 4 ready, burst 0, the state settled', async () => {
      const [o, b, s] = [await web(onprem), await web(burst), await f.stateOf('onprem')];
      return o.ready === 4 && b.replicas === 0 && s?.pending === 0 && s.ready === 4 ? true : undefined;
    }, 180_000, 200);
    await eventually('the filler gone', async () => ((await onprem.get({ group: '', version: 'v1', kind: 'Pod', namespace: 'default', name: 'filler' })) ? undefined : true), 60_000, 200);
  };
  const runs: Run[] = [];
  try {
    await settled();
    for (let i = 0; i < Number(opts.runs); i++) {
      const from = lines.length;
      await f.squeezeOnprem();
      const t0 = Date.now();
      await eventually('a replica Ready on burst', async () => ((await web(burst)).ready >= 1 ? true : undefined), 180_000, 100);
      const runningMs = Date.now() - t0;
      const after = lines.slice(from);
      const state = after.find((l) => /observe: .*onprem: 1 shop\/web replica\(s\) pending/.test(l.text));
      const render = after.find((l) => l.at >= (state?.at ?? Infinity) && / render: /.test(l.text));
      runs.push({ stateMs: (state?.at ?? NaN) - t0, renderMs: (render?.at ?? NaN) - t0, runningMs });
      log(`run ${i + 1}: state ${runs.at(-1)!.stateMs} ms, render ${runs.at(-1)!.renderMs} ms, running on burst ${runningMs} ms`);
      await f.releaseOnprem();
      await settled();
    }
  } finally {
    const exited = new Promise((r) => daemon.once('exit', r));
    daemon.kill('SIGTERM');
    await exited;
    burst.close();
    onprem.close();
  }

  // The observe cost, as the loop pays it: connections open, the source and state read each time.
  const clients = new Map<string, KubeClient>();
  await observe({ repo: f.repo, kubeconfig: f.kubeconfig, dwellSeconds: 3600, clients });
  const n = Number(opts.observations);
  let requests = 0;
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  for (let i = 0; i < n; i++) requests += (await observe({ repo: f.repo, kubeconfig: f.kubeconfig, dwellSeconds: 3600, clients })).members.reduce((a, m) => a + m.requests, 0);
  const cpu = process.cpuUsage(cpu0);
  const wallMs = (performance.now() - wall0) / n;
  for (const c of clients.values()) c.close();
  const members = 2;
  await f.stop();

  const ms = (k: keyof Run) => runs.map((r) => r[k]);
  const result = {
    runs: runs.length,
    settings: { interval: Number(opts.interval), dwell: Number(opts.dwell) },
    pendingToRunningElsewhere: { p50: percentile(ms('runningMs'), 50), p99: percentile(ms('runningMs'), 99) },
    pendingToStateCommit: { p50: percentile(ms('stateMs'), 50), p99: percentile(ms('stateMs'), 99) },
    pendingToRenderedCommit: { p50: percentile(ms('renderMs'), 50), p99: percentile(ms('renderMs'), 99) },
    observe: { members, requestsPerMember: requests / n / members, cpuMsPerMember: (cpu.user + cpu.system) / 1000 / n / members, wallMsPerObservation: Math.round(wallMs) },
    loadavg: { before: loadBefore.map((x) => Number(x.toFixed(2))), after: os.loadavg().map((x) => Number(x.toFixed(2))) },
    cpus: os.cpus().length,
    each: runs,
  };
  if (opts.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  const p = (x: { p50: number; p99: number }) => `P50 ${(x.p50 / 1000).toFixed(1)} s, P99 ${(x.p99 / 1000).toFixed(1)} s`;
  process.stdout.write([
    `${runs.length} runs, daemon --observe-interval ${opts.interval} --dwell ${opts.dwell}`,
    `pending -> replica Ready on burst:  ${p(result.pendingToRunningElsewhere)}`,
    `pending -> state commit:           ${p(result.pendingToStateCommit)}`,
    `pending -> rendered commit:        ${p(result.pendingToRenderedCommit)}`,
    `observe, per member: ${result.observe.requestsPerMember.toFixed(1)} API requests, ${result.observe.cpuMsPerMember.toFixed(1)} ms CPU (one observation of ${members} members: ${result.observe.wallMsPerObservation} ms)`,
    `load average before ${result.loadavg.before.join(' ')}, after ${result.loadavg.after.join(' ')} (${result.cpus} CPUs)`,
  ].join('\n') + '\n');
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
