import { describe, expect, it } from 'vitest';
import { diffOutputs, maskSecrets } from '../../src/render/diff.js';
import { formatDiff } from '../../src/format/diff.js';
import type { BranchOutput } from '../../src/render/types.js';

const cm = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: shop\ndata:\n  LEVEL: ${v}\n`;
const secret = (v: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\nstringData:\n  password: ${v}\n  user: admin\n`;

function out(clusters: Record<string, Record<string, string>>): BranchOutput[] {
  return [{
    branch: 'rendered',
    clusters: Object.entries(clusters).map(([cluster, files]) => ({ cluster, dir: `clusters/${cluster}`, files: new Map(Object.entries(files)), objects: Object.keys(files).length, digest: '' })),
  }];
}

describe('diffOutputs', () => {
  it('reports added, changed and removed objects per cluster, and nothing for unchanged clusters', () => {
    const base = out({ a: { 'clusters/a/shop/configmap-app.yaml': cm('info'), 'clusters/a/shop/configmap-old.yaml': cm('x') }, b: { 'clusters/b/shop/configmap-app.yaml': cm('info') } });
    const head = out({ a: { 'clusters/a/shop/configmap-app.yaml': cm('debug'), 'clusters/a/shop/configmap-new.yaml': cm('y') }, b: { 'clusters/b/shop/configmap-app.yaml': cm('info') } });
    const d = diffOutputs(base, head, { base: 'HEAD', head: 'working tree' });
    expect(d.changed).toBe(true);
    expect(d.clusters.map((c) => [c.cluster, c.added, c.changed, c.removed])).toEqual([['a', 1, 1, 1]]);
    const changed = d.clusters[0]!.changes.find((c) => c.action === 'changed')!;
    expect(changed.diff).toContain('-  LEVEL: info');
    expect(changed.diff).toContain('+  LEVEL: debug');
    expect(changed.object).toBe('ConfigMap/shop/app');
  });

  it('sees a cluster that joined', () => {
    const d = diffOutputs(out({}), out({ c: { 'clusters/c/shop/configmap-app.yaml': cm('info') } }), { base: 'x', head: 'y' });
    expect(d.clusters[0]).toMatchObject({ cluster: 'c', status: 'new', added: 1 });
    // The shared table printer; what happened to the cluster goes with its name, in either format.
    expect(formatDiff(d, 'text')).toContain('CLUSTER          ADDED  CHANGED  REMOVED\nc (new cluster)      1        0        0\n');
    expect(formatDiff(d, 'markdown')).toContain('| Cluster | Added | Changed | Removed |\n|---|---:|---:|---:|\n| c (new cluster) | 1 | 0 | 0 |');
  });

  it('reports no change as unchanged', () => {
    const same = out({ a: { 'clusters/a/x.yaml': cm('info') } });
    const d = diffOutputs(same, same, { base: 'x', head: 'y' });
    expect(d.changed).toBe(false);
    expect(formatDiff(d, 'text')).toContain('No changes');
  });
});

describe('Secret masking', () => {
  it('never shows a Secret value, but shows which key changed', () => {
    const d = diffOutputs(out({ a: { 'clusters/a/shop/secret-db.yaml': secret('hunter2') } }), out({ a: { 'clusters/a/shop/secret-db.yaml': secret('s3cr3t') } }), { base: 'x', head: 'y' });
    const text = formatDiff(d, 'text') + formatDiff(d, 'markdown') + formatDiff(d, 'json');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('s3cr3t');
    expect(d.clusters[0]!.changes[0]!.diff).toMatch(/-\s+password: .*old value/);
    expect(d.clusters[0]!.changes[0]!.diff).not.toMatch(/[-+]\s+user:/);
  });

  it('masks a Secret that is only added', () => {
    const [, after] = maskSecrets(undefined, secret('topsecret'));
    expect(after).not.toContain('topsecret');
  });
});

describe('markdown', () => {
  it('has a summary table and one collapsible section per cluster', () => {
    const d = diffOutputs(out({ a: { 'clusters/a/x.yaml': cm('1') }, b: { 'clusters/b/x.yaml': cm('1') } }), out({ a: { 'clusters/a/x.yaml': cm('2') }, b: { 'clusters/b/x.yaml': cm('3') } }), { base: 'main', head: 'pr' });
    const md = formatDiff(d, 'markdown');
    expect(md).toContain('| Cluster | Added | Changed | Removed |');
    expect(md.match(/<details>/g)).toHaveLength(2);
    expect(md).toContain('```diff');
  });
});
