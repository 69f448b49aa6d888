import { describe, expect, it } from 'vitest';
import { RenderErrors } from '../../../src/errors.js';
import { renderFleet } from '../../../src/render/render.js';
import { parseDependsOn, refMatchesKey } from '../../../src/rollout/depends-on.js';

const CLUSTERS = ['a', 'b'].map((n) => `apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata: {name: ${n}}\n`).join('---\n');
const policy = (name: string, kind: string, cluster: string, object?: string) =>
  `apiVersion: policy.karmada.io/v1alpha1\nkind: ClusterPropagationPolicy\nmetadata: {name: ${name}}\nspec:\n  resourceSelectors: [{apiVersion: v1, kind: ${kind}${object ? `, name: ${object}` : ''}}]\n  placement: {clusterAffinity: {clusterNames: [${cluster}]}}\n`;
const configMap = (name: string, dependsOn?: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: shop\n${dependsOn ? `  annotations:\n    gitfed.io/depends-on: "${dependsOn}"\n` : ''}data: {a: b}\n`;

function fleet(appDependsOn: string, dbDependsOn?: string): Map<string, string> {
  return new Map(Object.entries({
    'clusters.yaml': CLUSTERS,
    'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n',
    'policies.yaml': [policy('ns', 'Namespace', 'a, b'), policy('db', 'ConfigMap', 'a', 'db'), policy('app', 'ConfigMap', 'b', 'app')].join('---\n'),
    'db.yaml': configMap('db', dbDependsOn),
    'app.yaml': `# the app\n${configMap('app', appDependsOn)}`,
  }));
}

function errorsOf(files: Map<string, string>): { code: string; file?: string; line?: number; cluster?: string; message: string }[] {
  try {
    renderFleet(files);
  } catch (e) {
    if (e instanceof RenderErrors) return e.errors.map((x) => ({ code: x.code, file: x.file, line: x.line, cluster: x.cluster, message: x.message }));
    throw e;
  }
  throw new Error('render succeeded');
}

describe('gitfed.io/depends-on', () => {
  it('reads cluster/Kind[.group]/namespace/name and cluster-scoped references', () => {
    expect(parseDependsOn('db-eu/StatefulSet.apps/data/pg, a/Namespace/shop')).toEqual({
      refs: [
        { cluster: 'db-eu', kind: 'StatefulSet', group: 'apps', namespace: 'data', name: 'pg' },
        { cluster: 'a', kind: 'Namespace', namespace: '', name: 'shop' },
      ],
    });
    expect(parseDependsOn('a/ConfigMap').problem).toContain('"a/ConfigMap" is not cluster/Kind');
    const [pg, shop] = parseDependsOn('db-eu/StatefulSet.apps/data/pg, a/Namespace/shop').refs as [never, never];
    expect(refMatchesKey(pg, 'apps/StatefulSet/data/pg')).toBe(true);
    expect(refMatchesKey(pg, 'other.io/StatefulSet/data/pg')).toBe(false);
    expect(refMatchesKey(pg, 'apps/StatefulSet/data/other')).toBe(false);
    expect(refMatchesKey(shop, '/Namespace//shop')).toBe(true);
  });

  it('renders when every reference names an object rendered for its cluster, and keeps the annotation', () => {
    const r = renderFleet(fleet('a/ConfigMap/shop/db'));
    const app = r.rendered.find((o) => o.obj.metadata.name === 'app')!;
    expect(app.cluster).toBe('b');
    expect(app.obj.metadata.annotations?.['gitfed.io/depends-on']).toBe('a/ConfigMap/shop/db');
  });

  it('is an error naming file and line when a reference names nothing', () => {
    // db is on a, not on b; and no Secret db exists anywhere.
    expect(errorsOf(fleet('b/ConfigMap/shop/db, a/Secret/shop/db'))).toEqual([
      { code: 'DependencyNotFound', file: 'app.yaml', line: 2, cluster: 'b', message: 'depends on b/ConfigMap/shop/db, which is not rendered for cluster b' },
      { code: 'DependencyNotFound', file: 'app.yaml', line: 2, cluster: 'b', message: 'depends on a/Secret/shop/db, which is not rendered for cluster a' },
    ]);
  });

  it('matches the group when one is given', () => {
    expect(errorsOf(fleet('a/ConfigMap.apps/shop/db')).map((e) => e.code)).toEqual(['DependencyNotFound']);
    expect(() => renderFleet(fleet('a/ConfigMap/shop/db'))).not.toThrow();
  });

  it('is an error naming the cycle across clusters', () => {
    expect(errorsOf(fleet('a/ConfigMap/shop/db', 'b/ConfigMap/shop/app'))).toEqual([
      { code: 'DependencyCycle', file: 'db.yaml', line: 1, cluster: 'a', message: 'depends-on cycle: a/ConfigMap/shop/db -> b/ConfigMap/shop/app -> a/ConfigMap/shop/db' },
    ]);
  });

  it('is an error when the annotation is malformed', () => {
    expect(errorsOf(fleet('a/ConfigMap//db')).map((e) => [e.code, e.file, e.line])).toEqual([['DependencyInvalid', 'app.yaml', 2]]);
  });
});
