/**
 * The kubefedctl verbs against real members: `enable --from-cluster` reads a type from a member's
 * discovery (a CRD present on one member and missing on another), `orphaning-deletion status
 * --from-cluster` reads the annotation prune honours, and `status Federated<Kind>/NS/NAME` gives
 * upstream's reasons after a real apply: OK, CreationFailed (an override the member's API server refuses),
 * ClusterNotReady (a member that does not answer), and WaitingForRemoval once render stops
 * placing the object on a member that still holds it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGitfed } from '../../support/cli.js';
import { memberKubeconfig, memberNames } from '../support/members.js';
import { kubectl, read, tmp } from './support.js';

const [m1, m2] = memberNames() as [string, string];
const ns = `live-${Math.random().toString(16).slice(2, 8)}`;
const CRD = 'widgets.live.e2e.gitfed.io';

const crd = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: ${CRD}}
spec:
  group: live.e2e.gitfed.io
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wdg]}
  versions:
  - {name: v1beta1, served: true, storage: false, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}
  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}
`;

const deployment = (orphan: boolean) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}${orphan ? ', annotations: {kubefed.io/orphan: "true"}' : ''}}
spec:
  replicas: 0
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "nginx:1.27"}]}
`;

/** The e2e kubeconfig plus a member `gone` that refuses connections. */
function kubeconfigWithGone(dir: string): string {
  const doc = yaml.load(readFileSync(memberKubeconfig(), 'utf8')) as { clusters: { name: string; cluster: Record<string, unknown> }[]; contexts: { name: string; context: Record<string, unknown> }[] };
  doc.clusters.push({ name: 'gone', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } });
  doc.contexts.push({ name: 'gone', context: { ...doc.contexts[0]!.context, cluster: 'gone' } });
  const file = join(dir, 'kubeconfig');
  writeFileSync(file, yaml.dump(doc));
  return file;
}

const cluster = (name: string) => `apiVersion: core.kubefed.io/v1beta1\nkind: KubeFedCluster\nmetadata: {name: ${name}, namespace: kube-federation-system}\n`;
const placement = (clusters: readonly string[]) => `{clusters: [${clusters.map((c) => `{name: ${c}}`).join(', ')}]}`;
/** m2's override makes a value a number, which its API server refuses: the create fails there only. */
const configMap = (clusters: readonly string[]) => `
apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: ${ns}, namespace: ${ns}}
spec:
  placement: ${placement([m1, m2, 'gone'])}
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata: {name: cfg, namespace: ${ns}}
spec:
  template: {data: {mode: "on"}}
  placement: ${placement(clusters)}
  overrides:
  - clusterName: ${m2}
    clusterOverrides:
    - {path: /data, value: {"bad key": "x"}}
`;

beforeAll(() => {
  kubectl(m1, ['apply', '-f', '-'], crd);
  kubectl(m1, ['wait', '--for', 'condition=Established', '--timeout', '60s', 'crd', CRD]);
  kubectl(m1, ['create', 'namespace', ns]);
  kubectl(m2, ['create', 'namespace', ns]);
  kubectl(m1, ['create', '-f', '-'], deployment(true));
  kubectl(m2, ['create', '-f', '-'], deployment(false));
});

afterAll(() => {
  for (const m of [m1, m2]) kubectl(m, ['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']);
  kubectl(m1, ['delete', 'crd', CRD, '--ignore-not-found']);
});

describe('enable --from-cluster', () => {
  it('takes group, kind, plural, scope and the storage-preferred version from the member, by any spelling', async () => {
    const repo = tmp('enable');
    for (const spelling of ['wdg', 'widgets.live.e2e.gitfed.io']) {
      const r = await runGitfed(['enable', spelling, '--from-cluster', m1, '--kubeconfig', memberKubeconfig(), '--repo', repo, '--dry-run', '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { document: { spec: unknown } }).document.spec).toEqual({
        targetType: { group: 'live.e2e.gitfed.io', version: 'v1', kind: 'Widget', pluralName: 'widgets', scope: 'Namespaced' },
        federatedType: { group: 'types.kubefed.io', version: 'v1beta1', kind: 'FederatedWidget', pluralName: 'federatedwidgets', scope: 'Namespaced' },
        propagation: 'Enabled',
      });
    }
    const written = await runGitfed(['enable', 'deploy', '--from-cluster', m2, '--kubeconfig', memberKubeconfig(), '--repo', repo]);
    expect(written.code, written.stderr).toBe(0);
    expect(read(repo, 'type-configs/deployments.apps.yaml')).toContain('kind: Deployment');
  });

  it('says which member lacks the CRD, and writes nothing', async () => {
    const repo = tmp('enable-missing');
    const r = await runGitfed(['enable', 'widgets.live.e2e.gitfed.io', '--from-cluster', m2, '--kubeconfig', memberKubeconfig(), '--repo', repo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`context ${m2} serves no resource type "widgets.live.e2e.gitfed.io".*\\[NoKindMatch\\]`));
    expect(() => read(repo, 'type-configs/widgets.live.e2e.gitfed.io.yaml')).toThrow();
  });
});

describe('orphaning-deletion status --from-cluster', () => {
  it('reads the annotation on the member object, by the federated kind or the member kind', async () => {
    const on = await runGitfed(['orphaning-deletion', 'status', 'FederatedDeployment', 'web', '-n', ns, '--from-cluster', m1, '--kubeconfig', memberKubeconfig()]);
    expect([on.code, on.stdout, on.stderr]).toEqual([0, 'Enabled\n', '']);
    const off = await runGitfed(['orphaning-deletion', 'status', `deploy/${ns}/web`, '--from-cluster', m2, '--kubeconfig', memberKubeconfig(), '--format', 'json']);
    expect(off.code, off.stderr).toBe(0);
    expect(JSON.parse(off.stdout)).toEqual({ object: `Deployment/${ns}/web`, cluster: m2, status: 'Disabled' });
  });

  it('refuses to set it on a member, and names an object that is not there', async () => {
    const set = await runGitfed(['orphaning-deletion', 'enable', `FederatedDeployment/${ns}/web`, '--from-cluster', m1, '--kubeconfig', memberKubeconfig()]);
    expect(set.code).toBe(2);
    expect(set.stderr).toContain('[InvalidFlag]');
    const none = await runGitfed(['orphaning-deletion', 'status', `FederatedDeployment/${ns}/nope`, '--from-cluster', m1, '--kubeconfig', memberKubeconfig()]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`Deployment/${ns}/nope is not on cluster ${m1}`);
  });
});

describe('gitfed status Federated<Kind>/NS/NAME after a real apply', () => {
  it('gives OK, CreationFailed, ClusterNotReady, then WaitingForRemoval when render stops placing it', async () => {
    const dir = tmp('status');
    const kubeconfig = kubeconfigWithGone(dir);
    const fleet = join(dir, 'fleet');
    mkdirSync(join(fleet, 'clusters'), { recursive: true });
    for (const c of [m1, m2, 'gone']) writeFileSync(join(fleet, 'clusters', `${c}.yaml`), cluster(c));
    writeFileSync(join(fleet, 'cfg.yaml'), configMap([m1, m2, 'gone']));
    const out = join(dir, 'out');
    const state = join(dir, 'status.json');
    const render = await runGitfed(['render', '--repo', fleet, '--out', out]);
    expect(render.code, render.stderr).toBe(0);
    const apply = await runGitfed(['apply', '--repo', out, '--kubeconfig', kubeconfig, '--state', state]);
    expect(apply.code, apply.stdout + apply.stderr).toBe(2);

    const status = async (...args: string[]) => {
      const r = await runGitfed(['status', ...args, '--repo', fleet, '--state', state]);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    const s = JSON.parse(await status('FederatedConfigMap', 'cfg', '-n', ns, '-o', 'json')) as { status: { conditions: unknown[]; clusters: { name: string; status?: string; message?: string }[] } };
    expect(s.status.conditions).toEqual([{ type: 'Propagation', status: 'False', reason: 'CheckClusters' }]);
    expect(s.status.clusters.map((c) => [c.name, c.status])).toEqual([['gone', 'ClusterNotReady'], [m1, undefined], [m2, 'CreationFailed']].sort());
    expect(s.status.clusters.find((c) => c.name === m2)!.message).toBeTruthy();
    expect(await status(`cm/${ns}/cfg`)).toMatch(new RegExp(`^${m2}\\s+CreationFailed\\s+ConfigMap/${ns}/cfg`, 'm'));

    // Render no longer places it on m1; the report still has it there: the next apply deletes it.
    writeFileSync(join(fleet, 'cfg.yaml'), configMap([m2]));
    const after = JSON.parse(await status(`FederatedConfigMap/${ns}/cfg`, '-o', 'json')) as typeof s;
    expect(after.status.clusters.map((c) => [c.name, c.status])).toEqual([[m1, 'WaitingForRemoval'], [m2, 'CreationFailed']]);
  });
});
