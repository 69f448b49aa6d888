/**
 * Another controller keeps setting a field gitfed applies. gitfed does not feed the fight: after
 * a few corrections it reports the member Fighting, naming the object, the field and the other
 * field manager, pauses its drift corrections, and says so in an Event on the member's status.
 */
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../src/apply/member/kube-client.js';
import { reportOf, type MemberStatusObject } from '../../../src/controller/status-object.js';
import { builtCli, configMap, gitBranch, namespace, tmpDir, uniq, until } from '../apply/fixtures.js';
import { clientFor, installCrd, startExtraClusters, type ExtraClusters } from '../support/management.js';
import { memberKubeconfig, memberNames } from '../support/members.js';
import { startReplica, type Replica } from '../support/replicas.js';

describe('a fight with another controller', () => {
  const dir = tmpDir('fight');
  const ns = uniq('fight');
  const leaseNs = uniq('gitfed');
  let clusters: ExtraClusters;
  let mgmt: KubeClient;
  let replica: Replica | undefined;

  beforeAll(async () => {
    clusters = await startExtraClusters(dir, 'management', []);
    mgmt = await clientFor(clusters.management, 'management');
    await mgmt.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: leaseNs } } });
    await installCrd(mgmt);
  }, 300_000);

  afterAll(async () => {
    if (replica && replica.child.exitCode === null) replica.child.kill('SIGKILL');
    await clusters?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is detected and backed off from, naming the field and the manager', async () => {
    const m = memberNames()[0]!;
    const repo = gitBranch();
    repo.commit({ [m]: [namespace(ns), configMap(ns, 'fought', { a: 'ours' })] }, 'v1');
    replica = startReplica(builtCli(), 'fighter-test', ['--repo', repo.dir, '--kubeconfig', memberKubeconfig(), '--cluster', m, '--management-kubeconfig', clusters.management, '--namespace', leaseNs, '--http-address', '127.0.0.1:0', '--lease-duration', '6', '--renew-deadline', '4', '--retry-period', '1']);
    const member = await clientFor(memberKubeconfig(), m);
    const ref = { group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name: 'fought' };
    await until('applied', async () => ((await member.get(ref))?.data as Record<string, string> | undefined)?.a === 'ours' ? true : undefined, 60_000);

    const status = async () => {
      const { body } = await mgmt.request<MemberStatusObject>('GET', `/apis/gitfed.io/v1alpha1/namespaces/${leaseNs}/memberstatuses/${m}`);
      return reportOf(body).report;
    };
    // The other controller: sets its value back whenever it sees ours, for at most 60 s.
    let fighting = true;
    const other = (async () => {
      const deadline = Date.now() + 60_000;
      while (fighting && Date.now() < deadline) {
        const cm = await member.get(ref).catch(() => undefined);
        if ((cm?.data as Record<string, string> | undefined)?.a !== 'theirs') {
          await member.request('PATCH', `/api/v1/namespaces/${ns}/configmaps/fought`, { query: { fieldManager: 'other-controller' }, body: { data: { a: 'theirs' } }, contentType: 'application/merge-patch+json' }).catch(() => undefined);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      const fight = await until('Fighting reported', async () => {
        const r = await status();
        return r.state === 'Fighting' ? r : undefined;
      }, 60_000);
      expect(fight.message).toMatch(/^ConfigMap\/[^ ]+\/fought: \/data\/a changed back by field manager "other-controller" \(\d+ corrections\); drift corrections paused until /);

      // While paused, gitfed writes nothing more to the object, however often it is changed back.
      const fightSeenAt = Date.now();
      await new Promise((r) => setTimeout(r, 8000));
      const corrections = replica.lines.filter((l) => l.member === m && l.object === `ConfigMap/${ns}/fought` && l.action === 'configured' && Date.parse(l.time) > fightSeenAt);
      expect(corrections).toEqual([]);
      const before = replica.lines.filter((l) => l.member === m && l.object === `ConfigMap/${ns}/fought` && l.action === 'configured').length;
      expect(before).toBeGreaterThanOrEqual(3);
      expect(before).toBeLessThanOrEqual(4);

      const { body: events } = await mgmt.request<{ items: { reason: string; type: string; message: string; involvedObject: { kind: string; name: string } }[] }>('GET', `/api/v1/namespaces/${leaseNs}/events`);
      const told = events.items.find((e) => e.reason === 'Fighting');
      expect(told).toMatchObject({ type: 'Warning', involvedObject: { kind: 'MemberStatus', name: m } });
      expect(told!.message).toContain('"other-controller"');
      expect(events.items.some((e) => e.reason === 'DriftCorrected' && e.message.includes('other-controller'))).toBe(true);
      expect(replica.lines.some((l) => l.action === 'fight' && l.member === m && (l.managers as string[]).includes('other-controller'))).toBe(true);
    } finally {
      fighting = false;
      await other;
    }
    replica.child.kill('SIGTERM');
    expect(await replica.exited()).toBe(0);
  });
});
