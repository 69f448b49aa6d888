/**
 * The engine end to end: member objects of each built-in kind, FederatedNamespace rules,
 * type configs for custom resources, what is consumed and what is left alone, and bad input.
 */
import { describe, expect, it } from 'vitest';
import { renderKubeFed } from '../../../src/render/kubefed/index.js';
import { byCluster, cluster, input } from './fleet.js';

const clusters = [cluster('a', { tier: 'onprem' }), cluster('b', { tier: 'cloud' })];

const fedNs = (ns: string, placement = '{clusterSelector: {}}') => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: ${ns}, namespace: ${ns}}
spec:
  placement: ${placement}
`;

function federated(kind: string, opts: { ns?: string | null; name?: string; template?: string; placement?: string; apiVersion?: string } = {}): string {
  const ns = opts.ns === undefined ? 'app' : opts.ns;
  return `apiVersion: ${opts.apiVersion ?? 'types.kubefed.io/v1beta1'}
kind: ${kind}
metadata: {name: ${opts.name ?? 'x'}${ns ? `, namespace: ${ns}` : ''}}
spec:
  template: ${opts.template ?? '{}'}
  placement: ${opts.placement ?? '{clusterSelector: {}}'}
`;
}

const docs = (...d: string[]) => d.join('---\n');

describe('built-in kinds', () => {
  it.each([
    ['FederatedConfigMap', 'v1', 'ConfigMap', true],
    ['FederatedSecret', 'v1', 'Secret', true],
    ['FederatedServiceAccount', 'v1', 'ServiceAccount', true],
    ['FederatedService', 'v1', 'Service', true],
    ['FederatedIngress', 'networking.k8s.io/v1', 'Ingress', true],
    ['FederatedDeployment', 'apps/v1', 'Deployment', true],
    ['FederatedReplicaSet', 'apps/v1', 'ReplicaSet', true],
    ['FederatedStatefulSet', 'apps/v1', 'StatefulSet', true],
    ['FederatedDaemonSet', 'apps/v1', 'DaemonSet', true],
    ['FederatedJob', 'batch/v1', 'Job', true],
    ['FederatedCronJob', 'batch/v1', 'CronJob', true],
    ['FederatedHorizontalPodAutoscaler', 'autoscaling/v2', 'HorizontalPodAutoscaler', true],
    ['FederatedRole', 'rbac.authorization.k8s.io/v1', 'Role', true],
    ['FederatedRoleBinding', 'rbac.authorization.k8s.io/v1', 'RoleBinding', true],
    ['FederatedClusterRole', 'rbac.authorization.k8s.io/v1', 'ClusterRole', false],
    ['FederatedClusterRoleBinding', 'rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', false],
  ])('%s renders %s %s', (fedKind, apiVersion, kind, namespaced) => {
    const out = renderKubeFed(input(docs(fedNs('app'), federated(fedKind, { ns: namespaced ? 'app' : null })), clusters));
    expect(out.diagnostics).toEqual([]);
    const members = out.rendered.filter((r) => r.obj.kind === kind);
    expect(members.map((r) => r.cluster)).toEqual(['a', 'b']);
    expect(members[0]!.obj).toEqual({ apiVersion, kind, metadata: namespaced ? { name: 'x', namespace: 'app' } : { name: 'x' } });
    expect(members[0]!.origin).toBe(`types.kubefed.io/${fedKind}/${namespaced ? 'app' : ''}/x`);
    expect(members[0]!.engine).toBe('kubefed');
  });

  it('builds the member from the template: keeps its annotations and labels, adds no kubefed label, takes name and namespace from the federated object', () => {
    const template = `
    metadata:
      labels: {app: web}
      annotations: {team: web, kubefed.io/orphan: "false"}
    data: {k: v}`;
    const out = renderKubeFed(input(docs(fedNs('app'), federated('FederatedConfigMap', { template })), clusters));
    expect(out.rendered.find((r) => r.obj.kind === 'ConfigMap')!.obj).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'app', labels: { app: 'web' }, annotations: { team: 'web', 'kubefed.io/orphan': 'false' } },
      data: { k: 'v' },
    });
  });

  it('keeps a template apiVersion of the same group, as upstream does', () => {
    const out = renderKubeFed(input(docs(fedNs('app'), federated('FederatedHorizontalPodAutoscaler', { template: '{apiVersion: autoscaling/v1, spec: {maxReplicas: 3}}' })), clusters));
    expect(out.rendered.find((r) => r.obj.kind === 'HorizontalPodAutoscaler')!.obj.apiVersion).toBe('autoscaling/v1');
  });

  it.each([
    ['a template apiVersion of another group', '{apiVersion: extensions/v1beta1}', 'TemplateKindMismatch'],
    ['a template kind other than the target', '{kind: Secret}', 'TemplateKindMismatch'],
    ['a template that is not a mapping', '[1, 2]', 'Schema'],
  ])('refuses %s', (_name, template, code) => {
    const out = renderKubeFed(input(docs(fedNs('app'), federated('FederatedConfigMap', { template })), clusters));
    expect(out.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code, object: 'types.kubefed.io/FederatedConfigMap/app/x', line: 11 })]);
    expect(out.rendered.filter((r) => r.obj.kind === 'ConfigMap')).toEqual([]);
  });

  it('warns when a template names the object differently, and uses the federated name', () => {
    const out = renderKubeFed(input(docs(fedNs('app'), federated('FederatedConfigMap', { template: '{metadata: {name: y}}' })), clusters));
    expect(out.diagnostics.map((d) => d.code)).toEqual(['TemplateNameIgnored']);
    expect(out.rendered.find((r) => r.obj.kind === 'ConfigMap')!.obj.metadata.name).toBe('x');
  });
});

describe('FederatedNamespace', () => {
  it('emits the Namespace where it is placed, and limits the objects in it to those clusters', () => {
    const out = renderKubeFed(input(docs(fedNs('app', '{clusterSelector: {matchLabels: {tier: onprem}}}'), federated('FederatedConfigMap')), clusters));
    expect(out.diagnostics).toEqual([]);
    expect(byCluster(out.rendered)).toEqual({
      a: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'app' } },
      ],
    });
    const e = out.explanations.find((x) => x.object === 'types.kubefed.io/FederatedConfigMap/app/x')!;
    expect(e.clusters).toEqual(['a']);
    expect(e.placement.join(' ')).toMatch(/limited to where FederatedNamespace app \(fleet.yaml:1\) is placed; dropped b/);
  });

  it('sends a namespaced object nowhere without a FederatedNamespace (NamespaceNotFederated)', () => {
    const out = renderKubeFed(input(federated('FederatedConfigMap'), clusters));
    expect(out.rendered).toEqual([]);
    expect(out.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'NamespaceNotFederated', object: 'types.kubefed.io/FederatedConfigMap/app/x', line: 3 })]);
  });

  it('does not emit system namespaces, but still places the objects in them', () => {
    const out = renderKubeFed(input(docs(fedNs('default', '{clusters: [{name: b}]}'), federated('FederatedConfigMap', { ns: 'default' })), clusters));
    expect(byCluster(out.rendered)).toEqual({ b: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } }] });
  });

  it('may omit its namespace, but not name another', () => {
    const ok = renderKubeFed(input('apiVersion: types.kubefed.io/v1beta1\nkind: FederatedNamespace\nmetadata: {name: app}\nspec: {placement: {clusterSelector: {}}}\n', clusters));
    expect(ok.rendered.map((r) => r.cluster)).toEqual(['a', 'b']);
    const bad = renderKubeFed(input('apiVersion: types.kubefed.io/v1beta1\nkind: FederatedNamespace\nmetadata: {name: app, namespace: other}\nspec: {placement: {clusterSelector: {}}}\n', clusters));
    expect(bad.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'InvalidName' })]);
  });

  it('applies overrides to the Namespace', () => {
    const yaml = fedNs('app') + '  overrides:\n  - clusterName: b\n    clusterOverrides:\n    - {op: add, path: /metadata/labels, value: {zone: cloud}}\n';
    const out = renderKubeFed(input(yaml, clusters));
    expect(byCluster(out.rendered)).toEqual({
      a: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } }],
      b: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app', labels: { zone: 'cloud' } } }],
    });
  });
});

describe('type configs', () => {
  const ftc = (extra = '') => `apiVersion: core.kubefed.io/v1beta1
kind: FederatedTypeConfig
metadata: {name: certificates.cert-manager.io, namespace: kube-federation-system}
spec:
  targetType: {version: v1, kind: Certificate, scope: Namespaced}
${extra ? extra + '\n' : ''}`;

  it('renders a custom resource through a type config, group and plural from the name', () => {
    const out = renderKubeFed(input(docs(ftc(), fedNs('app'), federated('FederatedCertificate', { template: '{spec: {secretName: tls}}' })), clusters));
    expect(out.diagnostics).toEqual([]);
    expect(out.rendered.filter((r) => r.obj.kind === 'Certificate').map((r) => [r.cluster, r.obj])).toEqual([
      ['a', { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'x', namespace: 'app' }, spec: { secretName: 'tls' } }],
      ['b', { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'x', namespace: 'app' }, spec: { secretName: 'tls' } }],
    ]);
    expect(out.consumed.size).toBe(3);
  });

  it('honours a custom federated group and kind', () => {
    const out = renderKubeFed(input(docs(ftc('  federatedType: {group: fed.example.com, version: v1, kind: FedCert}'), fedNs('app'), federated('FedCert', { apiVersion: 'fed.example.com/v1' })), clusters));
    expect(out.diagnostics).toEqual([]);
    expect(out.rendered.filter((r) => r.obj.kind === 'Certificate')).toHaveLength(2);
  });

  it('with propagation: Disabled reads the objects and sends them nowhere', () => {
    const out = renderKubeFed(input(docs(ftc('  propagation: Disabled'), fedNs('app'), federated('FederatedCertificate')), clusters));
    expect(out.rendered.filter((r) => r.obj.kind === 'Certificate')).toEqual([]);
    expect(out.explanations.find((e) => e.object.includes('FederatedCertificate'))!.placement.join(' ')).toMatch(/propagation: Disabled/);
  });

  it('may replace a built-in', () => {
    const pin = `apiVersion: core.kubefed.io/v1beta1
kind: FederatedTypeConfig
metadata: {name: horizontalpodautoscalers.autoscaling}
spec:
  targetType: {version: v1, kind: HorizontalPodAutoscaler, scope: Namespaced}
`;
    const out = renderKubeFed(input(docs(pin, fedNs('app'), federated('FederatedHorizontalPodAutoscaler')), clusters));
    expect(out.rendered.find((r) => r.obj.kind === 'HorizontalPodAutoscaler')!.obj.apiVersion).toBe('autoscaling/v1');
  });

  it.each([
    ['without a scope', '  targetType: {version: v1, kind: Certificate}', 'Schema'],
    ['without a kind', '  targetType: {version: v1, scope: Cluster}', 'Schema'],
    ['without targetType', '  propagation: Enabled', 'Schema'],
  ])('refuses a type config %s', (_name, spec, code) => {
    const bad = `apiVersion: core.kubefed.io/v1beta1\nkind: FederatedTypeConfig\nmetadata: {name: certificates.cert-manager.io}\nspec:\n${spec}\n`;
    const out = renderKubeFed(input(bad, clusters));
    expect(out.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code })]);
  });

  it('refuses two type configs for one federated kind', () => {
    const out = renderKubeFed(input(docs(ftc(), ftc().replace('name: certificates.cert-manager.io', 'name: certs.cert-manager.io')), clusters));
    expect(out.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'DuplicateTypeConfig', line: 7 })]);
  });
});

describe('what the engine takes', () => {
  it('consumes KubeFed documents and leaves everything else alone', () => {
    const plain = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain, namespace: app}\n';
    const karmada = 'apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: p, namespace: app}\nspec: {}\n';
    const kubefedConfig = 'apiVersion: core.kubefed.io/v1beta1\nkind: KubeFedConfig\nmetadata: {name: kubefed}\nspec: {}\n';
    const inp = input(docs(fedNs('app'), federated('FederatedConfigMap'), plain, karmada, kubefedConfig), clusters);
    const out = renderKubeFed(inp);
    expect([...out.consumed].map((s) => s.obj.kind)).toEqual(['FederatedNamespace', 'FederatedConfigMap']);
    expect(out.rendered.some((r) => r.obj.metadata.name === 'plain')).toBe(false);
  });

  it('reports an unknown federated kind as an error and consumes it', () => {
    const out = renderKubeFed(input(federated('FederatedWidget'), clusters));
    expect(out.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'UnknownFederatedType', object: 'types.kubefed.io/FederatedWidget/app/x', line: 2 })]);
    expect(out.consumed.size).toBe(1);
  });

  it.each([
    ['a federated object of another version', federated('FederatedConfigMap', { apiVersion: 'types.kubefed.io/v1alpha1' }), 'UnsupportedVersion'],
    ['a namespaced federated object without a namespace', federated('FederatedConfigMap', { ns: null }), 'MissingNamespace'],
    ['a federated object without spec', 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedSecret\nmetadata: {name: s, namespace: app}\n', 'Schema'],
    ['a placement that is not a mapping', federated('FederatedConfigMap', { placement: '[a]' }), 'Schema'],
    ['overrides that are not a list', federated('FederatedConfigMap') + '  overrides: {a: 1}\n', 'Schema'],
  ])('reports %s as an error, never throwing', (_name, yaml, code) => {
    const out = renderKubeFed(input(docs(fedNs('app'), yaml), clusters));
    expect(out.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code, file: 'fleet.yaml' })]);
    expect(out.rendered.filter((r) => r.obj.kind !== 'Namespace')).toEqual([]);
  });

  it('explains that retainReplicas cannot keep live replicas in a render', () => {
    const yaml = federated('FederatedDeployment', { template: '{spec: {replicas: 2}}' }) + '  retainReplicas: true\n';
    const out = renderKubeFed(input(docs(fedNs('app'), yaml), clusters));
    const e = out.explanations.find((x) => x.object.includes('FederatedDeployment'))!;
    expect(e.scheduling.join(' ')).toMatch(/retainReplicas is set/);
    expect(e.replicas).toEqual({ a: 2, b: 2 });
  });

  it('renders the same output for the same input', () => {
    const inp = input(docs(fedNs('app'), federated('FederatedConfigMap'), federated('FederatedSecret', { name: 's' })), clusters);
    expect(JSON.stringify(renderKubeFed(inp).rendered)).toBe(JSON.stringify(renderKubeFed(inp).rendered));
  });
});
