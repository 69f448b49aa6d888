import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { federate, federateText, typeLookup } from '../../../src/fleet/federate.js';
import { loadFile, KUBE_YAML_SCHEMA } from '../../../src/render/load.js';
import { CLUSTERS, errorOf, listFiles, makeFleet, read, renderDir, renderedOn } from './fixtures.js';

const PLAIN = `# the shop's namespace
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    team: web
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  annotations:
    owner: web-team
spec:
  replicas: 3   # three is enough
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: shop/web:1.0
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  LOG_LEVEL: info
  started: 2024-01-01
---
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
`;

function objects(text: string): Record<string, unknown>[] {
  return loadFile('x.yaml', text).objects.map((o) => o.obj);
}

describe('gitfed federate', () => {
  it('round-trips: rendering the federated form gives back every object on every cluster', async () => {
    const dir = await makeFleet(CLUSTERS);
    const file = join(dir, 'apps/shop.yaml');
    await makeFleetFile(file, PLAIN);
    const r = await federate({ repo: dir, files: [file], inPlace: true });
    expect(r.files[0]!.objects.map((o) => `${o.from} -> ${o.to} (line ${o.line})`)).toEqual([
      'Namespace/shop -> FederatedNamespace/shop/shop (line 2)',
      'Deployment/shop/web -> FederatedDeployment/shop/web (line 9)',
      'ConfigMap/shop/settings -> FederatedConfigMap/shop/settings (line 28)',
      'HorizontalPodAutoscaler/shop/web -> FederatedHorizontalPodAutoscaler/shop/web (line 37)',
    ]);
    const result = await renderDir(dir);
    for (const want of objects(PLAIN)) {
      for (const cluster of ['eu', 'us']) {
        const meta = want.metadata as { name: string };
        expect(renderedOn(result, cluster, want.kind as string, meta.name)).toEqual(want);
      }
    }
    const text = await read(dir, 'apps/shop.yaml');
    expect(text).toContain('# the shop\'s namespace\napiVersion: types.kubefed.io/v1beta1\nkind: FederatedNamespace\n');
    expect(text).toContain('replicas: 3 # three is enough');
    expect(text).toContain('started: 2024-01-01');
  });

  it('places by cluster list or by label selector, and the render agrees', async () => {
    const dir = await makeFleet(CLUSTERS);
    const types = typeLookup({ objects: [] });
    const byList = federateText('a.yaml', PLAIN, { types, placement: { clusters: ['us'] } }).text;
    const bySelector = federateText('a.yaml', PLAIN, { types, placement: { matchLabels: { region: 'eu' } } }).text;
    expect(jsyaml.load(byList.split('---\n')[0]!)).toMatchObject({ spec: { placement: { clusters: [{ name: 'us' }] } } });
    expect(jsyaml.load(bySelector.split('---\n')[0]!)).toMatchObject({ spec: { placement: { clusterSelector: { matchLabels: { region: 'eu' } } } } });
    await makeFleetFile(join(dir, 'list.yaml'), byList);
    const result = await renderDir(dir);
    expect(renderedOn(result, 'us', 'Deployment', 'web')).toBeDefined();
    expect(renderedOn(result, 'eu', 'Deployment', 'web')).toBeUndefined();
  });

  it('drops what a server added to an exported object, and keeps what a person wrote', () => {
    const live = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  uid: 0b7c6d4e-1111-2222-3333-444455556666
  resourceVersion: "4711"
  creationTimestamp: "2024-05-01T10:00:00Z"
  managedFields: [{manager: kubectl, operation: Apply}]
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"x":1}'
spec:
  type: NodePort
  clusterIP: 10.96.0.12
  clusterIPs: [10.96.0.12]
  selector: {app: web}
  ports:
    - {port: 80, targetPort: 8080, nodePort: 31234}
status:
  loadBalancer: {}
`;
    const types = typeLookup({ objects: [] });
    const [fed] = objects(federateText('svc.yaml', live, { types, placement: 'all' }).text);
    expect(fed).toEqual({
      apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedService', metadata: { name: 'web', namespace: 'shop' },
      spec: { template: { spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } }, placement: { clusterSelector: {} } },
    });
    const written = live.replace(/ {2}(uid|resourceVersion|creationTimestamp|managedFields).*\n/g, '');
    const [kept] = objects(federateText('svc.yaml', written, { types, placement: 'all' }).text);
    expect((kept as { spec: { template: { spec: { ports: unknown } } } }).spec.template.spec.ports).toEqual([{ port: 80, targetPort: 8080, nodePort: 31234 }]);
  });

  it('keeps federated documents, policies and inventory as written, byte for byte', () => {
    const text = `${CLUSTERS['clusters/us.yaml']}---\n# a policy\napiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: p,   namespace: x}\nspec: {}\n`;
    const r = federateText('k.yaml', text, { types: typeLookup({ objects: [] }), placement: 'all' });
    expect(r.text).toBe(text);
    expect(r.objects).toEqual([]);
  });

  it('federates each item of a kind: List into its own document', () => {
    const list = 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: a, namespace: "n"}\n  - apiVersion: v1\n    kind: Secret\n    metadata: {name: b, namespace: "n"}\n';
    const r = federateText('l.yaml', list, { types: typeLookup({ objects: [] }), placement: 'all' });
    expect(objects(r.text).map((o) => o.kind)).toEqual(['FederatedConfigMap', 'FederatedSecret']);
    expect(r.objects.map((o) => o.line)).toEqual([4, 7]);
  });

  it('federates a custom resource once its type is enabled, and names the file and line before', async () => {
    const cr = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: "n"}\n---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: web, namespace: "n"}\nspec: {secretName: tls}\n';
    expect(await errorOf(Promise.resolve().then(() => federateText('c.yaml', cr, { types: typeLookup({ objects: [] }), placement: 'all' })))).toMatchObject({ code: 'UnknownType', file: 'c.yaml', line: 5 });
    const ftc = loadFile('ftc.yaml', 'apiVersion: core.kubefed.io/v1beta1\nkind: FederatedTypeConfig\nmetadata: {name: certificates.cert-manager.io}\nspec:\n  targetType: {version: v1, kind: Certificate, scope: Namespaced}\n').objects;
    const r = federateText('c.yaml', cr, { types: typeLookup({ objects: ftc }), placement: 'all' });
    expect(objects(r.text)[1]).toMatchObject({ apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedCertificate', spec: { template: { spec: { secretName: 'tls' } } } });
  });

  it('asks for a namespace where the object has none, and --namespace supplies it', () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata: {k: v}\n';
    const types = typeLookup({ objects: [] });
    expect(() => federateText('cm.yaml', cm, { types, placement: 'all' })).toThrow(expect.objectContaining({ code: 'MissingNamespace', file: 'cm.yaml', line: 1 }));
    expect(objects(federateText('cm.yaml', cm, { types, placement: 'all', namespace: 'tools' }).text)[0]).toMatchObject({ metadata: { name: 'a', namespace: 'tools' }, spec: { template: { data: { k: 'v' } } } });
  });

  it('writes into --out by file name and leaves every file as it was when one document fails', async () => {
    const dir = await makeFleet(CLUSTERS);
    const src = await makeFleet({ 'a/app.yaml': PLAIN, 'b/bad.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n' });
    const out = join(dir, 'federated');
    const err = await errorOf(federate({ repo: dir, files: [join(src, 'a/app.yaml'), join(src, 'b/bad.yaml')], out }));
    expect(err).toMatchObject({ code: 'UnknownType', line: 1 });
    expect(await listFiles(dir)).toEqual(['clusters/eu.yaml', 'clusters/us.yaml']);
    const r = await federate({ repo: dir, files: [join(src, 'a/app.yaml')], out });
    expect(r.files[0]!.written).toBe(join(out, 'app.yaml'));
    expect(await read(src, 'a/app.yaml')).toBe(PLAIN);
    expect(renderedOn(await renderDir(dir), 'eu', 'Deployment', 'web')).toBeDefined();
  });

  it('warns about cluster names the inventory does not have', async () => {
    const dir = await makeFleet({ ...CLUSTERS, 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: "n"}\n' });
    const r = await federate({ repo: dir, files: [join(dir, 'cm.yaml')], placement: { clusters: ['us', 'mars'] } });
    expect(r.warnings.map((w) => w.cluster)).toEqual(['mars']);
    expect(jsyaml.load(r.files[0]!.text, { schema: KUBE_YAML_SCHEMA })).toMatchObject({ kind: 'FederatedConfigMap' });
  });
});

async function makeFleetFile(path: string, text: string): Promise<void> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}
