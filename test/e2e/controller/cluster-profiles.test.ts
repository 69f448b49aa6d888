/**
 * SIG-Multicluster's ClusterProfile API as the inventory, on real control planes: a management
 * cluster with the cluster-inventory-api CRD (pinned under testdata/), and the run's members.
 * A healthy profile is a member, reached at the server its access provider names with the user
 * of its labelled Secret; an unhealthy profile's member, and a member with no profile, are
 * Unreachable with a message saying why; a profile with no directory on the branch is ignored
 * and logged once.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../src/apply/member/kube-client.js';
import { reportOf, type MemberStatusObject } from '../../../src/controller/status-object.js';
import { builtCli, configMap, dataOf, gitBranch, memberKubeconfig, memberNames, namespace, tmpDir, uniq, until } from '../apply/fixtures.js';
import { controlPlaneBinary } from '../support/members.js';
import { clientFor, installCrd, singleContext, startExtraClusters, type ExtraClusters } from '../support/management.js';
import { startReplica, type Replica } from '../support/replicas.js';

interface ClusterProfileObject {
  metadata: Record<string, unknown>;
  status?: Record<string, unknown>;
}

const PROFILE_CRD = path.resolve('test/e2e/controller/testdata/clusterprofiles.crd.yaml');

describe('members from ClusterProfiles', () => {
  const dir = tmpDir('profiles');
  const ns = uniq('inv');
  const objectsNs = uniq('prof');
  let clusters: ExtraClusters;
  let mgmt: KubeClient;
  let replica: Replica | undefined;

  beforeAll(async () => {
    clusters = await startExtraClusters(dir, 'management', []);
    mgmt = await clientFor(clusters.management, 'management');
    await installCrd(mgmt);
    execFileSync(controlPlaneBinary('kubectl'), ['--kubeconfig', clusters.management, 'apply', '--server-side', '-f', PROFILE_CRD], { encoding: 'utf8' });
    execFileSync(controlPlaneBinary('kubectl'), ['--kubeconfig', clusters.management, 'wait', '--for=condition=Established', 'crd/clusterprofiles.multicluster.x-k8s.io', '--timeout=60s']);
    await mgmt.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } });
  }, 300_000);

  afterAll(async () => {
    if (replica && replica.child.exitCode === null) replica.child.kill('SIGKILL');
    await clusters?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function profile(name: string, healthy: 'True' | 'False', cluster?: Record<string, unknown>): Promise<void> {
    const base = `/apis/multicluster.x-k8s.io/v1alpha1/namespaces/${ns}/clusterprofiles`;
    const { body: created } = await mgmt.request<{ metadata: { resourceVersion: string } }>('POST', base, { body: { apiVersion: 'multicluster.x-k8s.io/v1alpha1', kind: 'ClusterProfile', metadata: { name, labels: { 'x-k8s.io/cluster-manager': 'e2e' } }, spec: { displayName: name, clusterManager: { name: 'e2e' } } } });
    const status = {
      conditions: [{ type: 'ControlPlaneHealthy', status: healthy, reason: healthy === 'True' ? 'Healthy' : 'ApiserverDown', message: healthy === 'True' ? 'ok' : 'the apiserver does not answer', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }],
      ...(cluster ? { accessProviders: [{ name: 'e2e-exec', cluster }] } : {}),
    };
    await mgmt.request('PUT', `${base}/${name}/status`, { body: { apiVersion: 'multicluster.x-k8s.io/v1alpha1', kind: 'ClusterProfile', metadata: { name, namespace: ns, resourceVersion: created.metadata.resourceVersion }, spec: { displayName: name, clusterManager: { name: 'e2e' } }, status } });
  }

  async function setHealth(name: string, healthy: 'True' | 'False'): Promise<void> {
    const at = `/apis/multicluster.x-k8s.io/v1alpha1/namespaces/${ns}/clusterprofiles/${name}`;
    const { body } = await mgmt.request<ClusterProfileObject>('GET', at);
    const conditions = [{ type: 'ControlPlaneHealthy', status: healthy, reason: healthy === 'True' ? 'Healthy' : 'ApiserverDown', message: 'changed', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }];
    await mgmt.request('PUT', `${at}/status`, { body: { ...body, status: { ...body.status, conditions } } });
  }

  const secret = (member: string, kubeconfig: string) =>
    mgmt.request('POST', `/api/v1/namespaces/${ns}/secrets`, { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: `member-${member}`, labels: { 'gitfed.io/member': member } }, data: { kubeconfig: Buffer.from(kubeconfig).toString('base64') } } });

  it('takes healthy profiles as members, and says why the others cannot be reached', async () => {
    const [healthy, sick, absent] = memberNames();
    expect(absent).toBeDefined();
    // The healthy member's Secret points at a dead server: only the profile's access provider gets it through.
    const real = yaml.load(singleContext(memberKubeconfig(), healthy!)) as { clusters: { cluster: Record<string, unknown> }[] };
    const wrong = yaml.load(singleContext(memberKubeconfig(), healthy!)) as { clusters: { cluster: Record<string, unknown> }[] };
    wrong.clusters[0]!.cluster.server = 'https://127.0.0.1:1';
    await secret(healthy!, yaml.dump(wrong));
    await secret(sick!, singleContext(memberKubeconfig(), sick!));
    await secret(absent!, singleContext(memberKubeconfig(), absent!));
    const cluster = real.clusters[0]!.cluster;
    await profile(healthy!, 'True', { server: cluster.server, 'certificate-authority-data': cluster['certificate-authority-data'] });
    const sickCluster = (yaml.load(singleContext(memberKubeconfig(), sick!)) as { clusters: { cluster: Record<string, unknown> }[] }).clusters[0]!.cluster;
    await profile(sick!, 'False', { server: sickCluster.server, 'certificate-authority-data': sickCluster['certificate-authority-data'] });
    await profile('ghost', 'True', { server: cluster.server });

    const repo = gitBranch();
    const head = repo.commit(Object.fromEntries([healthy!, sick!, absent!].map((m) => [m, [namespace(objectsNs), configMap(objectsNs, 'from-profile', { member: m })]])), 'v1');
    // Profiles are read again every fetch interval.
    fs.writeFileSync(path.join(dir, 'gitfed-apply.yaml'), 'fetchSeconds: 2\n');
    replica = startReplica(builtCli(), 'inv-0', ['--repo', repo.dir, '--management-kubeconfig', clusters.management, '--namespace', ns, '--members-from-cluster-profiles', '--http-address', '127.0.0.1:0', '--lease-duration', '6', '--renew-deadline', '4', '--retry-period', '1'], { cwd: dir });

    const statuses = async () => {
      const { body } = await mgmt.request<{ items: MemberStatusObject[] }>('GET', `/apis/gitfed.io/v1alpha1/namespaces/${ns}/memberstatuses`);
      return new Map(body.items.map((o) => [o.spec.member, reportOf(o).report]));
    };
    const s = await until('the healthy member Synced, the others Unreachable', async () => {
      const m = await statuses();
      return m.get(healthy!)?.state === 'Synced' && m.get(healthy!)?.branchCommit === head && m.get(sick!)?.state === 'Unreachable' && m.get(absent!)?.state === 'Unreachable' ? m : undefined;
    }, 120_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${replica!.other.join('\n')}\n${replica!.lines.map((l) => `${l.member ?? ''} ${l.msg}`).join('\n')}`);
    });
    expect(s.get(sick!)?.message).toBe(`ClusterProfile ${ns}/${sick} is not ControlPlaneHealthy (False, ApiserverDown: the apiserver does not answer)`);
    expect(s.get(absent!)?.message).toBe(`no ClusterProfile ${absent} in namespace ${ns}: the branch has this member, the cluster inventory does not`);
    expect(s.has('ghost')).toBe(false);

    const live = async (m: string) => (await (await clientFor(memberKubeconfig(), m)).get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: objectsNs, name: 'from-profile' }));
    expect(dataOf(await live(healthy!))).toEqual({ member: healthy });
    // Unreachable members were not touched, though their Secrets would have worked.
    expect(await live(sick!)).toBeUndefined();
    expect(await live(absent!)).toBeUndefined();

    // Several looks at the Leases later, the profile without a directory was logged once.
    await until('a few shard plans', () => replica!.lines.filter((l) => l.action === 'reconcile-end').length >= 3 || undefined, 60_000);
    await new Promise((r) => setTimeout(r, 3000));
    expect(replica.lines.filter((l) => l.action === 'inventory' && /ClusterProfile ghost has no directory on the branch; ignored/.test(l.msg))).toHaveLength(1);
    expect(replica.lines.find((l) => l.action === 'inventory' && /members from 3 ClusterProfile\(s\)/.test(l.msg))?.msg).toBe(`members from 3 ClusterProfile(s) in ${ns}: ${healthy}`);

    // The sick member's control plane recovers: read again within a fetch interval, it is applied.
    await setHealth(sick!, 'True');
    await until('the recovered member Synced', async () => ((await statuses()).get(sick!)?.state === 'Synced' ? true : undefined), 30_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${replica!.lines.slice(-25).map((l) => `${l.member ?? ''} ${l.action} ${l.msg}`).join('\n')}`);
    });
    expect(dataOf(await live(sick!))).toEqual({ member: sick });
    expect((await statuses()).get(absent!)?.state).toBe('Unreachable');

    replica.child.kill('SIGTERM');
    expect(await replica.exited()).toBe(0);
  }, 300_000);
});
