import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { disable } from '../../../src/fleet/disable.js';
import { enable, resolveType } from '../../../src/fleet/enable.js';
import { CLUSTERS, errorOf, listFiles, makeFleet, read, renderDir, renderedOn } from './fixtures.js';

const NAMESPACE = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: certs, namespace: certs}
spec:
  placement: {clusterSelector: {}}
`;

const CERTIFICATE = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedCertificate
metadata: {name: web, namespace: certs}
spec:
  template:
    spec:
      secretName: web-tls
      dnsNames: [web.example.com]
  placement: {clusterSelector: {}}
`;

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: certificates.cert-manager.io}
spec:
  group: cert-manager.io
  names: {kind: Certificate, plural: certificates}
  scope: Namespaced
  versions:
    - {name: v1alpha2, served: true, storage: false}
    - {name: v1, served: true, storage: true}
`;

async function certFleet(): Promise<string> {
  return makeFleet({ ...CLUSTERS, 'certs/ns.yaml': NAMESPACE, 'certs/web.yaml': CERTIFICATE });
}

describe('gitfed enable', () => {
  it('writes a type config render reads: the federated Certificate reaches every cluster', async () => {
    const dir = await certFleet();
    expect((await errorOf(renderDir(dir))).message).toContain('not a built-in federated type');
    const r = await enable({ repo: dir, type: 'certificates.cert-manager.io', kind: 'Certificate', version: 'v1', scope: 'Namespaced' });
    expect(r).toMatchObject({ name: 'certificates.cert-manager.io', file: 'type-configs/certificates.cert-manager.io.yaml', action: 'created' });
    const result = await renderDir(dir);
    expect(renderedOn(result, 'eu', 'Certificate', 'web')).toEqual({
      apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'web', namespace: 'certs' },
      spec: { secretName: 'web-tls', dnsNames: ['web.example.com'] },
    });
    expect(await read(dir, r.file)).toContain('federatedType:\n    group: types.kubefed.io\n    version: v1beta1\n    kind: FederatedCertificate\n    pluralName: federatedcertificates\n');
  });

  it('takes group, kind, plural, scope and the storage version from a CRD file', async () => {
    const dir = await certFleet();
    const crd = join(await makeFleet({}), 'crd.yaml');
    await writeFile(crd, CRD);
    expect(await resolveType({ repo: dir, crd })).toMatchObject({ group: 'cert-manager.io', kind: 'Certificate', pluralName: 'certificates', scope: 'Namespaced', version: 'v1' });
    await enable({ repo: dir, crd });
    expect(renderedOn(await renderDir(dir), 'us', 'Certificate', 'web')?.apiVersion).toBe('cert-manager.io/v1');
  });

  it('names the CRD file and line of a CRD without a scope', async () => {
    const crd = join(await makeFleet({}), 'crd.yaml');
    await writeFile(crd, '# header\n' + CRD.replace('  scope: Namespaced\n', ''));
    expect(await errorOf(resolveType({ repo: '.', crd }))).toMatchObject({ code: 'InvalidCRD', file: crd, line: 5 });
  });

  it('fills a built-in kind in by itself and asks for what it cannot guess', async () => {
    expect(await resolveType({ repo: '.', type: 'deployments.apps' })).toMatchObject({ group: 'apps', version: 'v1', kind: 'Deployment', scope: 'Namespaced' });
    // kubefedctl's spellings: Kind, plural, kubectl's short name, group-qualified plural.
    for (const spelling of ['Deployment', 'deployments', 'deploy', 'deploy.apps']) expect(await resolveType({ repo: '.', type: spelling })).toMatchObject({ group: 'apps', kind: 'Deployment', pluralName: 'deployments' });
    expect(await resolveType({ repo: '.', type: 'hpa' })).toMatchObject({ group: 'autoscaling', kind: 'HorizontalPodAutoscaler' });
    expect(await resolveType({ repo: '.', type: 'Widget', group: 'example.com', version: 'v1', scope: 'Cluster' })).toMatchObject({ pluralName: 'widgets', kind: 'Widget', group: 'example.com' });
    expect((await errorOf(resolveType({ repo: '.', type: 'widgets.example.com', version: 'v1', scope: 'Cluster' }))).message).toContain('--kind');
    expect((await errorOf(resolveType({ repo: '.', type: 'Widget', version: 'v1' }))).message).toContain('--scope');
    expect((await errorOf(resolveType({ repo: '.', type: 'Widget', version: '1', scope: 'Cluster' }))).code).toBe('InvalidFlag');
  });

  it('refuses a type config that says something else, naming it, unless forced', async () => {
    const dir = await certFleet();
    await enable({ repo: dir, type: 'certificates.cert-manager.io', kind: 'Certificate', version: 'v1', scope: 'Namespaced' });
    const err = await errorOf(enable({ repo: dir, type: 'certificates.cert-manager.io', kind: 'Certificate', version: 'v1beta1', scope: 'Namespaced' }));
    expect(err).toMatchObject({ code: 'TypeConfigExists', file: 'type-configs/certificates.cert-manager.io.yaml', line: 1 });
    expect(err.message).toContain('version "v1" -> "v1beta1"');
    expect((await enable({ repo: dir, type: 'certificates.cert-manager.io', kind: 'Certificate', version: 'v1', scope: 'Namespaced' })).action).toBe('unchanged');
    expect((await enable({ repo: dir, type: 'certificates.cert-manager.io', kind: 'Certificate', version: 'v1beta1', scope: 'Namespaced', force: true })).action).toBe('replaced');
    expect(renderedOn(await renderDir(dir), 'eu', 'Certificate', 'web')?.apiVersion).toBe('cert-manager.io/v1beta1');
  });
});

describe('gitfed disable', () => {
  const FTC = `# cert-manager, installed on every member
apiVersion: core.kubefed.io/v1beta1
kind: FederatedTypeConfig
metadata:
  name: certificates.cert-manager.io
spec:
  targetType:
    version: v1
    kind: Certificate
    scope: Namespaced     # certificates live in namespaces
  propagation: Enabled
`;

  it('sets propagation Disabled in place, keeping comments; the objects then go nowhere; enable turns it back on', async () => {
    const dir = await makeFleet({ ...CLUSTERS, 'certs/ns.yaml': NAMESPACE, 'certs/web.yaml': CERTIFICATE, 'ftc.yaml': FTC });
    const r = await disable({ repo: dir, name: 'Certificate' });
    expect(r).toMatchObject({ name: 'certificates.cert-manager.io', file: 'ftc.yaml', action: 'disabled', instances: [{ object: 'FederatedCertificate/certs/web', file: 'certs/web.yaml', line: 1 }] });
    expect(await read(dir, 'ftc.yaml')).toBe(FTC.replace('propagation: Enabled', 'propagation: Disabled'));
    expect(renderedOn(await renderDir(dir), 'eu', 'Certificate', 'web')).toBeUndefined();
    expect((await disable({ repo: dir, name: 'certificates.cert-manager.io' })).action).toBe('unchanged');
    expect((await enable({ repo: dir, type: 'certificates.cert-manager.io', kind: 'Certificate', version: 'v1', scope: 'Namespaced' })).action).toBe('enabled');
    expect(await read(dir, 'ftc.yaml')).toBe(FTC);
  });

  it('adds the propagation field when the type config relies on the default', async () => {
    const dir = await makeFleet({ ...CLUSTERS, 'ftc.yaml': FTC.replace('  propagation: Enabled\n', '') });
    await disable({ repo: dir, name: 'FederatedCertificate' });
    expect(await read(dir, 'ftc.yaml')).toBe(FTC.replace('propagation: Enabled', 'propagation: Disabled'));
  });

  it('refuses to delete a type config whose objects remain, naming them; force deletes the file', async () => {
    const dir = await makeFleet({ ...CLUSTERS, 'certs/ns.yaml': NAMESPACE, 'certs/web.yaml': CERTIFICATE, 'ftc.yaml': FTC });
    const err = await errorOf(disable({ repo: dir, name: 'Certificate', delete: true }));
    expect(err).toMatchObject({ code: 'TypeInUse', file: 'ftc.yaml', line: 2 });
    expect(err.message).toContain('FederatedCertificate/certs/web at certs/web.yaml:1');
    await disable({ repo: dir, name: 'Certificate', delete: true, force: true });
    expect(await listFiles(dir)).not.toContain('ftc.yaml');
  });

  it('disables a built-in kind by writing a type config for it', async () => {
    const dir = await makeFleet({
      ...CLUSTERS, 'certs/ns.yaml': NAMESPACE,
      'cm.yaml': 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedConfigMap\nmetadata: {name: c, namespace: certs}\nspec:\n  template: {data: {a: b}}\n  placement: {clusterSelector: {}}\n',
    });
    expect(renderedOn(await renderDir(dir), 'eu', 'ConfigMap', 'c')).toBeDefined();
    expect(await disable({ repo: dir, name: 'configmaps' })).toMatchObject({ action: 'created', file: 'type-configs/configmaps.yaml' });
    expect(renderedOn(await renderDir(dir), 'eu', 'ConfigMap', 'c')).toBeUndefined();
    expect(renderedOn(await renderDir(dir), 'eu', 'Namespace', 'certs')).toBeDefined();
    expect((await errorOf(disable({ repo: dir, name: 'secrets', delete: true }))).code).toBe('TypeConfigNotFound');
  });

  it('fails for a type nobody configured', async () => {
    const dir = await makeFleet(CLUSTERS);
    expect((await errorOf(disable({ repo: dir, name: 'widgets.example.com' }))).code).toBe('TypeConfigNotFound');
  });
});
