/**
 * A member's existing namespace brought under the fleet: `gitfed federate namespace NS
 * --contents` (kubefedctl's spelling, from a live cluster), `gitfed federate deployment web -n NS`,
 * and `gitfed import --from-member`. What the cluster makes for itself stays out, server-set
 * fields go, and the imported fleet renders to what the member holds.
 */
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGitfed } from '../../support/cli.js';
import { memberKubeconfig, memberNames } from '../support/members.js';
import { eventually } from '../support/wait.js';
import { expectGolden, filesUnder, kubectl, liveChanges, read, tmp } from './support.js';

const m2 = memberNames()[1]!;
const ns = `mbimp-${Math.random().toString(16).slice(2, 8)}`;

const objects = `
apiVersion: v1
kind: Namespace
metadata: {name: ${ns}, labels: {team: shop}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {serviceAccountName: robot, containers: [{name: web, image: "nginx:1.27"}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ${ns}}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: robot, namespace: ${ns}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: ${ns}}
data: {mode: "on"}
---
apiVersion: v1
kind: Secret
metadata: {name: pw, namespace: ${ns}}
stringData: {pw: hunter2}
`;

beforeAll(async () => {
  kubectl(m2, ['create', '-f', '-'], objects);
  // The member's controllers do their part: a ReplicaSet, the revision annotation, kube-root-ca.crt, the default ServiceAccount.
  await eventually('controllers', async () => {
    const rs = kubectl(m2, ['get', 'replicasets', '-n', ns, '-o', 'name']);
    const rev = kubectl(m2, ['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}']);
    const sa = kubectl(m2, ['get', 'serviceaccounts', '-n', ns, '-o', 'name']);
    const ca = kubectl(m2, ['get', 'configmaps', '-n', ns, '-o', 'name']);
    return rs && rev && sa.includes('default') && ca.includes('kube-root-ca.crt') ? true : undefined;
  });
});

afterAll(() => {
  kubectl(m2, ['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']);
});

describe('a member namespace under the fleet', () => {
  it('federate namespace --contents: the user objects in KubeFed form, the cluster\'s own left out', async () => {
    const r = await runGitfed(['federate', 'namespace', ns, '--contents', '--skip-api-resources', 'secrets', '--from-cluster', m2, '-o', 'yaml', '--kubeconfig', memberKubeconfig(), '--repo', tmp('none')]);
    expect(r.code, r.stderr).toBe(0);
    const docs = yaml.loadAll(r.stdout) as { kind: string; metadata: { name: string; namespace: string }; spec: { template: Record<string, unknown>; placement: unknown } }[];
    expect(docs.map((d) => `${d.kind}/${d.metadata.namespace}/${d.metadata.name}`).sort()).toEqual(
      [`FederatedConfigMap/${ns}/cfg`, `FederatedDeployment/${ns}/web`, `FederatedNamespace/${ns}/${ns}`, `FederatedService/${ns}/web`, `FederatedServiceAccount/${ns}/robot`].sort(),
    );
    expect(r.stdout).not.toMatch(/kube-root-ca|deployment\.kubernetes\.io\/revision|clusterIP|uid:|resourceVersion|creationTimestamp|hunter2|name: default\b/);
    expect(r.stderr).toMatch(new RegExp(`skipped ReplicaSet/${ns}/web-\\w+: owned by Deployment/web`));
    expect(r.stderr).toContain(`skipped ConfigMap/${ns}/kube-root-ca.crt`);
    expect(r.stderr).toContain(`skipped ServiceAccount/${ns}/default`);
    expect(docs.find((d) => d.kind === 'FederatedDeployment')?.spec.placement).toEqual({ clusters: [{ name: m2 }] });
    expect(docs.find((d) => d.kind === 'FederatedNamespace')?.spec.template).toEqual({ metadata: { labels: expect.objectContaining({ team: 'shop' }) as unknown } });
  });

  it('federate deployment web -n NS: one object, written into the repo', async () => {
    const repo = tmp('one');
    const r = await runGitfed(['federate', 'deployment', 'web', '-n', ns, '--from-cluster', m2, '--kubeconfig', memberKubeconfig(), '--repo', repo]);
    expect(r.code, r.stderr).toBe(0);
    expect(filesUnder(repo)).toEqual([`kubefed/${ns}/federateddeployment-web.yaml`]);
    expect(read(repo, `kubefed/${ns}/federateddeployment-web.yaml`)).toContain('image: nginx:1.27');
    const missing = await runGitfed(['federate', 'deployment', 'nope', '-n', ns, '--from-cluster', m2, '--kubeconfig', memberKubeconfig(), '--repo', repo]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('[NotFound]');
  });

  it('import --from-member: never a Secret, and the fleet renders to what the member holds', async () => {
    const repo = `${tmp('member')}/fleet`;
    const r = await runGitfed(['import', '--from-member', m2, '-n', ns, '--repo', repo, '--kubeconfig', memberKubeconfig(), '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { skipped: { object: string; reason: string }[] };
    expect(out.skipped.find((s) => s.object === `Secret/${ns}/pw`)?.reason).toMatch(/never goes into git/);
    expectGolden(repo, 'member', { [ns]: 'NS', [m2]: 'M2' });
    // The inventory: the member itself, so the render places on it.
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(`${repo}/clusters`);
    writeFileSync(`${repo}/clusters/${m2}.yaml`, `apiVersion: core.kubefed.io/v1beta1\nkind: KubeFedCluster\nmetadata: {name: ${m2}}\n`);
    const rendered = tmp('member-out');
    const render = await runGitfed(['render', '--repo', repo, '--out', rendered]);
    expect(render.code, render.stderr).toBe(0);
    const diff = await runGitfed(['diff', '--live', '--repo', rendered, '--kubeconfig', memberKubeconfig(), '--format', 'json']);
    const changes = liveChanges(diff.stdout, ns);
    expect(changes.beyondOwnership).toEqual([]);
    expect((changes.members[0] as unknown[])[2]).toEqual([`update ConfigMap/${ns}/cfg`, `update Deployment/${ns}/web`, `update Namespace/${ns}`, `update Service/${ns}/web`, `update ServiceAccount/${ns}/robot`]);
  });
});
