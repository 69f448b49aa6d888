/**
 * The controller observes: two replicas (real `gitfed daemon --observe --render` processes with a
 * real management kube-apiserver) on seed example 2's members (kwok nodes of fixed capacity, the
 * real kube-scheduler). One replica holds the observer Lease and is the only writer of the state
 * branch. A replica goes Pending on the full on-prem member: exactly one state commit records it,
 * the render moves the overflow to burst, where it runs. Burst gets more room, a change for the
 * better that waits for the dwell time; the observing replica is SIGKILLed meanwhile: the other
 * takes the Lease over and commits it no sooner than the dwell time after the killed replica's
 * commit (the clock is the committed document's, across the handover). It carries on: on-prem's
 * room back is committed and rendered, and burst gives its replica back. Read back with git log:
 * every state commit was made by one replica (logged once), none is lost, and no two replicas
 * observed at once. Twice: with `--fleet` a repository every replica reaches by path, and as in
 * pods with disks of their own: `--repo` and `--fleet` an https URL (git's http-backend, with a
 * token), each replica pulling into its own cache and pushing the state branch, fast-forward only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../src/apply/member/kube-client.js';
import type { Lease } from '../../../src/controller/lease.js';
import { OBSERVER_LEASE } from '../../../src/controller/observer-plan.js';
import { statusName } from '../../../src/controller/status-object.js';
import { findBinaries, stopSet, up, type DevState } from '../../../src/dev/index.js';
import { eventually, OverflowFleet } from '../../../bench/state/fleet.js';
import { builtCli } from '../apply/fixtures.js';
import { clientFor, installCrd } from '../support/management.js';
import { startReplica, type Replica } from '../support/replicas.js';
import { parseMetrics, sample } from '../../support/prometheus-text.js';
import { startGitHttpServer, type GitHttpServer } from '../../support/git-http.js';
import { runGitfed } from '../../support/cli.js';

const DWELL = 20;
const NS = 'gitfed-observe';
const TIMING_FLAGS = ['--lease-duration', '6', '--renew-deadline', '4', '--retry-period', '1'];

const TOKEN = 'fleet-token-3b9e61d0c2';

function scenario(overHttps: boolean): void {
  describe(overHttps ? 'fleet at an https URL, a cache per replica' : 'fleet by path', () => scenarioBody(overHttps));
}

function scenarioBody(overHttps: boolean): void {
  let f: OverflowFleet;
  let management: DevState | undefined;
  let mgmtKubeconfig: string;
  let mgmt: KubeClient;
  let git: GitHttpServer | undefined;
  const replicas: Replica[] = [];

  const logOf = () => replicas.map((r) => r.lines.filter((l) => l.action?.startsWith('observe') || l.action === 'state-render').map((l) => `${r.id} ${l.time} ${l.action} ${l.msg}`).join('\n')).join('\n');
  const waitFor = <T>(what: string, probe: () => Promise<T | undefined>, ms = 120_000) => eventually(`${what}\n--- replicas' observe log ---\n${logOf().slice(-4000)}`, probe, ms);

  /** Commits of the state branch each replica logged as its own: `observe: fleet-state abc1234: ...`. */
  function commitsBy(r: Replica): { commit: string; at: number }[] {
    return r.lines.flatMap((l) => {
      const m = l.action === 'observe' ? /^observe: fleet-state ([0-9a-f]{7}): /.exec(l.msg) : null;
      return m ? [{ commit: m[1]!, at: Date.parse(l.time) }] : [];
    });
  }

  /** [start, end] of each stretch a replica observed; one still open ends at `openUntil`. */
  function observing(r: Replica, openUntil: number): { start: number; end: number }[] {
    const out: { start: number; end: number }[] = [];
    let start: number | undefined;
    for (const l of r.lines) {
      if (l.action === 'observe-start') start = Date.parse(l.time);
      if (l.action === 'observe-stop' && start !== undefined) {
        out.push({ start, end: Date.parse(l.time) });
        start = undefined;
      }
    }
    if (start !== undefined) out.push({ start, end: openUntil });
    return out;
  }

  /** The state commits that changed a member's document, newest first. */
  async function documentHistory(member: string): Promise<{ commit: string; time: number; body: string }[]> {
    const out = await f.git('log', '-z', '--format=%H%x01%ct%x01%B', 'fleet-state', '--', `members/${member}.json`);
    return out.split('\0').filter(Boolean).map((entry) => {
      const [commit, time, body] = entry.split('\x01') as [string, string, string];
      return { commit, time: Number(time), body };
    });
  }

  /** The replica logged the commit as its own (with a URL, once it is pushed, a moment after the branch moved). */
  const loggedBy = (r: Replica, commit: string) => waitFor(`${r.id} logging ${commit.slice(0, 7)}`, async () => (commitsBy(r).some((c) => c.commit === commit.slice(0, 7)) ? true : undefined), 10_000);

  async function observerLease(): Promise<Lease | undefined> {
    const { body } = await mgmt.request<Lease>('GET', `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases/${OBSERVER_LEASE}`).catch(() => ({ body: undefined }));
    return body;
  }

  async function events(reason: string): Promise<{ involvedObject: { kind: string; name: string }; message: string; source: { host: string } }[]> {
    const { body } = await mgmt.request<{ items: { reason: string; involvedObject: { kind: string; name: string }; message: string; source: { host: string } }[] }>('GET', `/api/v1/namespaces/${NS}/events`);
    return body.items.filter((e) => e.reason === reason);
  }

  async function metric(r: Replica, name: string): Promise<number | undefined> {
    return sample(parseMetrics(await (await fetch(`${await r.url()}/metrics`)).text()), name);
  }

  beforeAll(async () => {
    f = await OverflowFleet.start('gitfed-ctl-observe-', (l) => process.stderr.write(`[ctl-observe members] ${l}\n`));
    if (overHttps) {
      // The replicas fetch the output branch from the URL before anything else: it was rendered once before observing began.
      const rendered = await runGitfed(['render', '--commit', '--repo', f.repo]);
      expect(rendered.code, rendered.stderr).toBe(0);
      fs.writeFileSync(path.join(f.dir, 'token'), TOKEN);
      git = await startGitHttpServer(f.dir, { auth: { user: 'gitfed', password: TOKEN } });
    }
    const found = findBinaries();
    mgmtKubeconfig = path.join(f.dir, 'management.kubeconfig');
    management = await up({ kubeconfig: mgmtKubeconfig, names: ['management'], workloads: [], binaries: { ...found, paths: { etcd: found.paths.etcd, 'kube-apiserver': found.paths['kube-apiserver'] } }, ownerPid: process.pid, log: () => undefined });
    mgmt = await clientFor(mgmtKubeconfig, 'management');
    await mgmt.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } });
    await installCrd(mgmt);
    for (const id of ['replica-a', 'replica-b']) start(id);
  }, 300_000);

  function start(id: string): Replica {
    // The fleet served from the test's clone itself (its .git), so the test reads what was pushed.
    const fleet = git ? `${git.url}/fleet/.git` : f.repo;
    const auth = git ? ['--git-token-file', path.join(f.dir, 'token'), '--git-username', 'gitfed', '--fleet-ref', 'main'] : [];
    const r = startReplica(builtCli(), id, [
      '--repo', fleet, '--kubeconfig', f.kubeconfig, '--management-kubeconfig', mgmtKubeconfig, '--namespace', NS, '--http-address', '127.0.0.1:0', ...TIMING_FLAGS,
      '--observe', '--fleet', fleet, '--render', '--observe-interval', '2', '--dwell', String(DWELL), ...auth,
    ], { cwd: f.dir, env: { ...process.env, XDG_CACHE_HOME: path.join(f.dir, `cache-${id}`) } });
    replicas.push(r);
    return r;
  }

  afterAll(async () => {
    for (const r of replicas) {
      if (r.child.exitCode !== null || r.child.signalCode !== null) continue;
      const exited = r.exited();
      r.child.kill('SIGTERM');
      await exited;
    }
    if (process.env.GITFED_E2E_LOG) process.stderr.write(logOf() + '\n' + replicas.map((r) => r.other.join('\n')).join('\n'));
    if (management) await stopSet(management);
    await git?.close();
    await f?.stop();
    fs.rmSync(mgmtKubeconfig, { force: true });
  }, 120_000);

  describe('the controller\'s replicas observe, one at a time', () => {
    let observer: Replica;
    let other: Replica;
    let killedAt = 0;

    it('one replica takes the observer Lease; the first state is committed and rendered: 4 on-prem, none on burst', async () => {
      const holder = await waitFor('the observer Lease held', async () => (await observerLease())?.spec?.holderIdentity || undefined);
      observer = replicas.find((r) => r.id === holder)!;
      other = replicas.find((r) => r !== observer)!;
      expect(observer).toBeDefined();
      await waitFor('4 ready on-prem', async () => ((await f.deployment('onprem')).ready === 4 ? true : undefined));
      await waitFor('on-prem observed full', async () => ((await f.stateOf('onprem'))?.fit === 0 && (await f.stateOf('onprem'))?.ready === 4 ? true : undefined));
      expect((await f.subjects('fleet-state')).at(-1)).toContain('first observation');
      expect([await f.rendered('onprem'), await f.rendered('burst')]).toEqual([4, 0]);
      // Exactly one replica observes: its gauge is 1, the other's 0.
      await waitFor('the observing gauges', async () => ((await metric(observer, 'gitfed_observing')) === 1 && (await metric(other, 'gitfed_observing')) === 0 ? true : undefined), 30_000);
      expect(commitsBy(other)).toEqual([]);
    }, 300_000);

    it('a replica goes Pending on-prem: exactly one state commit records it, the render moves it to burst, where it runs', async () => {
      await f.squeezeOnprem();
      await waitFor('the pending replica observed and committed', async () => ((await f.stateOf('onprem'))?.pending === 1 ? true : undefined));
      const bodies = (await f.git('log', '-z', '--format=%B', 'fleet-state')).split('\0');
      expect(bodies.filter((b) => b.includes('onprem: 1 shop/web replica(s) pending, was 0'))).toHaveLength(1);
      await waitFor('1 ready on burst', async () => ((await f.deployment('burst')).ready === 1 ? true : undefined));
      expect([await f.rendered('onprem'), await f.rendered('burst')]).toEqual([4, 1]);
      const cause = await f.git('log', '-1', '--format=%(trailers:key=Gitfed-State-Commit,valueonly)', 'rendered');
      expect(await f.git('show', `${cause}:members/onprem.json`)).toContain('"pending": 1');
      // Its Event, on on-prem's MemberStatus, written by the observing replica.
      const committed = await waitFor('the StateCommitted event', async () => (await events('StateCommitted')).find((e) => e.message.includes('onprem: 1 shop/web replica(s) pending, was 0')), 30_000);
      expect(committed.involvedObject).toMatchObject({ kind: 'MemberStatus', name: statusName('onprem') });
      expect(committed.source.host).toBe(observer.id);
      expect(commitsBy(other)).toEqual([]);
    }, 300_000);

    it('the observing replica is killed while a change for the better waits: the other takes over and commits it no sooner than the dwell time after the killed one\'s commit', async () => {
      // Burst's document as the observing replica committed it, its counts moved by the overflow.
      await waitFor('burst\'s running replica committed', async () => ((await f.stateOf('burst'))?.ready === 1 ? true : undefined));
      const burstDoc = async (rev: string) => JSON.parse(await f.git('show', `${rev}:members/burst.json`)) as { changedAt: string; workloads: Record<string, { fit: number }> };
      const committedBurst = await f.git('log', '-1', '--format=%H', 'fleet-state', '--', 'members/burst.json');
      await loggedBy(observer, committedBurst);
      // More room on burst is a change for the better: it waits for the dwell time, counted from that commit.
      await f.addNode('burst', 'burst-extra', '32');
      await waitFor('the observing replica holding burst\'s room', async () => (observer.lines.some((l) => /waiting for the dwell time: .*burst: room for/.test(l.msg)) ? true : undefined), 30_000);
      killedAt = Date.now();
      observer.child.kill('SIGKILL');
      await observer.exited();
      await waitFor('the other replica observing', async () => ((await observerLease())?.spec?.holderIdentity === other.id && other.lines.some((l) => l.action === 'observe-start') ? true : undefined), 60_000);
      expect(other.lines.find((l) => l.action === 'observe-start')!.msg).toBe(`took over observing from ${observer.id}`);
      const rise = await waitFor('burst\'s room committed by the new observer', async () => (await documentHistory('burst')).find((c) => /burst: room for \d+ more shop\/web, was 63/.test(c.body)), 90_000);
      const [riseCommit, riseTime] = [rise.commit, rise.time];
      await loggedBy(other, riseCommit);
      // The document it replaced is the killed replica's; the dwell clock is that document's, not the new observer's memory.
      const replaced = await burstDoc(`${riseCommit}^`);
      expect(await f.git('log', '-1', '--format=%H', `${riseCommit}^`, '--', 'members/burst.json')).toBe(committedBurst);
      expect(riseTime - Date.parse(replaced.changedAt) / 1000).toBeGreaterThanOrEqual(DWELL);
      // A rise must be seen through a whole dwell time by the observer that commits it (the
      // stabilisation window; what the killed replica saw stayed in its own clone): the new
      // observer waits no less than the document's dwell time, and up to a dwell time of its own.
      const held = other.lines.find((l) => /waiting for the dwell time: .*burst: room for/.test(l.msg));
      if (held) {
        const due = Date.parse(/after (\S+Z)/.exec(held.msg)![1]!);
        expect(due).toBeGreaterThanOrEqual(Date.parse(replaced.changedAt) + DWELL * 1000);
        expect(due).toBeLessThanOrEqual(killedAt + (DWELL + 60) * 1000);
      }
      expect((await burstDoc('fleet-state')).workloads['apps/Deployment/shop/web']!.fit).toBeGreaterThan(63);
    }, 300_000);

    it('the new observer carries on: on-prem\'s room back is committed after the dwell time and burst gives its replica back', async () => {
      await f.releaseOnprem();
      await waitFor('4 ready on-prem again', async () => ((await f.deployment('onprem')).ready === 4 ? true : undefined));
      await waitFor('the room committed after the dwell time', async () => ((await f.stateOf('onprem'))?.pending === 0 ? true : undefined), 90_000);
      const onprem = await documentHistory('onprem');
      const back = onprem.findIndex((c) => c.body.includes('onprem: 0 shop/web replica(s) pending, was 1'));
      expect(back).toBeGreaterThanOrEqual(0);
      // Measured from the document's previous commit, whoever made it.
      expect(onprem[back]!.time - onprem[back + 1]!.time).toBeGreaterThanOrEqual(DWELL);
      await loggedBy(other, onprem[back]!.commit);
      await waitFor('burst scaled to 0', async () => ((await f.deployment('burst')).replicas === 0 ? true : undefined));
      expect([await f.rendered('onprem'), await f.rendered('burst')]).toEqual([4, 0]);
      expect(other.lines.some((l) => l.action === 'state-render')).toBe(true);
      expect((await events('Observing')).map((e) => e.message)).toContain(`replica ${other.id} took over observing from ${observer.id}`);
      expect(await metric(other, 'gitfed_observing')).toBe(1);
      expect(await metric(other, 'gitfed_observer_acquisitions_total')).toBe(1);
      expect(await metric(other, 'gitfed_state_commits_total')).toBe(commitsBy(other).length);
    }, 300_000);

    it('a replica joining does not take the observer Lease from a live holder; SIGTERM gives it back to be taken, not waited out', async () => {
      const third = start('replica-c');
      // Once the newcomer holds members of its own it has counted both replicas alive.
      await waitFor('replica-c holding a member', async () => (third.lines.some((l) => l.action === 'acquire') ? true : undefined), 60_000);
      await waitFor('replica-c serving metrics', async () => ((await metric(third, 'gitfed_observing')) === 0 ? true : undefined), 30_000);
      expect((await observerLease())?.spec?.holderIdentity).toBe(other.id);
      expect(third.lines.some((l) => l.action === 'observe-start')).toBe(false);
      const exited = other.exited();
      other.child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await waitFor('replica-c observing', async () => ((await observerLease())?.spec?.holderIdentity === third.id && third.lines.some((l) => l.action === 'observe-start') ? true : undefined), 60_000);
      // Given back, not taken from a holder gone silent: no "took over from".
      expect(third.lines.find((l) => l.action === 'observe-start')!.msg).toBe('observing the members');
      expect(other.lines.find((l) => l.action === 'observe-stop')?.msg).toBe('stopped observing: replica stopping; observer Lease handed back');
    }, 120_000);

    it('git log: every state commit was made by exactly one replica, none is lost, and no two replicas observed at once', async () => {
      const history = (await f.git('log', '--first-parent', '--format=%H', 'fleet-state')).split('\n').map((c) => c.slice(0, 7));
      const logged = replicas.flatMap((r) => commitsBy(r).map((c) => ({ ...c, replica: r.id })));
      // No duplicate: a commit is logged by one replica, once.
      expect(new Set(logged.map((c) => c.commit)).size).toBe(logged.length);
      // None lost: every commit a replica made is on the branch, and the branch holds nothing else.
      expect([...logged.map((c) => c.commit)].sort()).toEqual([...history].sort());
      expect((await f.git('log', '--format=%p', 'fleet-state')).split('\n').every((p) => p.split(' ').filter(Boolean).length <= 1)).toBe(true);
      // The killed replica's commits all came before the kill; the survivor's all after it.
      for (const c of logged) expect(c.replica === observer.id ? c.at <= killedAt : c.at > killedAt, `${c.replica} ${c.commit}`).toBe(true);
      const stretches = replicas.flatMap((r) => observing(r, r === observer ? killedAt : Date.now()).map((x) => ({ ...x, replica: r.id })));
      for (const x of stretches) {
        for (const y of stretches) if (x.replica < y.replica) expect(y.start > x.end || x.start > y.end, `observing ${JSON.stringify(x)} and ${JSON.stringify(y)}`).toBe(true);
      }
    }, 60_000);
  });
}

scenario(false);
scenario(true);
