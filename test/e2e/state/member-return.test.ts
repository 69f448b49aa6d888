/**
 * A member's return, on two members of our own (real kube-apiserver, scheduler and kwok nodes):
 * one fleet with seed example 2 (KubeFed RSP, `rebalance: true`, shop/web) and a Karmada part
 * (store/web fails over by clusterAffinities, Divided and Aggregated; store/api is Duplicated; both
 * tolerate a not-ready member for 30 s). On-prem's control plane stops: KubeFed moves its replicas
 * to burst at once, Karmada once the toleration has run out. Then it starts again: after the dwell
 * time observe commits that it is ready again, and render moves back what upstream moves back:
 * KubeFed plans the returned member again (its weight brings shop/web back), Karmada schedules a
 * Duplicated binding again (store/api gets its copy back) but keeps a Divided one in the term it
 * failed over to (store/web stays on burst). Every step is a commit, read back with git log.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopSet, up, type DevState } from '../../../src/dev/index.js';
import { isRunning, startProcess, type ProcessRecord } from '../../../src/dev/processes.js';
import { eventually } from '../support/wait.js';
import { harness } from './harness.js';

const DWELL = 15;
const TOLERATION = 30;

let dir: string;
let kubeconfig: string;
let repo: string;
let set: DevState | undefined;
let restarted: ProcessRecord | undefined;
/** On-prem's kube-apiserver command line, read before it is stopped, to start it again. */
let apiserverArgv: string[] = [];
const h = harness({ dir: () => dir, repo: () => repo, kubeconfig: () => kubeconfig, dwell: DWELL });

/** A Deployment of namespace store and the PropagationPolicy that places it, as JSON documents (JSON is YAML). */
function placed(name: string, replicas: number, cpu: string, placement: Record<string, unknown>): string[] {
  const labels = { app: name };
  const containers = [{ name, image: `registry.example.com/store/${name}:1.0`, resources: { requests: { cpu, memory: '64Mi' } } }];
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'store' }, spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers } } } };
  const tolerations = [{ key: 'cluster.karmada.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: TOLERATION }];
  const policy = { apiVersion: 'policy.karmada.io/v1alpha1', kind: 'PropagationPolicy', metadata: { name, namespace: 'store' }, spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name }], placement: { ...placement, clusterTolerations: tolerations } } };
  return [JSON.stringify(deployment), JSON.stringify(policy)];
}
const STORE = [
  JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'store' } }),
  ...placed('web', 4, '500m', {
    clusterAffinities: [{ affinityName: 'onprem', clusterNames: ['onprem'] }, { affinityName: 'burst', clusterNames: ['burst'] }],
    replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' },
  }),
  ...placed('api', 2, '100m', { clusterAffinity: { clusterNames: ['onprem', 'burst'] }, replicaScheduling: { replicaSchedulingType: 'Duplicated' } }),
].join('\n---\n') + '\n';

/** A Deployment's replicas in a cluster's directory of the rendered branch; undefined when it is not there. */
async function rendered(cluster: string, namespace: string, name: string): Promise<number | undefined> {
  const text = await h.git('show', `rendered:clusters/${cluster}/${namespace}/deployment.apps-${name}.yaml`).catch(() => undefined);
  return text === undefined ? undefined : Number(/replicas: (\d+)/.exec(text)![1]);
}
/** Every Deployment the fleet renders, by cluster: `shop/web onprem 4`. */
async function placement(): Promise<string[]> {
  const out: string[] = [];
  for (const [ns, name] of [['shop', 'web'], ['store', 'web'], ['store', 'api']] as const) {
    for (const c of ['onprem', 'burst']) {
      const n = await rendered(c, ns, name);
      if (n !== undefined) out.push(`${ns}/${name} ${c} ${n}`);
    }
  }
  return out;
}
async function ready(member: string, namespace: string, name: string): Promise<number> {
  const d = JSON.parse(await h.kubectl(member, ['get', 'deployment', name, '-n', namespace, '-o', 'json']));
  return d.status.readyReplicas ?? 0;
}
const allReady = (want: readonly [string, string, string, number][]) => eventually(`ready: ${want.map((w) => w.join(' ')).join(', ')}`, async () => {
  for (const [member, ns, name, n] of want) if ((await ready(member, ns, name)) !== n) return undefined;
  return true;
}, 120_000);
const apiserverOf = (member: string) => set!.members.find((m) => m.name === member)!.processes.find((p) => p.role === 'kube-apiserver')!;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gitfed-return-'));
  kubeconfig = join(dir, 'kubeconfig');
  set = await up({ kubeconfig, names: ['onprem', 'burst'], workloads: ['onprem', 'burst'], ownerPid: process.pid, log: (l) => process.stderr.write(`[return members] ${l}\n`) });
  repo = join(dir, 'fleet');
  await cp(new URL('../../../examples/overflow/', import.meta.url).pathname, repo, { recursive: true });
  await writeFile(join(repo, 'store.yaml'), STORE);
  await h.git('init', '-q', '-b', 'main');
  await h.git('add', '-A');
  await h.git('commit', '-qm', 'Shop by KubeFed RSP, store by Karmada policies');
}, 300_000);

afterAll(async () => {
  // The apiserver started again here is not in the set's records: stopped by its own pid.
  if (restarted && isRunning(restarted)) process.kill(restarted.pid, 'SIGKILL');
  if (set) await stopSet(set);
  await rm(dir, { recursive: true, force: true });
}, 120_000);

describe('a member returns after failover: what moves back is what upstream moves back', () => {
  it('everything runs on-prem first; store/api on both', async () => {
    await h.observe();
    await h.renderCommit();
    expect(await placement()).toEqual(['shop/web onprem 4', 'shop/web burst 0', 'store/web onprem 4', 'store/api onprem 2', 'store/api burst 2']);
    expect((await h.apply()).code).toBe(0);
    await allReady([['onprem', 'shop', 'web', 4], ['onprem', 'store', 'web', 4], ['onprem', 'store', 'api', 2], ['burst', 'store', 'api', 2]]);
    await h.observe();
  }, 300_000);

  it('on-prem stops: KubeFed moves at once, Karmada once the toleration ran out', async () => {
    apiserverArgv = (await readFile(`/proc/${apiserverOf('onprem').pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
    process.kill(apiserverOf('onprem').pid, 'SIGKILL');
    await h.observe();
    expect(await h.git('log', '-1', '--format=%B', 'fleet-state')).toMatch(/^- onprem: not ready, was ready since/m);
    await h.renderCommit();
    expect(await placement()).toEqual(['shop/web burst 4', 'store/web onprem 4', 'store/api onprem 2', 'store/api burst 2']);
    await eventually('observe commits that on-prem has been down 30 s', async () => {
      await h.observe();
      return (await h.stateSubjects())[0] === 'onprem: still not ready, for 30s' ? true : undefined;
    }, 120_000);
    await h.renderCommit();
    expect(await placement()).toEqual(['shop/web burst 4', 'store/web burst 4', 'store/api burst 2']);
    // On-prem unreachable: exit 2, and burst brought to what it should run.
    expect((await h.apply()).code).toBe(2);
    await allReady([['burst', 'shop', 'web', 4], ['burst', 'store', 'web', 4], ['burst', 'store', 'api', 2]]);
  }, 300_000);

  it('on-prem starts again: after the dwell time it is ready again, and KubeFed and Duplicated move back, clusterAffinities stay', async () => {
    // The same command line: same port, certificates, token file and etcd prefix.
    const old = apiserverOf('onprem');
    restarted = startProcess({ role: 'kube-apiserver', bin: old.bin, args: apiserverArgv.slice(1), log: old.log });
    await eventually('on-prem answers again', async () => ((await h.kubectl('onprem', ['get', '--raw', '/readyz'])).trim() === 'ok' ? true : undefined), 120_000);
    // Apply reaches on-prem again and removes what it no longer renders there (as Karmada deletes
    // the Works of an evicted cluster, and KubeFed's sync controller what its placement dropped).
    expect((await h.apply()).code).toBe(0);
    await eventually('on-prem\'s old copies removed', async () => ((await h.kubectl('onprem', ['get', 'deployments', '-A', '-o', 'name'])).trim() === '' ? true : undefined), 60_000);
    await eventually('on-prem committed ready again after the dwell time', async () => {
      await h.observe();
      return (await h.git('log', '-1', '--format=%B', 'fleet-state')).includes('- onprem: ready again, was not ready since') ? true : undefined;
    }, 120_000);
    // The return was committed no sooner than the dwell time after on-prem's document last changed.
    const times = (await h.git('log', '-2', '--format=%ct', 'fleet-state', '--', 'members/onprem.json')).split('\n').map(Number);
    expect(times[0]! - times[1]!).toBeGreaterThanOrEqual(DWELL);

    await h.renderCommit();
    expect(await h.git('log', '-1', '--format=%(trailers:key=Gitfed-State-Commit,valueonly)', 'rendered')).toBe(await h.git('rev-parse', 'fleet-state'));
    expect(await placement()).toEqual(['shop/web onprem 4', 'shop/web burst 0', 'store/web burst 4', 'store/api onprem 2', 'store/api burst 2']);
    const explained = await h.gitfed('explain', '--repo', repo, '--state', 'fleet-state', 'deployment/store/web');
    expect(explained).toContain('The replicas are in term burst');
    expect((await h.apply()).code).toBe(0);
    await allReady([['onprem', 'shop', 'web', 4], ['onprem', 'store', 'api', 2], ['burst', 'store', 'web', 4], ['burst', 'store', 'api', 2]]);
    await eventually('burst gives shop/web back', async () => ((await h.deployment('burst')).replicas === 0 ? true : undefined), 60_000);
  }, 300_000);
});
