/**
 * Three controller replicas (real `gitfed daemon` processes) share six members through Leases in
 * a real management cluster. One is killed with SIGKILL: its members are taken over and get the
 * next branch head from their new holder, the other members keep their holder, and no member is
 * ever reconciled by two replicas at once. A fourth replica joins: the members rebalance to the
 * rendezvous assignment and none is left without a holder. SIGTERM hands everything back.
 */
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../src/apply/member/kube-client.js';
import type { Lease } from '../../../src/controller/lease.js';
import { assign, ownerOf } from '../../../src/controller/rendezvous.js';
import { MEMBER_ANNOTATION } from '../../../src/controller/shard.js';
import { reportOf, type MemberStatusObject } from '../../../src/controller/status-object.js';
import { builtCli, configMap, gitBranch, namespace, tmpDir, uniq, until, type Fleet } from '../apply/fixtures.js';
import { clientFor, installCrd, startExtraClusters, type ExtraClusters } from '../support/management.js';
import { overlaps, reconcileIntervals, startReplica, type Replica } from '../support/replicas.js';
import { parseMetrics, sample } from '../../support/prometheus-text.js';

const LEASE = 6;
const TIMING_FLAGS = ['--lease-duration', String(LEASE), '--renew-deadline', '4', '--retry-period', '1'];
const CONFIG_MAPS = 10;
describe('replicas sharded by Leases', () => {
  const dir = tmpDir('shard');
  const ns = uniq('shard');
  const leaseNs = uniq('gitfed');
  const repo = gitBranch();
  let clusters: ExtraClusters;
  let mgmt: KubeClient;
  const replicas: Replica[] = [];
  const killedAt = new Map<string, number>();
  const configFile = path.join(dir, 'gitfed-apply.yaml');
  fs.writeFileSync(configFile, 'requestTimeoutSeconds: 2\n');

  async function statuses(): Promise<Map<string, ReturnType<typeof reportOf>>> {
    const { body } = await mgmt.request<{ items: MemberStatusObject[] }>('GET', `/apis/gitfed.io/v1alpha1/namespaces/${leaseNs}/memberstatuses`);
    return new Map(body.items.map((o) => [o.spec.member, reportOf(o)]));
  }

  /** Every member's status written by its holder, at `commit`, in `state`. */
  const statusAt = (commit: string, holders: ReadonlyMap<string, string>, state = 'Synced') => async () => {
    const all = await statuses();
    for (const m of clusters.memberNames) {
      const s = all.get(m);
      if (!s || s.report.branchCommit !== commit || s.report.state !== state || s.extra.replica !== holders.get(m)) return undefined;
    }
    return all;
  };

  const gitfedStatus = () => JSON.parse(execFileSync(process.execPath, [builtCli(), 'status', '--kubeconfig', clusters.management, '--namespace', leaseNs, '--format', 'json'], { encoding: 'utf8' })) as { members: { cluster: string; state: string; branchCommit?: string; message?: string }[] };

  const objects = (version: string) => [namespace(ns), ...Array.from({ length: CONFIG_MAPS }, (_, i) => configMap(ns, `cm-${i}`, { version }))];
  const fleetAt = (version: string): Fleet => Object.fromEntries(clusters.memberNames.map((m) => [m, objects(version)]));

  function start(id: string, http: string[] = ['--http-address', '127.0.0.1:0']): Replica {
    const r = startReplica(builtCli(), id, ['--repo', repo.dir, '--kubeconfig', clusters.members, '--management-kubeconfig', clusters.management, '--namespace', leaseNs, '--config', configFile, ...http, ...TIMING_FLAGS], { cwd: dir });
    replicas.push(r);
    return r;
  }

  async function memberLeases(): Promise<Map<string, Lease>> {
    const { body } = await mgmt.request<{ items: Lease[] }>('GET', `/apis/coordination.k8s.io/v1/namespaces/${leaseNs}/leases`, { query: { labelSelector: 'gitfed.io/lease=member' } });
    return new Map(body.items.map((l) => [l.metadata.annotations![MEMBER_ANNOTATION]!, l]));
  }

  async function versionsOn(member: string): Promise<string[]> {
    const c = await clientFor(clusters.members, member);
    const { items } = await c.list({ group: '', version: 'v1', kind: 'ConfigMap' }, undefined, ns);
    return items.filter((o) => o.metadata.name.startsWith('cm-')).map((o) => (o.data as Record<string, string>).version!);
  }

  const allAt = (version: string) => async () => {
    for (const m of clusters.memberNames) {
      const v = await versionsOn(m).catch(() => []);
      if (v.length !== CONFIG_MAPS || v.some((x) => x !== version)) return undefined;
    }
    return true;
  };

  /** Every member's Lease held by the replica the rendezvous assignment over `live` names. */
  const heldAsAssigned = (live: readonly string[]) => async () => {
    const leases = await memberLeases();
    const want = assign(clusters.memberNames, live);
    for (const m of clusters.memberNames) if (leases.get(m)?.spec?.holderIdentity !== want.get(m)) return undefined;
    return leases;
  };

  beforeAll(async () => {
    clusters = await startExtraClusters(dir, 'management', ['member4', 'member5', 'member6']);
    mgmt = await clientFor(clusters.management, 'management');
    await mgmt.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: leaseNs } } });
    await installCrd(mgmt);
  }, 300_000);

  afterAll(async () => {
    for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await clusters?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('splits six members between three replicas, survives a SIGKILL without a double apply, and rebalances for a fourth', async () => {
    const three = ['replica-a', 'replica-b', 'replica-c'];
    const v1 = repo.commit(fleetAt('1'), 'v1');
    expect(v1).toMatch(/^[0-9a-f]{40}$/);
    for (const id of three) start(id);

    const before = await until('every member held as assigned', heldAsAssigned(three), 120_000);
    await until('v1 on every member', allAt('1'), 120_000);
    // Replicas that start a moment apart may first take members that go on to another (handed back, never shared).
    const stableAt = Date.now();
    const holderBefore = new Map([...before].map(([m, l]) => [m, l.spec!.holderIdentity!]));
    for (const id of three) expect([...holderBefore.values()]).toContain(id);
    await until('every member\'s status written by its holder at v1', statusAt(v1, holderBefore), 60_000);

    // Each replica's /metrics: it owns exactly its members; summed over replicas, each member once.
    await until('every replica ready', async () => {
      for (const r of replicas) if ((await fetch(`${await r.url()}/readyz`)).status !== 200) return undefined;
      return true;
    });
    const owned = new Map<string, number>();
    const created = new Map<string, number>();
    for (const r of replicas) {
      const res = await fetch(`${await r.url()}/metrics`);
      expect(res.status).toBe(200);
      const metrics = parseMetrics(await res.text());
      const mine = clusters.memberNames.filter((m) => holderBefore.get(m) === r.id);
      expect(sample(metrics, 'gitfed_replica_members')).toBe(mine.length);
      expect(sample(metrics, 'gitfed_replicas')).toBe(3);
      for (const m of clusters.memberNames) {
        owned.set(m, (owned.get(m) ?? 0) + (sample(metrics, 'gitfed_member_owned', { member: m }) ?? 0));
        created.set(m, (created.get(m) ?? 0) + (sample(metrics, 'gitfed_applies_total', { member: m, kind: 'ConfigMap', action: 'created' }) ?? 0));
      }
      for (const m of mine) {
        expect(sample(metrics, 'gitfed_member_revision_info', { member: m, revision: v1 })).toBe(1);
        expect(sample(metrics, 'gitfed_reconcile_duration_seconds_count', { member: m })).toBeGreaterThan(0);
      }
    }
    expect([...owned.values()]).toEqual(clusters.memberNames.map(() => 1));
    // Each ConfigMap was created once, by one replica or another: none twice.
    expect([...created.values()]).toEqual(clusters.memberNames.map(() => CONFIG_MAPS));
    // Any replica serves the whole fleet.
    const api = await (await fetch(`${await replicas[0]!.url()}/api/v1/status`)).json() as { members: { cluster: string; state: string }[] };
    expect(api.members.map((m) => [m.cluster, m.state])).toEqual(clusters.memberNames.map((m) => [m, 'Synced']).sort());

    // The victim is the replica with the most members.
    const count = (id: string) => [...holderBefore.values()].filter((h) => h === id).length;
    const victimId = [...three].sort((a, b) => count(b) - count(a))[0]!;
    const victim = replicas.find((r) => r.id === victimId)!;
    const survivors = three.filter((id) => id !== victimId);
    const victimMembers = clusters.memberNames.filter((m) => holderBefore.get(m) === victimId);
    const otherMembers = clusters.memberNames.filter((m) => holderBefore.get(m) !== victimId);

    victim.child.kill('SIGKILL');
    await victim.exited();
    const killTime = Date.now();
    killedAt.set(victimId, killTime);
    const v2 = repo.commit(fleetAt('2'), 'v2');

    const after = await until('the victim\'s members taken over', heldAsAssigned(survivors), 120_000);
    await until('v2 on every member', allAt('2'), 120_000);
    // The status stays whole: every member's object, from its current holder, at v2.
    const holderAfter = new Map([...after].map(([m, l]) => [m, l.spec!.holderIdentity!]));
    await until('every member\'s status at v2 from its current holder', statusAt(v2, holderAfter), 60_000);
    const cli = gitfedStatus();
    expect(cli.members.map((m) => [m.cluster, m.state, m.branchCommit])).toEqual(clusters.memberNames.map((m) => [m, 'Synced', v2]).sort());

    for (const m of victimMembers) {
      expect(survivors).toContain(after.get(m)!.spec!.holderIdentity);
      expect(after.get(m)!.spec!.leaseTransitions).toBe((before.get(m)!.spec!.leaseTransitions ?? 0) + 1);
    }
    for (const m of otherMembers) {
      expect(after.get(m)!.spec!.holderIdentity).toBe(holderBefore.get(m));
      expect(after.get(m)!.spec!.leaseTransitions).toBe(before.get(m)!.spec!.leaseTransitions);
      // Only its holder reconciled it since.
      const by = new Set(replicas.flatMap((r) => r.lines.filter((l) => l.member === m && l.action === 'reconcile-start' && Date.parse(l.time) >= stableAt).map(() => r.id)));
      expect([...by]).toEqual([holderBefore.get(m)]);
    }

    // The victim's members got v2 from their new holder, after the kill.
    const failover: number[] = [];
    for (const m of victimMembers) {
      const holder = replicas.find((r) => r.id === after.get(m)!.spec!.holderIdentity)!;
      const applied = holder.lines.find((l) => l.member === m && l.action === 'reconcile-end' && l.state === 'Synced' && Date.parse(l.time) > killTime);
      expect(applied, `${holder.id} reconciled ${m} after the kill`).toBeDefined();
      const firstStart = holder.lines.find((l) => l.member === m && l.action === 'reconcile-start')!;
      expect(Date.parse(firstStart.time)).toBeGreaterThan(killTime);
      failover.push(Date.parse(applied!.time) - killTime);
    }
    process.stderr.write(`[sharding] SIGKILL of ${victimId} (${victimMembers.join(', ')}): reconciled by the new holders ${failover.map((ms) => `${(ms / 1000).toFixed(1)}s`).join(', ')} after the kill (lease ${LEASE}s)\n`);

    // A fourth replica joins: the members go to the rendezvous assignment over the four.
    const live = [...survivors];
    const newcomer = ['replica-d', 'replica-e', 'replica-f', 'replica-g'].find((id) => clusters.memberNames.some((m) => ownerOf(m, [...live, id]) === id))!;
    live.push(newcomer);
    // The newcomer serves on every address: only with a token, which the data and metrics then need.
    const tokenFile = path.join(dir, 'token');
    fs.writeFileSync(tokenFile, 'e2e-token-0123456789abcdef\n', { mode: 0o600 });
    const open = start('replica-open', ['--http-address', '0.0.0.0:0']);
    expect(await open.exited()).toBe(2);
    expect(open.other.join('\n')).toMatch(/needs a bearer token \[InvalidFlag\]/);
    const joined = start(newcomer, ['--http-address', '0.0.0.0:0', '--http-token-file', tokenFile]);
    const base = await joined.url();
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/api/v1/status`, { headers: { Authorization: 'Bearer not-the-token-at-all' } })).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { Authorization: 'Bearer e2e-token-0123456789abcdef' } })).status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const rebalanced = await until('rebalanced over four replicas', heldAsAssigned(live), 120_000);
    expect([...rebalanced.values()].filter((l) => l.spec!.holderIdentity === newcomer).length).toBeGreaterThan(0);
    const moved = clusters.memberNames.filter((m) => rebalanced.get(m)!.spec!.holderIdentity === newcomer);
    const newcomerReplica = replicas.find((r) => r.id === newcomer)!;
    await until('the newcomer reconciled its members', () => (moved.every((m) => newcomerReplica.lines.some((l) => l.member === m && l.action === 'reconcile-end' && l.state === 'Synced')) ? true : undefined), 60_000);

    // A member whose API server stops answering: Unreachable, with its last known state and its age.
    const frozen = 'member6';
    const apiserver = clusters.state.members.find((m) => m.name === frozen)!.processes.find((p) => p.role === 'kube-apiserver')!.pid;
    process.kill(apiserver, 'SIGSTOP');
    try {
      const v3 = repo.commit(fleetAt('3'), 'v3');
      const down = await until(`${frozen} Unreachable`, async () => {
        const s = (await statuses()).get(frozen);
        return s?.report.state === 'Unreachable' ? s : undefined;
      }, 90_000);
      expect(down.report.branchCommit).toBe(v2);
      expect(down.extra.headCommit).toBe(v3);
      const line = gitfedStatus().members.find((m) => m.cluster === frozen)!;
      expect(line.state).toBe('Unreachable');
      expect(line.message).toMatch(new RegExp(`last synced \\d+(s|m)[\\dsm]* ago at ${v2.slice(0, 7)}`));
      process.kill(apiserver, 'SIGCONT');
      await until(`${frozen} back at v3`, async () => ((await statuses()).get(frozen)?.report.state === 'Synced' && (await statuses()).get(frozen)?.report.branchCommit === v3 ? true : undefined), 120_000);
    } finally {
      process.kill(apiserver, 'SIGCONT');
    }

    // Never two replicas on one member at once, over the whole run.
    for (const m of clusters.memberNames) {
      const intervals = reconcileIntervals(replicas, m, (r) => killedAt.get(r.id) ?? Date.now());
      expect(overlaps(intervals), m).toEqual([]);
    }

    // SIGTERM: every replica hands its members back and exits 0.
    const running = replicas.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
    for (const r of running) r.child.kill('SIGTERM');
    for (const r of running) expect(await r.exited()).toBe(0);
    const end = await memberLeases();
    for (const m of clusters.memberNames) expect(end.get(m)!.spec!.holderIdentity ?? '').toBe('');
  });
});
