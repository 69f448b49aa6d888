/**
 * gitfed as it runs in a pod, against a real management control plane: deploy/base applied with
 * kubectl (a server-side dry run first), then the daemon started exactly as the Deployment starts
 * it, with the service account's token and CA files at their in-pod paths (a private mount
 * namespace puts them there) and KUBERNETES_SERVICE_HOST/PORT: the management cluster from the
 * service account, member kubeconfigs from labelled Secrets, the fleet from an HTTPS-style git
 * remote with a token from a Secret. The RBAC of deploy/base is all it has, and is enough.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../src/apply/member/kube-client.js';
import { reportOf, type MemberStatusObject } from '../../../src/controller/status-object.js';
import { builtCli, configMap, gitBranch, namespace, tmpDir, uniq, until } from '../apply/fixtures.js';
import { controlPlaneBinary, memberKubeconfig, memberNames } from '../support/members.js';
import { clientFor, singleContext, startExtraClusters, type ExtraClusters } from '../support/management.js';
import { startLogged, type Replica } from '../support/replicas.js';
import { httpRemote } from '../../unit/git/http-remote.js';

const NS = 'gitfed-system';
const SA = `system:serviceaccount:${NS}:gitfed`;
const canUnshare = process.platform === 'linux' && spawnSync('unshare', ['--mount', '--propagation', 'private', 'true']).status === 0;

describe.skipIf(!canUnshare)('in a pod: service account, Secrets, deploy/base', () => {
  const dir = tmpDir('incluster');
  const ns = uniq('pod');
  let clusters: ExtraClusters;
  let mgmt: KubeClient;
  let replica: Replica | undefined;
  const kubectl = (...args: string[]) => execFileSync(controlPlaneBinary('kubectl'), ['--kubeconfig', clusters.management, ...args], { encoding: 'utf8', cwd: process.cwd() });

  beforeAll(async () => {
    clusters = await startExtraClusters(dir, 'management', []);
    mgmt = await clientFor(clusters.management, 'management');
  }, 300_000);

  afterAll(async () => {
    if (replica && replica.child.exitCode === null) replica.child.kill('SIGKILL');
    await clusters?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('deploy/base passes a server-side dry run, then applies', () => {
    kubectl('create', 'namespace', NS);
    const dry = kubectl('apply', '--dry-run=server', '-k', 'deploy/base');
    for (const kind of ['customresourcedefinition.apiextensions.k8s.io/memberstatuses.gitfed.io', 'serviceaccount/gitfed', 'role.rbac.authorization.k8s.io/gitfed', 'rolebinding.rbac.authorization.k8s.io/gitfed', 'deployment.apps/gitfed', 'service/gitfed', 'poddisruptionbudget.policy/gitfed']) {
      expect(dry).toMatch(new RegExp(`^${kind.replace(/\./g, '\\.')} (created|configured|unchanged) \\(server dry run\\)$`, 'm'));
    }
    kubectl('apply', '--server-side', '-k', 'deploy/base');
    kubectl('wait', '--for=condition=Established', 'crd/memberstatuses.gitfed.io', '--timeout=60s');
  });

  it('gives the service account only what gitfed needs, in its own namespace', () => {
    const can = (...args: string[]) => spawnSync(controlPlaneBinary('kubectl'), ['--kubeconfig', clusters.management, 'auth', 'can-i', '--as', SA, ...args], { encoding: 'utf8' }).stdout.trim();
    expect(can('update', 'leases', '-n', NS)).toBe('yes');
    expect(can('update', 'memberstatuses.gitfed.io', '--subresource=status', '-n', NS)).toBe('yes');
    expect(can('update', 'memberstatuses.gitfed.io', '-n', NS)).toBe('no');
    expect(can('list', 'secrets', '-n', NS)).toBe('yes');
    expect(can('create', 'events', '-n', NS)).toBe('yes');
    expect(can('list', 'secrets', '-n', 'default')).toBe('no');
    expect(can('create', 'secrets', '-n', NS)).toBe('no');
    expect(can('update', 'leases', '-n', 'kube-system')).toBe('no');
    expect(can('create', 'customresourcedefinitions')).toBe('no');
    expect(can('list', 'nodes')).toBe('no');
    expect(can('create', 'deployments', '-n', NS)).toBe('no');
  });

  it('runs as the Deployment runs it, and keeps the members in sync', async () => {
    const members = memberNames();
    // The fleet, behind a remote that wants a token.
    const token = 'fleet-token-5f1c0a77e2b94';
    const repo = gitBranch();
    const head = repo.commit(Object.fromEntries(members.map((m) => [m, [namespace(ns), configMap(ns, 'from-pod', { member: m })]])), 'v1');
    const base = await httpRemote(path.dirname(repo.dir), { auth: { user: 'x-access-token', password: token } });
    const url = `${base}/${path.basename(repo.dir)}/.git`;

    // The Secrets an operator creates: one per member, the git token, the HTTP token.
    const secret = (name: string, data: Record<string, string>, labels: Record<string, string> = {}) =>
      mgmt.request('POST', `/api/v1/namespaces/${NS}/secrets`, { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name, labels }, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) } });
    for (const m of members) await secret(`member-${m}`, { kubeconfig: singleContext(memberKubeconfig(), m) }, { 'gitfed.io/member': m });
    await secret('gitfed-git', { password: token });

    // The service account's token, CA and namespace where a pod has them.
    const { body } = await mgmt.request<{ status: { token: string } }>('POST', `/api/v1/namespaces/${NS}/serviceaccounts/gitfed/token`, { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } } });
    const run = path.join(dir, 'run');
    const sa = path.join(run, 'secrets/kubernetes.io/serviceaccount');
    fs.mkdirSync(sa, { recursive: true });
    fs.writeFileSync(path.join(sa, 'token'), body.status.token);
    fs.writeFileSync(path.join(sa, 'namespace'), NS);
    fs.writeFileSync(path.join(sa, 'ca.crt'), Buffer.from(clusters.state.members[0]!.caData, 'base64'));
    const etc = path.join(dir, 'etc-gitfed');
    fs.mkdirSync(path.join(etc, 'http'), { recursive: true });
    const httpToken = 'http-token-9d1e55c0a3f7';
    fs.writeFileSync(path.join(etc, 'http/token'), httpToken);

    // The container's args, as deploy/base has them: only the repository URL and the paths of
    // mounted files differ, and the port is chosen freely.
    const deployment = yaml.load(fs.readFileSync('deploy/base/deployment.yaml', 'utf8')) as { spec: { template: { spec: { containers: { args: string[] }[] } } } };
    const args = deployment.spec.template.spec.containers[0]!.args.map((a) =>
      a.startsWith('--repo=') ? `--repo=${url}` : a === '--http-address=:8080' ? '--http-address=:0' : a.replace('$(POD_NAME)', 'gitfed-0').replace('/etc/gitfed/', `${etc}/`),
    );
    expect(args).toContain('--in-cluster');
    expect(args).toContain('--members-from-secrets');
    const port = new URL(clusters.state.members[0]!.server).port;
    const env = { PATH: process.env.PATH, HOME: dir, KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port, XDG_CACHE_HOME: path.join(dir, 'cache') };
    replica = startInPod(run, args, env);

    const statuses = async () => {
      const { body: list } = await mgmt.request<{ items: MemberStatusObject[] }>('GET', `/apis/gitfed.io/v1alpha1/namespaces/${NS}/memberstatuses`);
      return new Map(list.items.map((o) => [o.spec.member, reportOf(o)]));
    };
    await until('every member Synced from the pod', async () => {
      const s = await statuses();
      return members.every((m) => s.get(m)?.report.state === 'Synced' && s.get(m)?.report.branchCommit === head) ? true : undefined;
    }, 120_000);
    for (const m of members) {
      const c = await clientFor(memberKubeconfig(), m);
      const cm = await c.get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name: 'from-pod' });
      expect(cm?.data).toEqual({ member: m });
    }
    const leases = JSON.parse(kubectl('get', 'leases', '-n', NS, '-o', 'json')) as { items: { spec: { holderIdentity?: string } }[] };
    expect(leases.items.filter((l) => l.spec.holderIdentity === 'gitfed-0').length).toBe(members.length + 1);

    // Served on every address, so with the token from the mounted Secret.
    const served = await replica.url();
    expect((await fetch(`${served}/readyz`)).status).toBe(200);
    expect((await fetch(`${served}/metrics`)).status).toBe(401);
    expect((await fetch(`${served}/metrics`, { headers: { Authorization: `Bearer ${httpToken}` } })).status).toBe(200);

    const logs = JSON.stringify(replica.lines) + replica.other.join('\n');
    expect(logs).not.toContain(token);
    expect(logs).not.toMatch(/forbidden/i);
    expect(replica.lines.find((l) => l.action === 'credentials' && /3 Secret/.test(l.msg))).toBeDefined();

    replica.child.kill('SIGTERM');
    expect(await replica.exited()).toBe(0);
  });
});

/** The daemon with /run of its own, holding the service account files where a pod has them. */
function startInPod(run: string, args: readonly string[], env: NodeJS.ProcessEnv): Replica {
  return startLogged('gitfed-0', 'unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', 'mount --bind "$0" /run && exec "$@"', run, process.execPath, builtCli(), ...args], { env });
}
