/**
 * `gitfed import --from-kubefed`: member1 is a KubeFed host (upstream's CRDs, objects made as
 * kubefedctl and its users make them); member2 and member3 hold what KubeFed propagated. After
 * the import, the repo renders, and `gitfed diff --live` against the members finds nothing to
 * change: the fleet is the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGitfed } from '../../support/cli.js';
import { memberKubeconfig, memberNames } from '../support/members.js';
import { expectGolden, filesUnder, installCrds, kubectl, liveChanges, read, tmp } from './support.js';

const [host, m2, m3] = memberNames() as [string, string, string];
const ns = `kfimp-${Math.random().toString(16).slice(2, 8)}`;
const SYS = 'kube-federation-system';

const ftc = (name: string, kind: string, group: string, version: string, plural: string, scope: string) => `
apiVersion: core.kubefed.io/v1beta1
kind: FederatedTypeConfig
metadata: {name: ${name}, namespace: ${SYS}}
spec:
  federatedType: {group: types.kubefed.io, kind: Federated${kind}, pluralName: federated${plural}, scope: Namespaced, version: v1beta1}
  propagation: Enabled
  targetType: {group: "${group}", kind: ${kind}, pluralName: ${plural}, scope: ${scope}, version: ${version}}
`;

const hostObjects = `
apiVersion: v1
kind: Namespace
metadata: {name: ${SYS}}
---
apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata: {name: ${m2}, namespace: ${SYS}, labels: {env: prod, region: eu}}
spec: {apiEndpoint: "https://10.0.0.2:6443", secretRef: {name: ${m2}-token}}
---
apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata: {name: ${m3}, namespace: ${SYS}, labels: {env: prod, region: us}}
spec: {apiEndpoint: "https://10.0.0.3:6443", secretRef: {name: ${m3}-token}, caBundle: "Y2E="}
---
apiVersion: core.kubefed.io/v1beta1
kind: KubeFedConfig
metadata: {name: kubefed, namespace: ${SYS}}
spec: {scope: Cluster}
---
${ftc('namespaces', 'Namespace', '', 'v1', 'namespaces', 'Cluster')}
---
${ftc('deployments.apps', 'Deployment', 'apps', 'v1', 'deployments', 'Namespaced')}
---
${ftc('configmaps', 'ConfigMap', '', 'v1', 'configmaps', 'Namespaced')}
---
${ftc('secrets', 'Secret', '', 'v1', 'secrets', 'Namespaced')}
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: ${ns}, namespace: ${ns}}
spec:
  placement: {clusters: [{name: ${m2}}, {name: ${m3}}]}
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata: {name: web, namespace: ${ns}}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      replicas: 2
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec: {containers: [{name: web, image: "nginx:1.27"}]}
  placement:
    clusterSelector: {matchLabels: {env: prod}}
  overrides:
  - clusterName: ${m3}
    clusterOverrides:
    - {path: /spec/replicas, value: 5}
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata: {name: cfg, namespace: ${ns}}
spec:
  template: {data: {mode: "on", port: "8080"}}
  placement: {clusters: [{name: ${m2}}]}
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedSecret
metadata: {name: token, namespace: ${ns}}
spec:
  template: {data: {t: c2VjcmV0}}
  placement: {clusters: [{name: ${m2}}]}
`;

/** What KubeFed's sync controller would have created: the template, placed and overridden, with its managed label. */
const propagated = (replicas: number, withConfig: boolean) => `
apiVersion: v1
kind: Namespace
metadata: {name: ${ns}, labels: {kubefed.io/managed: "true"}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}, labels: {app: web, kubefed.io/managed: "true"}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "nginx:1.27"}]}
${withConfig ? `---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: ${ns}, labels: {kubefed.io/managed: "true"}}
data: {mode: "on", port: "8080"}
` : ''}`;

beforeAll(() => {
  installCrds(host, ['kubefed/core.yaml', 'kubefed/types.yaml']);
  kubectl(host, ['apply', '-f', '-'], hostObjects);
  kubectl(m2, ['create', '-f', '-'], propagated(2, true));
  kubectl(m3, ['create', '-f', '-'], propagated(5, false));
});

afterAll(() => {
  for (const m of [host, m2, m3]) kubectl(m, ['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']);
  kubectl(host, ['delete', '--ignore-not-found', '-n', SYS, 'kubefedclusters.core.kubefed.io', '--all']);
  kubectl(host, ['delete', '--ignore-not-found', '-n', SYS, 'federatedtypeconfigs.core.kubefed.io', '--all']);
});

describe('gitfed import --from-kubefed', () => {
  const repo = `${tmp('kubefed')}/fleet`;

  it('writes one file per object, lists what it cannot import, and keeps credentials out', async () => {
    const r = await runGitfed(['import', '--from-kubefed', host, '--repo', repo, '--kubeconfig', memberKubeconfig(), '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { files: { path: string }[]; skipped: { object: string; reason: string }[]; notes: string[] };
    expect(filesUnder(repo)).toEqual([
      `clusters/${m2}.yaml`, `clusters/${m3}.yaml`,
      `kubefed/${ns}/federatedconfigmap-cfg.yaml`, `kubefed/${ns}/federateddeployment-web.yaml`, `kubefed/${ns}/federatednamespace-${ns}.yaml`,
      'kubefed/type-configs/configmaps.yaml', 'kubefed/type-configs/deployments.apps.yaml', 'kubefed/type-configs/namespaces.yaml', 'kubefed/type-configs/secrets.yaml',
    ]);
    expect(out.files.map((f) => f.path)).toEqual(filesUnder(repo));
    expect(out.skipped.map((s) => s.object)).toEqual([`FederatedSecret/${ns}/token`, `KubeFedConfig/${SYS}/kubefed`]);
    expect(out.skipped[0]!.reason).toMatch(/never goes into git/);
    // The e2e contexts are named as the clusters but point elsewhere than the host's made-up endpoints.
    expect(out.notes.join('\n')).toMatch(new RegExp(`KubeFedCluster ${m3} \\(apiEndpoint https://10\\.0\\.0\\.3:6443\\): apply reaches it through the kubeconfig context of its name \\(which points at https://\\S+, not https://10\\.0\\.0\\.3:6443: check that it is the same cluster\\), recorded in annotation gitfed\\.io/context; secretRef, caBundle stay on the host`));
    const cluster = read(repo, `clusters/${m3}.yaml`);
    expect(cluster).toContain(`gitfed.io/context: ${m3}`);
    expectGolden(repo, 'kubefed', { [ns]: 'NS', [host]: 'HOST', [m2]: 'M2', [m3]: 'M3' });
    expect(cluster).not.toMatch(/secretRef|caBundle|uid|resourceVersion|creationTimestamp|managedFields/);
    expect(cluster).toContain('region: us');
    const fd = read(repo, `kubefed/${ns}/federateddeployment-web.yaml`);
    expect(fd).not.toMatch(/uid:|resourceVersion|generation|managedFields|status:/);
    expect(fd).toContain('clusterName: ' + m3);
  });

  it('renders what KubeFed propagated: diff --live finds nothing to change but gitfed taking ownership, and apply changes no spec', async () => {
    const out = tmp('kubefed-out');
    const render = await runGitfed(['render', '--repo', repo, '--out', out]);
    expect(render.code, render.stderr).toBe(0);
    expect(filesUnder(out).filter((f) => f.endsWith('.yaml')).sort()).toEqual([
      `clusters/${m2}/_cluster/namespace-${ns}.yaml`, `clusters/${m2}/${ns}/configmap-cfg.yaml`, `clusters/${m2}/${ns}/deployment.apps-web.yaml`,
      `clusters/${m3}/_cluster/namespace-${ns}.yaml`, `clusters/${m3}/${ns}/deployment.apps-web.yaml`,
    ].sort());
    // The members' objects are KubeFed's, not gitfed's yet: the one change an apply brings is
    // gitfed's ownership labels, added on taking them over. No field of the objects changes.
    const diff = await runGitfed(['diff', '--live', '--repo', out, '--kubeconfig', memberKubeconfig(), '--format', 'json']);
    expect(liveChanges(diff.stdout, ns)).toEqual({
      members: [[m2, undefined, [`update ConfigMap/${ns}/cfg`, `update Deployment/${ns}/web`, `update Namespace/${ns}`]], [m3, undefined, [`update Deployment/${ns}/web`, `update Namespace/${ns}`]]],
      beyondOwnership: [],
    });

    // Applied: the objects' specs and data are untouched, and then nothing is left to change.
    const content = (m: string) => ({
      deploy: JSON.parse(kubectl(m, ['get', 'deployment', 'web', '-n', ns, '-o', 'json'])) as { spec: unknown; metadata: { generation: number } },
      cm: m === m2 ? kubectl(m, ['get', 'configmap', 'cfg', '-n', ns, '-o', 'jsonpath={.data}']) : '',
    });
    const before = [content(m2), content(m3)];
    const apply = await runGitfed(['apply', '--repo', out, '--kubeconfig', memberKubeconfig(), '--state', `${out}.status.json`]);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const after = [content(m2), content(m3)];
    // (Not the generation: the apps registry bumps it on any annotation change, gitfed's digest included.)
    expect(after.map((a) => [a.deploy.spec, a.cm])).toEqual(before.map((b) => [b.deploy.spec, b.cm]));
    expect(kubectl(m3, ['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.spec.replicas}'])).toBe('5');
    const again = await runGitfed(['diff', '--live', '--repo', out, '--kubeconfig', memberKubeconfig()]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });

  it('refuses to write over a repo that already has those files', async () => {
    const r = await runGitfed(['import', '--from-kubefed', host, '--repo', repo, '--kubeconfig', memberKubeconfig()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[ImportTargetNotEmpty]');
  });

  it('says when the context is not a KubeFed host', async () => {
    const r = await runGitfed(['import', '--from-kubefed', m2, '--repo', `${tmp('none')}/fleet`, '--kubeconfig', memberKubeconfig()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a KubeFed host cluster.*\[NoKindMatch\]/);
  });
});
