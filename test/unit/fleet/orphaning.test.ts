import { describe, expect, it } from 'vitest';
import { orphaning, parseQuery } from '../../../src/fleet/orphaning.js';
import { CLUSTERS, errorOf, makeFleet, read, renderDir, renderedOn } from './fixtures.js';

const FEDERATED = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: shop, namespace: shop}
spec:
  placement: {clusterSelector: {}}
---
# the shop's settings
apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: settings
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: shop     # owned by the shop team
    data:
      LOG_LEVEL: info
  placement:
    clusterSelector: {}
`;

const KARMADA = `apiVersion: v1
kind: ConfigMap
metadata:
  name: legacy
  namespace: shop
data: {a: b}
`;

describe('gitfed orphaning-deletion', () => {
  it('adds the annotation to the template, which render carries to every member, and removes it again byte for byte', async () => {
    const dir = await makeFleet({ ...CLUSTERS, 'shop.yaml': FEDERATED });
    const on = await orphaning({ repo: dir, object: 'configmap/shop/settings', action: 'enable' });
    expect(on).toMatchObject({ object: 'FederatedConfigMap/shop/settings', file: 'shop.yaml', line: 8, status: 'Enabled', changed: true, style: 'kubefed' });
    expect(await read(dir, 'shop.yaml')).toBe(FEDERATED.replace('        app: shop     # owned by the shop team\n', '        app: shop     # owned by the shop team\n      annotations:\n        kubefed.io/orphan: "true"\n'));
    for (const cluster of ['eu', 'us']) {
      expect(renderedOn(await renderDir(dir), cluster, 'ConfigMap', 'settings')?.metadata.annotations).toEqual({ 'kubefed.io/orphan': 'true' });
    }
    expect((await orphaning({ repo: dir, object: 'FederatedConfigMap/shop/settings', action: 'enable' })).changed).toBe(false);
    expect((await orphaning({ repo: dir, object: 'configmap/shop/settings', action: 'status' })).status).toBe('Enabled');
    await orphaning({ repo: dir, object: 'configmap/shop/settings', action: 'disable' });
    expect(await read(dir, 'shop.yaml')).toBe(FEDERATED);
    expect((await orphaning({ repo: dir, object: 'configmap/shop/settings', action: 'status' })).status).toBe('Disabled');
  });

  it('creates template metadata where there is none, and takes it away again', async () => {
    const dir = await makeFleet({ ...CLUSTERS, 'shop.yaml': FEDERATED });
    await orphaning({ repo: dir, object: 'namespace/shop', action: 'enable' });
    expect(renderedOn(await renderDir(dir), 'eu', 'Namespace', 'shop')?.metadata.annotations).toEqual({ 'kubefed.io/orphan': 'true' });
    await orphaning({ repo: dir, object: 'namespace/shop', action: 'disable' });
    expect(renderedOn(await renderDir(dir), 'eu', 'Namespace', 'shop')).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  });

  it('annotates a Karmada-style template on its own metadata', async () => {
    const dir = await makeFleet({ ...CLUSTERS, 'legacy.yaml': KARMADA });
    const r = await orphaning({ repo: dir, object: 'ConfigMap/shop/legacy', action: 'enable' });
    expect(r).toMatchObject({ style: 'karmada', status: 'Enabled' });
    expect(await read(dir, 'legacy.yaml')).toBe(KARMADA.replace('  namespace: shop\n', '  namespace: shop\n  annotations:\n    kubefed.io/orphan: "true"\n'));
  });

  it('reports an annotation left in upstream\'s place, where no member sees it', async () => {
    const dir = await makeFleet({ ...CLUSTERS, 'shop.yaml': FEDERATED.replace('  namespace: shop\nspec:\n  template:', '  namespace: shop\n  annotations: {kubefed.io/orphan: "true"}\nspec:\n  template:') });
    expect(await orphaning({ repo: dir, object: 'configmap/shop/settings', action: 'status' })).toMatchObject({ status: 'Disabled', onFederatedObject: true });
  });

  it('fails for objects that are not there and for malformed names', async () => {
    const dir = await makeFleet({ ...CLUSTERS, 'shop.yaml': FEDERATED });
    expect((await errorOf(orphaning({ repo: dir, object: 'configmap/shop/nope', action: 'enable' }))).code).toBe('NotFound');
    expect(() => parseQuery('configmap')).toThrow(expect.objectContaining({ code: 'InvalidArgument' }));
    expect(parseQuery('Deployment/shop/web')).toEqual({ kind: 'Deployment', namespace: 'shop', name: 'web' });
  });
});
