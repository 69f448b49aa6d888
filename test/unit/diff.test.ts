import { describe, expect, it } from 'vitest';
import { diffOutputs, maskSecrets } from '../../src/render/diff.js';
import { formatDiff } from '../../src/format/diff.js';
import { reviewDiff } from '../../src/render/diff-review.js';
import { digestFiles } from '../../src/render/emit.js';
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

  it('reads the same with the emitter\'s digests as without: a cluster whose digest is unchanged has no change, and the presence counts still see it', () => {
    const base = out({ a: { 'clusters/a/shop/configmap-app.yaml': cm('info') }, b: { 'clusters/b/shop/configmap-app.yaml': cm('info') } });
    const head = out({ a: { 'clusters/a/shop/configmap-app.yaml': cm('debug') }, b: { 'clusters/b/shop/configmap-app.yaml': cm('info') } });
    const digested = (bs: BranchOutput[]) => bs.map((b) => ({ ...b, clusters: b.clusters.map((c) => ({ ...c, digest: digestFiles(c.files) })) }));
    const plain = diffOutputs(base, head, { base: 'x', head: 'y' });
    const quick = diffOutputs(digested(base), digested(head), { base: 'x', head: 'y' });
    expect(quick.clusters.map((c) => c.cluster)).toEqual(['a']);
    expect(formatDiff(quick, reviewDiff(quick), 'markdown')).toBe(formatDiff(plain, reviewDiff(plain), 'markdown'));
    expect([...quick.presence!]).toEqual([['shop/configmap-app.yaml', { before: 2, after: 2 }]]);
  });

  it('sees a cluster that joined', () => {
    const d = diffOutputs(out({}), out({ c: { 'clusters/c/shop/configmap-app.yaml': cm('info') } }), { base: 'x', head: 'y' });
    expect(d.clusters[0]).toMatchObject({ cluster: 'c', status: 'new', added: 1 });
  });

  it('reports no change as unchanged', () => {
    const same = out({ a: { 'clusters/a/x.yaml': cm('info') } });
    const d = diffOutputs(same, same, { base: 'x', head: 'y' });
    expect(d.changed).toBe(false);
    expect(formatDiff(d, reviewDiff(d), 'text')).toContain('No changes');
  });
});

describe('Secret masking', () => {
  it('never shows a Secret value, but shows which key changed', () => {
    const d = diffOutputs(out({ a: { 'clusters/a/shop/secret-db.yaml': secret('hunter2') } }), out({ a: { 'clusters/a/shop/secret-db.yaml': secret('s3cr3t') } }), { base: 'x', head: 'y' });
    const text = formatDiff(d, reviewDiff(d), 'text') + formatDiff(d, reviewDiff(d), 'markdown') + formatDiff(d, reviewDiff(d), 'json');
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
  it('has a summary, the changes by object with a sample diff per way, and the clusters', () => {
    const d = diffOutputs(out({ a: { 'clusters/a/x.yaml': cm('1') }, b: { 'clusters/b/x.yaml': cm('1') } }), out({ a: { 'clusters/a/x.yaml': cm('2') }, b: { 'clusters/b/x.yaml': cm('3') } }), { base: 'main', head: 'pr' });
    const md = formatDiff(d, reviewDiff(d), 'markdown');
    expect(md.indexOf('| Clusters touched | 2 of 2 |')).toBeLessThan(md.indexOf('#### By object'));
    expect(md).toContain('- `data.LEVEL`: `1` → `2` on a\n- `data.LEVEL`: `1` → `3` on b');
    expect(md).toContain('| Cluster | Added | Changed | Removed |');
    // Two ways to change the object, so two sample diffs, and the table of clusters.
    expect(md.match(/<details>/g)).toHaveLength(3);
    expect(md).toContain('```diff');
  });
});

describe('text', () => {
  it('shows the content of added and removed objects, as markdown does', () => {
    const d = diffOutputs(out({ a: { 'clusters/a/shop/configmap-old.yaml': cm('gone') } }), out({ a: { 'clusters/a/shop/configmap-app.yaml': cm('fresh') } }), { base: 'x', head: 'y' });
    const text = formatDiff(d, reviewDiff(d), 'text');
    expect(text).toContain('+ ConfigMap/shop/app (clusters/a/shop/configmap-app.yaml)\n--- /dev/null\n+++ b/clusters/a/shop/configmap-app.yaml');
    expect(text).toContain('+  LEVEL: fresh');
    expect(text).toContain('-  LEVEL: gone');
  });
});

/** Equal with keys in the same order at every level, and a key holding undefined apart from a missing one. */
function sameInOrder(a: unknown, b: unknown, at = ''): string | undefined {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return Object.is(a, b) ? undefined : `${at}: ${String(a)} != ${String(b)}`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${at}: list and mapping`;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.join('\0') !== kb.join('\0')) return `${at}: keys ${ka.join(',')} != ${kb.join(',')}`;
  for (const k of ka) {
    const d = sameInOrder((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
    if (d) return d;
  }
  return undefined;
}

describe('the objects a render on this thread leaves to its diff', () => {
  // The diff reads these instead of parsing their texts: each must be what the parse would give.
  const fleets: [string, () => Promise<ReadonlyMap<string, string>>][] = [
    ['the example fleet', async () => (await import('../../src/workspace/source.js')).readWorkingTree(new URL('../../examples/fleet-repo/', import.meta.url).pathname)],
    ...(['shared', 'distinct'] as const).map((shape): [string, () => Promise<ReadonlyMap<string, string>>] => [
      `the ${shape} benchmark fleet`,
      async () => {
        const { buildModel, fleetFiles } = await import('../../bench/render/fleet.js');
        return fleetFiles(buildModel({ clusters: 12, objects: 120, seed: 3, shape }));
      },
    ]),
  ];
  for (const [name, files] of fleets) {
    it(`read back from their texts as themselves, keys in order: ${name}`, async () => {
      const { renderFleet } = await import('../../src/render/render.js');
      const { objectsOf } = await import('../../src/render/emit.js');
      const { memoParse } = await import('../../src/render/diff.js');
      const parse = memoParse();
      const r = renderFleet(await files());
      let checked = 0;
      for (const b of r.branches) {
        for (const c of b.clusters) {
          const known = objectsOf(c.files);
          expect(known, c.cluster).toBeDefined();
          for (const [path, obj] of known!) {
            expect(sameInOrder(parse(c.files.get(path)!), obj), path).toBeUndefined();
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(r.rendered.length * 0.9);
    });
  }
});
