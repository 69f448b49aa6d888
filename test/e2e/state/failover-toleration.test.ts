/**
 * Failover with tolerationSeconds, on two members of our own (real kube-apiserver, scheduler and
 * kwok nodes): a Karmada fleet whose policy tolerates `cluster.karmada.io/not-ready:NoExecute` for
 * 30 s. On-prem's control plane stops: it is observed not ready, and the replicas stay there while
 * the toleration lasts; once it has been down for 30 s, observe commits that, and render moves the
 * replicas to burst. Time is read from the state commits, never from the render's clock.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopSet, up, type DevState } from '../../../src/dev/index.js';
import { eventually } from '../support/wait.js';
import { harness } from './harness.js';

const TOLERATION = 30;

let dir: string;
let kubeconfig: string;
let repo: string;
let set: DevState | undefined;
const h = harness({ dir: () => dir, repo: () => repo, kubeconfig: () => kubeconfig, dwell: 15 });

const FLEET = `apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: onprem}
---
apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: burst}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: registry.example.com/shop/web:1.0, resources: {requests: {cpu: 500m, memory: 256Mi}}}]}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: web, namespace: shop}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
  placement:
    clusterAffinities:
      - {affinityName: onprem, clusterNames: [onprem]}
      - {affinityName: burst, clusterNames: [burst]}
    clusterTolerations:
      - {key: cluster.karmada.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: ${TOLERATION}}
    replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Aggregated}
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gitfed-toleration-'));
  kubeconfig = join(dir, 'kubeconfig');
  set = await up({ kubeconfig, names: ['onprem', 'burst'], workloads: ['onprem', 'burst'], ownerPid: process.pid, log: (l) => process.stderr.write(`[toleration members] ${l}\n`) });
  repo = join(dir, 'fleet');
  await mkdir(repo);
  await writeFile(join(repo, 'fleet.yaml'), FLEET);
  await h.git('init', '-q', '-b', 'main');
  await h.git('add', '-A');
  await h.git('commit', '-qm', 'Shop on-prem, burst when on-prem is down');
}, 300_000);

afterAll(async () => {
  if (set) await stopSet(set);
  await rm(dir, { recursive: true, force: true });
}, 120_000);

describe('failover after tolerationSeconds, every step a commit', () => {
  it('the replicas run on-prem, the first term', async () => {
    await h.observe();
    await h.renderCommit();
    expect([await h.rendered('onprem'), await h.rendered('burst')]).toEqual([4, undefined]);
    expect((await h.apply()).code).toBe(0);
    await eventually('4 ready on-prem', async () => ((await h.deployment('onprem')).ready === 4 ? true : undefined), 120_000);
    await h.observe();
  }, 240_000);

  it('on-prem stops: not ready, the replicas stay for the toleration, then move to burst', async () => {
    const apiserver = set!.members.find((m) => m.name === 'onprem')!.processes.find((p) => p.role === 'kube-apiserver')!;
    process.kill(apiserver.pid, 'SIGKILL');
    await h.observe();
    expect(await h.git('log', '-1', '--format=%B', 'fleet-state')).toMatch(/^- onprem: not ready, was ready since/m);
    await h.renderCommit();
    // Tolerated: the render from that state keeps on-prem's 4 (its NoExecute taint has 30 s to run).
    expect([await h.rendered('onprem'), await h.rendered('burst')]).toEqual([4, undefined]);
    const explained = await h.gitfed('explain', '--repo', repo, '--state', 'fleet-state', 'deployment/shop/web');
    expect(explained).toContain('its NoExecute taints are tolerated until');

    await eventually('observe commits that on-prem has been down 30 s', async () => {
      await h.observe();
      return (await h.stateSubjects())[0] === 'onprem: still not ready, for 30s' ? true : undefined;
    }, 120_000);
    await h.renderCommit();
    expect([await h.rendered('onprem'), await h.rendered('burst')]).toEqual([undefined, 4]);
    expect(await h.git('log', '--format=%s', 'fleet-state')).toMatch(/^onprem: still not ready, for 30s\n[\s\S]*onprem: not ready, was ready since/);
    // Apply reports on-prem unreachable (exit 2) and brings burst to 4.
    expect((await h.apply()).code).toBe(2);
    await eventually('4 ready on burst', async () => ((await h.deployment('burst')).ready === 4 ? true : undefined), 120_000);
  }, 300_000);
});
