import { describe, expect, it } from 'vitest';
import { RenderErrors } from '../../src/errors.js';
import { renderFleet } from '../../src/render/render.js';

const clusters = `apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: a, labels: {env: prod}}
---
apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: b}
`;

function fleet(files: Record<string, string>): Map<string, string> {
  return new Map(Object.entries({ 'clusters.yaml': clusters, ...files }));
}

function errorsOf(files: Map<string, string>): RenderErrors {
  try {
    renderFleet(files);
  } catch (e) {
    if (e instanceof RenderErrors) return e;
    throw e;
  }
  throw new Error('render succeeded');
}

const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`;
const cm = (name: string, namespace: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: ${namespace}}\ndata: {a: b}\n`;
const cpp = `apiVersion: policy.karmada.io/v1alpha1
kind: ClusterPropagationPolicy
metadata: {name: all}
spec:
  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]
  placement: {clusterAffinity: {clusterNames: [a, b]}}
`;

describe('renderFleet', () => {
  it('reports every error at once, each with file and line', () => {
    const e = errorsOf(fleet({ 'x.yaml': 'apiVersion: v1\nkind: [\n', 'y.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n' }));
    expect(e.errors.map((x) => [x.code, x.file, x.line])).toEqual([['YAMLSyntax', 'x.yaml', 2], ['Schema', 'y.yaml', 3]]);
  });

  it('refuses two documents with one identity, naming both places', () => {
    const e = errorsOf(fleet({ 'ns.yaml': ns('shop'), 'p.yaml': cpp, 'one.yaml': cm('app', 'shop'), 'two.yaml': '# again\n' + cm('app', 'shop') }));
    const dup = e.errors.find((x) => x.code === 'DuplicateObject')!;
    expect(dup.file).toBe('two.yaml');
    expect(dup.line).toBe(2);
    expect(dup.message).toContain('one.yaml:1');
  });

  it('requires a namespaced object to find its Namespace in the same cluster directory', () => {
    const e = errorsOf(fleet({ 'p.yaml': cpp, 'cm.yaml': cm('app', 'shop') }));
    expect(e.errors.map((x) => [x.code, x.cluster])).toEqual([['NamespaceMissing', 'a'], ['NamespaceMissing', 'b']]);
    expect(e.errors[0]!.format()).toContain('cm.yaml:1: ConfigMap/shop/app (cluster a)');
  });

  it('lets an object in default through without a Namespace', () => {
    const r = renderFleet(fleet({ 'p.yaml': cpp, 'cm.yaml': cm('app', 'default') }));
    expect(r.rendered.map((x) => x.cluster).sort()).toEqual(['a', 'b']);
  });

  it('refuses the same object produced by both engines for one cluster', () => {
    const fcm = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata: {name: app, namespace: shop}
spec: {template: {data: {a: c}}, placement: {clusters: [{name: a}]}}
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: shop, namespace: shop}
spec: {placement: {clusterSelector: {}}}
`;
    const e = errorsOf(fleet({ 'kf.yaml': fcm, 'p.yaml': cpp, 'cm.yaml': cm('app', 'shop') }));
    expect(e.errors.some((x) => x.code === 'DuplicateObject' && x.cluster === 'a')).toBe(true);
  });

  it('honours gitfed.yaml excludes and outputs', () => {
    const config = `outputs:\n- branch: fleet/{cluster}\n  dir: manifests/{cluster}\n  clusterSelector: {matchLabels: {env: prod}}\nexclude: ["drafts/**"]\n`;
    const r = renderFleet(fleet({ 'gitfed.yaml': config, 'p.yaml': cpp, 'cm.yaml': cm('app', 'default'), 'drafts/bad.yaml': 'not: [valid' }));
    expect(r.branches.map((b) => [b.branch, b.clusters.map((c) => c.dir)])).toEqual([['fleet/a', ['manifests/a']]]);
  });

  it('rejects an unknown gitfed.yaml field with its line', () => {
    expect(() => renderFleet(fleet({ 'gitfed.yaml': 'exclude: []\noutptus: []\n' }))).toThrow(/outptus/);
  });
});

describe('kubeconfig context of a member', () => {
  it('travels from the inventory annotation to the branch metadata, and never a credential', async () => {
    const { branchFiles } = await import('../../src/git/metadata.js');
    const inv = `apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: a\n  annotations: {gitfed.io/context: prod-a}\n`;
    const r = renderFleet(new Map([['c.yaml', inv]]));
    const meta = JSON.parse(branchFiles(r.branches[0]!, { repo: '.', commit: 'x' }, 't').get('gitfed.metadata')!);
    expect(meta.clusters[0]).toMatchObject({ name: 'a', context: 'prod-a' });
  });
});

describe('excludes', () => {
  it('a bare directory name excludes everything below it, however the files were read', async () => {
    const { isExcluded } = await import('../../src/render/fleet-paths.js');
    expect(isExcluded('docs/example.yaml', ['docs'])).toBe(true);
    expect(isExcluded('a/testdata/b/x.yaml', ['**/testdata'])).toBe(true);
    expect(isExcluded('documents/x.yaml', ['docs'])).toBe(false);
    const r = renderFleet(fleet({ 'gitfed.yaml': 'exclude: [docs]\n', 'docs/bad.yaml': 'not: [valid', 'p.yaml': cpp, 'cm.yaml': cm('app', 'default') }));
    expect(r.rendered).toHaveLength(2);
  });
});

describe('output directory templates', () => {
  it('normalises ./ and refuses empty, . and .. segments, naming gitfed.yaml and the line', () => {
    const ok = renderFleet(fleet({ 'gitfed.yaml': 'outputs:\n- dir: ./out/{cluster}/\n', 'p.yaml': cpp, 'cm.yaml': cm('app', 'default') }));
    expect(ok.branches[0]!.clusters.map((c) => c.dir)).toEqual(['out/a', 'out/b']);
    for (const dir of ['clusters//{cluster}', 'a/./{cluster}', '../{cluster}']) {
      try {
        renderFleet(fleet({ 'gitfed.yaml': `outputs:\n- branch: rendered\n  dir: ${dir}\n` }));
        throw new Error(`accepted ${dir}`);
      } catch (e) {
        expect((e as RenderErrors).file ?? (e as { file?: string }).file).toBe('gitfed.yaml');
        expect((e as { line?: number }).line).toBe(3);
      }
    }
  });

  it('keeps keys named like Object builtins', () => {
    // Under data, where any key is allowed (at the top, constructor would be an unknown field).
    const odd = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: odd, namespace: default}\ndata: {a: b, constructor: kept, __proto__: kept}\n';
    const r = renderFleet(fleet({ 'p.yaml': cpp, 'cm.yaml': odd }));
    const file = [...r.branches[0]!.clusters[0]!.files.values()][0]!;
    expect(file).toContain('constructor: kept');
    expect(file).toContain('__proto__: kept');
  });
});

describe('YamlCache', () => {
  it('never serves the text of a null value for an infinite one', async () => {
    const { YamlCache } = await import('../../src/render/emit.js');
    const cache = new YamlCache();
    const obj = (v: unknown) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, v });
    expect(cache.yaml(obj(null))).toContain('v: null');
    expect(cache.yaml(obj(Infinity))).toContain('v: .inf');
  });
});
