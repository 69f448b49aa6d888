/**
 * Controller benchmark (issue 11): the largest fleet this machine holds, sharded between
 * replicas that are real `gitfed daemon` processes, on real control planes (one management
 * cluster, one kube-apiserver per member, one shared etcd).
 *
 *   npm run build && npm run bench:controller [-- --members 12 --objects 300 --replicas 3 --heads 10 --json]
 *
 * Measures: a new branch head to every member applied (P50, P99, from the commit to each
 * member's reconcile end at that head, read from the replicas' JSON logs); failover after a
 * SIGKILL (the kill to the last of its members reconciled at a new head by its new holder);
 * memory per member and per thousand objects (replicas' RSS less an idle replica's); requests
 * per member, and per replica to the management cluster, in an idle minute.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import yaml from 'js-yaml';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '../../src/apply/member/kube-client.js';
import { findBinaries, stopSet, up } from '../../src/dev/index.js';
import { rssKiB } from '../../src/dev/processes.js';
import { benchObjects, writeFleet } from '../apply/fleet.js';

interface LogLine {
  time: string;
  member?: string;
  action?: string;
  state?: string;
  revision?: string;
  [k: string]: unknown;
}

interface Replica {
  id: string;
  child: ChildProcess;
  lines: LogLine[];
  url?: string;
}

const CLI = path.resolve('dist/cmd/gitfed.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** apiserver_request_total of the resources gitfed touches on a member, watches included. */
function requestTotal(text: string, resources: ReadonlySet<string>): number {
  let n = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (resources.has(labels.resource ?? '')) n += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return n;
}

async function main(): Promise<void> {
  const opts = new Command('bench-controller')
    .option('--members <n>', 'member clusters', (v) => Number(v), 12)
    .option('--objects <n>', 'objects per member', (v) => Number(v), 300)
    .option('--replicas <n>', 'controller replicas', (v) => Number(v), 3)
    .option('--heads <n>', 'branch heads for the latency sample', (v) => Number(v), 10)
    .option('--lease <s>', 'lease duration (renew deadline 2/3 of it, retry 2 s)', (v) => Number(v), 15)
    .option('--idle <s>', 'length of the idle window', (v) => Number(v), 60)
    .option('--json', 'print JSON')
    .option('--logs <dir>', 'keep each replica\'s JSON log there')
    .parse()
    .opts<{ members: number; objects: number; replicas: number; heads: number; lease: number; idle: number; json?: boolean; logs?: string }>();
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitfed-bench-controller-'));
  const members = Array.from({ length: opts.members }, (_, i) => `m${String(i + 1).padStart(2, '0')}`);
  const found = findBinaries();
  const binaries = { ...found, paths: { etcd: found.paths.etcd, 'kube-apiserver': found.paths['kube-apiserver'] } };
  const kubeconfig = path.join(work, 'all.kubeconfig');
  log(`starting a management cluster and ${members.length} members (one kube-apiserver each, one etcd)...`);
  const t0 = Date.now();
  const state = await up({ kubeconfig, names: ['mgmt', ...members], workloads: [], binaries, ownerPid: process.pid, log: () => undefined, startTimeoutMs: 300_000 });
  log(`control planes ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  const replicas: Replica[] = [];
  try {
    const doc = yaml.load(fs.readFileSync(kubeconfig, 'utf8')) as { contexts: { name: string }[]; clusters: { name: string }[]; users: { name: string }[] };
    const only = (names: string[]) => ({ ...doc, contexts: doc.contexts.filter((c) => names.includes(c.name)), clusters: doc.clusters.filter((c) => names.includes(c.name)), users: doc.users.filter((u) => names.some((n) => u.name === `${n}-admin`)), 'current-context': names[0] });
    const mgmtFile = path.join(work, 'mgmt.kubeconfig');
    const membersFile = path.join(work, 'members.kubeconfig');
    fs.writeFileSync(mgmtFile, yaml.dump(only(['mgmt'])));
    fs.writeFileSync(membersFile, yaml.dump(only(members)));
    const kc = (file: string, ctx: string) => {
      const k = new KubeConfig();
      k.loadFromFile(file);
      return KubeClient.connect(k, ctx, ctx, { concurrency: 4 });
    };
    const mgmt = await kc(mgmtFile, 'mgmt');
    const memberClients = await Promise.all(members.map((m) => kc(membersFile, m)));
    for (const ns of ['gitfed-bench', 'gitfed-bench-idle']) await mgmt.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } });
    await mgmt.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: yaml.load(fs.readFileSync('deploy/base/crd.yaml', 'utf8')) });
    await until('the CRD', async () => ((await mgmt.request<{ status?: { conditions?: { type: string; status: string }[] } }>('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/memberstatuses.gitfed.io')).body.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined), 60_000);

    // The fleet: a git repository whose `rendered` branch has one directory per member.
    const repo = path.join(work, 'repo');
    fs.mkdirSync(repo);
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@x', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@x' } }).trim();
    git('init', '-q', '-b', 'rendered');
    const commit = (head: number): string => {
      writeFleet(repo, members, (m) =>
        benchObjects(`bench-${m}`, opts.objects).map((o) => (o.kind === 'ConfigMap' && o.metadata.name === 'app-0002' ? { ...o, data: { ...(o.data as object), head: String(head) } } : o)),
      );
      git('add', '-A');
      git('commit', '-q', '-m', `head ${head}`);
      return git('rev-parse', 'HEAD');
    };

    const start = (id: string, ns: string, extra: string[] = []): Replica => {
      const args = [CLI, 'daemon', '--repo', repo, '--kubeconfig', membersFile, '--management-kubeconfig', mgmtFile, '--namespace', ns, '--replica', id, '--log-format', 'json', '--http-address', '127.0.0.1:0', '--lease-duration', String(opts.lease), '--renew-deadline', String(Math.round((opts.lease * 2) / 3)), '--retry-period', '2', ...extra];
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      const r: Replica = { id, child, lines: [] };
      let buf = '';
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (c: string) => {
        buf += c;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          try {
            const l = JSON.parse(line) as LogLine;
            r.lines.push(l);
            if (l.action === 'serve') r.url = `http://${String(l.address)}`;
          } catch {
            log(`[${id}] ${line}`);
          }
        }
      });
      replicas.push(r);
      return r;
    };
    /** When each member was last reconciled at `revision` (by anyone, or by one replica). */
    const doneAt = (revision: string, who?: (r: Replica) => boolean) => {
      const out = new Map<string, number>();
      for (const r of replicas) {
        if (who && !who(r)) continue;
        for (const l of r.lines) if (l.action === 'reconcile-end' && l.revision === revision && l.state === 'Synced' && l.member && !out.has(l.member)) out.set(l.member, Date.parse(l.time));
      }
      return out;
    };

    const v1 = commit(0);
    const tSync = Date.now();
    const shard = Array.from({ length: opts.replicas }, (_, i) => start(`r${i + 1}`, 'gitfed-bench'));
    await until('every member synced', () => (doneAt(v1).size === members.length ? true : undefined), 600_000);
    const firstSync = (Math.max(...doneAt(v1).values()) - tSync) / 1000;
    log(`first sync of ${members.length} x ${opts.objects} objects: ${firstSync.toFixed(1)}s from the replicas' start`);
    await sleep(5000);

    // A new head to every member applied.
    const latencies: number[] = [];
    let head = v1;
    // From the moment the branch ref moved (its file's mtime), not from the start of writing 3,600 files.
    const refMoved = () => fs.statSync(path.join(repo, '.git', 'refs', 'heads', 'rendered')).mtimeMs;
    for (let h = 1; h <= opts.heads; h++) {
      head = commit(h);
      const at = refMoved();
      const done = await until(`head ${h} everywhere`, () => {
        const d = doneAt(head);
        return d.size === members.length ? d : undefined;
      }, 120_000);
      for (const t of done.values()) latencies.push(t - at);
      await sleep(1000);
    }
    log(`new head to applied: P50 ${percentile(latencies, 50)} ms, P99 ${percentile(latencies, 99)} ms over ${latencies.length} samples`);

    // Memory: every replica's RSS against an idle replica's (no members), after a quiet spell.
    const idle = start('idle', 'gitfed-bench-idle', ['--cluster', 'no-such-member']);
    await sleep(20_000);
    const rss = shard.map((r) => (rssKiB(r.child.pid!) ?? 0) * 1024);
    const idleRss = (rssKiB(idle.child.pid!) ?? 0) * 1024;
    const perMember = (rss.reduce((a, b) => a + b, 0) - opts.replicas * idleRss) / members.length;
    log(`RSS: replicas ${rss.map((b) => `${(b / 2 ** 20).toFixed(0)} MiB`).join(', ')}; idle replica ${(idleRss / 2 ** 20).toFixed(0)} MiB; per member ${(perMember / 2 ** 20).toFixed(1)} MiB`);

    // An idle minute: requests to the members and to the management cluster.
    const resources = new Set(['namespaces', 'configmaps', 'services', 'deployments']);
    const memberRequests = async () => (await Promise.all(memberClients.map(async (c) => requestTotal(await c.metrics(), resources)))).reduce((a, b) => a + b, 0);
    const mgmtRequests = async () => {
      let n = 0;
      for (const r of shard) {
        const text = await (await fetch(`${r.url}/metrics`)).text();
        const m = /^gitfed_management_requests (\S+)$/m.exec(text);
        n += Number(m?.[1] ?? 0);
      }
      return n;
    };
    const [mb, gb] = [await memberRequests(), await mgmtRequests()];
    await sleep(opts.idle * 1000);
    const [ma, ga] = [await memberRequests(), await mgmtRequests()];
    const perMemberMinute = ((ma - mb) / members.length) * (60 / opts.idle);
    const perReplicaMinute = ((ga - gb) / opts.replicas) * (60 / opts.idle);
    log(`idle: ${perMemberMinute.toFixed(1)} requests per member per minute (members' own count), ${perReplicaMinute.toFixed(1)} per replica per minute to the management cluster`);

    // Failover: SIGKILL the replica holding the most members, and a new head at once.
    const held = new Map<string, string>();
    const leases = (await mgmt.request<{ items: { spec: { holderIdentity?: string }; metadata: { annotations?: Record<string, string> } }[] }>('GET', '/apis/coordination.k8s.io/v1/namespaces/gitfed-bench/leases', { query: { labelSelector: 'gitfed.io/lease=member' } })).body.items;
    for (const l of leases) held.set(l.metadata.annotations?.['gitfed.io/member'] ?? '', l.spec.holderIdentity ?? '');
    const victim = [...shard].sort((a, b) => [...held.values()].filter((h) => h === b.id).length - [...held.values()].filter((h) => h === a.id).length)[0]!;
    const victimMembers = [...held].filter(([, h]) => h === victim.id).map(([m]) => m);
    victim.child.kill('SIGKILL');
    const killedAt = Date.now();
    const after = commit(opts.heads + 1);
    // Re-owned and reconciled: each of its members' first reconcile by another replica after the kill.
    const reconciledAfterKill = () => {
      const out = new Map<string, number>();
      for (const r of replicas) {
        if (r === victim) continue;
        for (const l of r.lines) if (l.action === 'reconcile-end' && l.state === 'Synced' && l.member && victimMembers.includes(l.member) && Date.parse(l.time) > killedAt && !out.has(l.member)) out.set(l.member, Date.parse(l.time));
      }
      return out;
    };
    const taken = await until('the victim\'s members taken over', () => {
      const d = reconciledAfterKill();
      return victimMembers.every((m) => d.has(m)) ? d : undefined;
    }, 180_000);
    await until('the new head on the victim\'s members', () => (victimMembers.every((m) => doneAt(after, (r) => r !== victim).has(m)) ? true : undefined), 180_000);
    const failover = Math.max(...victimMembers.map((m) => taken.get(m)! - killedAt)) / 1000;
    log(`failover: ${victim.id} held ${victimMembers.length} member(s); all re-owned and reconciled by their new holders ${failover.toFixed(1)}s after SIGKILL (lease ${opts.lease}s), then brought to the new head`);

    const result = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, loadavg: os.loadavg().map((x) => Number(x.toFixed(2))) },
      fleet: { members: members.length, objectsPerMember: opts.objects, replicas: opts.replicas, leaseSeconds: opts.lease },
      firstSyncSeconds: Number(firstSync.toFixed(1)),
      headToAppliedMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies), samples: latencies.length },
      failoverSeconds: Number(failover.toFixed(1)),
      memory: { replicaRssMiB: rss.map((b) => Number((b / 2 ** 20).toFixed(1))), idleReplicaRssMiB: Number((idleRss / 2 ** 20).toFixed(1)), perMemberMiB: Number((perMember / 2 ** 20).toFixed(2)), perThousandObjectsMiB: Number(((perMember / 2 ** 20) * (1000 / opts.objects)).toFixed(2)) },
      idle: { requestsPerMemberPerMinute: Number(perMemberMinute.toFixed(1)), managementRequestsPerReplicaPerMinute: Number(perReplicaMinute.toFixed(1)) },
    };
    process.stdout.write(opts.json ? JSON.stringify(result, null, 2) + '\n' : `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    if (opts.logs) {
      fs.mkdirSync(opts.logs, { recursive: true });
      for (const r of replicas) fs.writeFileSync(path.join(opts.logs, `${r.id}.jsonl`), r.lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    }
    await stopSet(state);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-controller: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(2);
});
