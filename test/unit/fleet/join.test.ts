import { writeFile } from 'node:fs/promises';
import { join as pathJoin } from 'node:path';
import { describe, expect, it } from 'vitest';
import { join, majorityKind } from '../../../src/fleet/join.js';
import { unjoin } from '../../../src/fleet/unjoin.js';
import { CLUSTERS, errorOf, listFiles, makeFleet, read, renderDir } from './fixtures.js';

describe('gitfed join', () => {
  it('writes clusters/NAME.yaml that the inventory reads with labels, region, zones, provider and context', async () => {
    const dir = await makeFleet(CLUSTERS);
    const r = await join({ repo: dir, name: 'ap-1', kind: 'karmada', labels: { region: 'ap', tier: 'gold' }, region: 'ap-south-1', zones: ['a', 'b'], provider: 'aws', context: 'admin@ap-1' });
    expect(r).toMatchObject({ file: 'clusters/ap-1.yaml', action: 'created', kind: 'karmada' });
    const cluster = (await renderDir(dir)).clusters.find((c) => c.name === 'ap-1');
    expect(cluster).toMatchObject({ labels: { region: 'ap', tier: 'gold' }, region: 'ap-south-1', zones: ['a', 'b'], provider: 'aws', context: 'admin@ap-1', pos: { file: 'clusters/ap-1.yaml', line: 1 } });
  });

  it('puts a KubeFedCluster region and zones where upstream keeps them, and the inventory still reads them', async () => {
    const dir = await makeFleet(CLUSTERS);
    await join({ repo: dir, name: 'dc-2', kind: 'kubefed', labels: { location: 'onprem' }, region: 'dc', zones: ['z1'] });
    const text = await read(dir, 'clusters/dc-2.yaml');
    expect(text).toContain('kind: KubeFedCluster');
    expect(text).toMatch(/status:\n {2}region: dc\n {2}zones:\n {4}- z1/);
    expect(text).not.toContain('gitfed.io/context');
    expect((await renderDir(dir)).clusters.find((c) => c.name === 'dc-2')).toMatchObject({ region: 'dc', zones: ['z1'], labels: { location: 'onprem' } });
  });

  it('takes the kind most of the fleet uses when --kind is not given', () => {
    expect(majorityKind([])).toBe('kubefed');
    expect(majorityKind(['karmada', 'kubefed'])).toBe('kubefed');
    expect(majorityKind(['karmada', 'karmada', 'kubefed'])).toBe('karmada');
  });

  it('refuses a cluster that exists, naming its file and line, and replaces it in place with force', async () => {
    const dir = await makeFleet({ 'inventory.yaml': `a: 1\n---\n${CLUSTERS['clusters/us.yaml']}---\n# keep me\nb: 2\n` });
    const err = await errorOf(join({ repo: dir, name: 'us' }));
    expect(err).toMatchObject({ code: 'ClusterExists', file: 'inventory.yaml', line: 3, object: 'KubeFedCluster/us' });
    await join({ repo: dir, name: 'us', kind: 'karmada', labels: { region: 'us2' }, force: true });
    const text = await read(dir, 'inventory.yaml');
    expect(text.startsWith('a: 1\n---\napiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\n')).toBe(true);
    expect(text.endsWith('---\n# keep me\nb: 2\n')).toBe(true);
    expect(text).toContain('region: us2');
  });

  it('checks the context in a kubeconfig and names the file when it is missing', async () => {
    const dir = await makeFleet(CLUSTERS);
    const kubeconfig = pathJoin(await makeFleet({}), 'members.yaml');
    await writeFile(kubeconfig, 'apiVersion: v1\nkind: Config\ncontexts:\n- name: ap-1\n  context: {cluster: x, user: y}\n');
    const err = await errorOf(join({ repo: dir, name: 'ap-2', kubeconfig }));
    expect(err).toMatchObject({ code: 'ContextNotFound', file: kubeconfig });
    expect(err.message).toContain('ap-1');
    await join({ repo: dir, name: 'ap-1', kubeconfig });
    expect(await listFiles(dir)).toEqual(['clusters/ap-1.yaml', 'clusters/eu.yaml', 'clusters/us.yaml']);
  });

  it('rejects names that cannot be a directory or a context', async () => {
    const dir = await makeFleet(CLUSTERS);
    expect(await errorOf(join({ repo: dir, name: 'Bad_Name' }))).toMatchObject({ code: 'InvalidName' });
  });
});

describe('gitfed unjoin', () => {
  it('deletes a file that held only the cluster', async () => {
    const dir = await makeFleet(CLUSTERS);
    const r = await unjoin({ repo: dir, name: 'eu' });
    expect(r.removed).toEqual([{ file: 'clusters/eu.yaml', line: 2, action: 'file-deleted' }]);
    expect(await listFiles(dir)).toEqual(['clusters/us.yaml']);
    expect((await renderDir(dir)).clusters.map((c) => c.name)).toEqual(['us']);
  });

  it('removes one document from a shared file and keeps the others byte for byte', async () => {
    const first = '# fleet inventory\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: default}   # odd   spacing\n';
    const last = '---\n# trailing\napiVersion: v1\nkind: ConfigMap\nmetadata:\n    name: b\n    namespace: default\n';
    const dir = await makeFleet({ 'all.yaml': `${first}---\n${CLUSTERS['clusters/us.yaml']}${last}` });
    await unjoin({ repo: dir, name: 'us' });
    expect(await read(dir, 'all.yaml')).toBe(first + last);
  });

  it('cuts a cluster out of a kind: List', async () => {
    const dir = await makeFleet({ 'list.yaml': 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: cluster.karmada.io/v1alpha1\n    kind: Cluster\n    metadata: {name: a}\n  - apiVersion: cluster.karmada.io/v1alpha1\n    kind: Cluster\n    metadata: {name: b}\n' });
    await unjoin({ repo: dir, name: 'a' });
    expect((await renderDir(dir)).clusters.map((c) => c.name)).toEqual(['b']);
  });

  it('lists objects and policies that name the cluster, with file and line', async () => {
    const dir = await makeFleet({
      ...CLUSTERS,
      'app.yaml': `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata: {name: c, namespace: "n"}
spec:
  placement:
    clusters:
      - name: eu
      - name: us
  overrides:
    - clusterName: eu
      clusterOverrides: []
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: p, namespace: "n"}
spec:
  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]
  placement:
    clusterAffinity:
      clusterNames: [us, eu]
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedSecret
metadata: {name: s, namespace: "n"}
spec:
  placement:
    clusterSelector: {matchLabels: {region: eu}}
`,
    });
    const r = await unjoin({ repo: dir, name: 'eu' });
    expect(r.references).toEqual([
      { file: 'app.yaml', line: 7, object: 'FederatedConfigMap/n/c', field: 'spec.placement.clusters[0].name' },
      { file: 'app.yaml', line: 10, object: 'FederatedConfigMap/n/c', field: 'spec.overrides[0].clusterName' },
      { file: 'app.yaml', line: 20, object: 'PropagationPolicy/n/p', field: 'spec.placement.clusterAffinity.clusterNames[1]' },
    ]);
  });

  it('fails for a cluster that is not there', async () => {
    const dir = await makeFleet(CLUSTERS);
    expect(await errorOf(unjoin({ repo: dir, name: 'nope' }))).toMatchObject({ code: 'ClusterNotFound' });
  });
});
