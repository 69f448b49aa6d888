/**
 * `gitfed import --from-karmada`: member1 plays the karmada-apiserver (upstream's policy CRDs,
 * a stand-in for the aggregated Cluster API), with Clusters, a PropagationPolicy dividing a
 * Deployment with propagateDeps, and an OverridePolicy; member2 and member3 hold what Karmada
 * propagated. After the import the repo renders to the same objects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGitfed } from '../../support/cli.js';
import { memberKubeconfig, memberNames } from '../support/members.js';
import { expectGolden, filesUnder, installCrds, kubectl, liveChanges, read, tmp } from './support.js';

const [host, m2, m3] = memberNames() as [string, string, string];
const ns = `kmimp-${Math.random().toString(16).slice(2, 8)}`;

const deployment = (replicas: number, extraLabels: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}, labels: {app: web${extraLabels}}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: "nginx:1.27"
        envFrom: [{configMapRef: {name: cfg}}]
        volumeMounts: [{name: tls, mountPath: /tls}]
      volumes: [{name: tls, secret: {secretName: tls}}]
`;

/** The ConfigMap and Secret the Deployment refers to (propagateDeps carries them). */
const dependencies = (labels: string) => `
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: ${ns}${labels}}
data: {MODE: "on"}
---
apiVersion: v1
kind: Secret
metadata: {name: tls, namespace: ${ns}}
stringData: {key: secret}
`;

const hostObjects = `
apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: ${m2}, labels: {env: prod}}
spec: {id: "0a1b", syncMode: Push, apiEndpoint: "https://10.0.0.2:6443", secretRef: {namespace: karmada-cluster, name: ${m2}}, provider: aws, region: eu-west-1}
---
apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: ${m3}, labels: {env: prod}}
spec:
  syncMode: Push
  apiEndpoint: "https://10.0.0.3:6443"
  secretRef: {namespace: karmada-cluster, name: ${m3}}
  impersonatorSecretRef: {namespace: karmada-cluster, name: ${m3}-impersonator}
  region: us-east-1
  taints: [{key: cluster.karmada.io/not-ready, effect: NoSchedule}]
---
${deployment(4, ', propagationpolicy.karmada.io/permanent-id: 5f7c')}
---
${dependencies('')}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: web, namespace: ${ns}}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
  propagateDeps: true
  placement:
    clusterAffinity: {clusterNames: [${m2}, ${m3}]}
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        staticWeightList:
        - {targetCluster: {clusterNames: [${m2}]}, weight: 1}
        - {targetCluster: {clusterNames: [${m3}]}, weight: 1}
---
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: edge, namespace: ${ns}}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
  overrideRules:
  - targetCluster: {clusterNames: [${m3}]}
    overriders:
      labelsOverrider: [{operator: add, value: {tier: edge}}]
`;

const propagated = (tier: string) => `
apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
${deployment(2, `${tier}, karmada.io/managed: "true"`)}
---
${dependencies(', labels: {karmada.io/managed: "true"}')}
`;

beforeAll(() => {
  installCrds(host, ['karmada/clusters.stand-in.yaml', 'karmada/propagationpolicies.yaml', 'karmada/clusterpropagationpolicies.yaml', 'karmada/overridepolicies.yaml', 'karmada/clusteroverridepolicies.yaml']);
  kubectl(host, ['apply', '-f', '-'], hostObjects);
  kubectl(m2, ['create', '-f', '-'], propagated(''));
  kubectl(m3, ['create', '-f', '-'], propagated(', tier: edge'));
});

afterAll(() => {
  for (const m of [host, m2, m3]) kubectl(m, ['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']);
  kubectl(host, ['delete', '--ignore-not-found', 'clusters.cluster.karmada.io', '--all']);
});

describe('gitfed import --from-karmada', () => {
  const repo = `${tmp('karmada')}/fleet`;

  it('writes clusters, policies, the selected templates and their dependencies; never the Secret', async () => {
    const r = await runGitfed(['import', '--from-karmada', host, '--repo', repo, '--kubeconfig', memberKubeconfig(), '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { skipped: { object: string; reason: string }[]; notes: string[] };
    const mine = filesUnder(repo).filter((f) => f.startsWith('clusters/') || f.includes(ns));
    expect(mine).toEqual([
      `clusters/${m2}.yaml`, `clusters/${m3}.yaml`,
      `karmada/_cluster/namespace-${ns}.yaml`,
      `karmada/${ns}/configmap-cfg.yaml`, `karmada/${ns}/deployment-web.yaml`, `karmada/${ns}/overridepolicy-edge.yaml`, `karmada/${ns}/propagationpolicy-web.yaml`,
    ]);
    expect(out.skipped).toContainEqual({ object: `Secret/${ns}/tls`, reason: expect.stringMatching(/never goes into git/) as unknown as string });
    expect(out.notes).toContain(`Cluster ${m3}: gitfed reaches it through the kubeconfig context ${m3}; secretRef, impersonatorSecretRef stay in Karmada`);
    const c3 = read(repo, `clusters/${m3}.yaml`);
    expect(c3).not.toMatch(/secretRef|not-ready|taints/);
    expect(read(repo, `clusters/${m2}.yaml`)).not.toMatch(/\bid:/);
    expect(read(repo, `karmada/${ns}/deployment-web.yaml`)).not.toMatch(/permanent-id|uid:|resourceVersion|status:/);
    expectGolden(repo, 'karmada', { [ns]: 'NS', [host]: 'HOST', [m2]: 'M2', [m3]: 'M3' }, (f) => mine.includes(f));
  });

  it('renders what Karmada propagated: only gitfed taking ownership would change', async () => {
    const out = tmp('karmada-out');
    const render = await runGitfed(['render', '--repo', repo, '--out', out]);
    expect(render.code, render.stderr).toBe(0);
    const diff = await runGitfed(['diff', '--live', '--repo', out, '--kubeconfig', memberKubeconfig(), '--cluster', m2, m3, '--format', 'json']);
    const changes = [`update ConfigMap/${ns}/cfg`, `update Deployment/${ns}/web`, `update Namespace/${ns}`];
    expect(liveChanges(diff.stdout, ns)).toEqual({ members: [[m2, undefined, changes], [m3, undefined, changes]], beyondOwnership: [] });
  });
});
