/**
 * A render that takes the clusters' copies kept from an earlier render (CopyMemo: a diff's head
 * after its base, watch) must give what a render from nothing gives, whatever changed between
 * the two: a template, an override, a policy's rule, an RSP, a cluster's labels, a CRD.
 */
import { describe, expect, it } from 'vitest';
import { buildModel, fleetFiles } from '../../bench/render/fleet.js';
import { CopyMemo } from '../../src/render/copy-memo.js';
import { ParseCache } from '../../src/render/load.js';
import { renderFleet, type RenderResult } from '../../src/render/render.js';

type Files = ReadonlyMap<string, string>;

/** What a render gives that a reader sees: every file of every branch, and each object's overrides as explain tells them. */
function seen(r: RenderResult): unknown {
  return {
    branches: r.branches.map((b) => b.clusters.map((c) => [c.cluster, c.digest, [...c.files]])),
    overrides: r.explanations.map((e) => [e.object, JSON.stringify(e.overrides)]),
    warnings: r.warnings.map((w) => `${w.file}:${w.line} ${w.code} ${w.message}`),
  };
}

/** The first file whose text `test` matches, and that text with `from` replaced by `to` (once). */
function edit(files: Files, test: RegExp, from: RegExp, to: string): Map<string, string> {
  const path = [...files.keys()].sort().find((p) => test.test(files.get(p)!));
  if (!path) throw new Error(`no file matches ${test}`);
  const text = files.get(path)!;
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`${path}: ${from} not found`);
  return new Map(files).set(path, changed);
}

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: integer, maximum: MAX}
`;
const WIDGET = `apiVersion: core.kubefed.io/v1beta1
kind: FederatedTypeConfig
metadata:
  name: widgets.example.com
  namespace: kube-federation-system
spec:
  federatedType: {group: types.kubefed.io, kind: FederatedWidget, pluralName: federatedwidgets, scope: Namespaced, version: v1beta1}
  targetType: {group: example.com, kind: Widget, pluralName: widgets, scope: Namespaced, version: v1}
  propagation: Enabled
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedWidget
metadata:
  name: small
  namespace: kf-team-00
spec:
  template:
    spec:
      size: 1
  placement:
    clusters: [{name: member-000}, {name: member-001}]
  overrides:
    - clusterName: member-001
      clusterOverrides:
        - path: /spec/size
          value: 5
`;

const changes: [string, (f: Files) => Map<string, string>, ('shared' | 'distinct')?][] = [
  ['images bumped in templates and overrides', (f) => edit(f, /image: \S+:\d/, /(image: \S+?):(\d+)/g, '$1:9$2')],
  ['a rule of an override policy', (f) => edit(f, /kind: (Cluster)?OverridePolicy/, /(fleet\.example\.com\/cluster: |value: )(\S+)/, '$1relabelled')],
  ['one cluster\'s rule of the per-cluster ClusterOverridePolicy', (f) => edit(f, /kind: ClusterOverridePolicy/, /(fleet\.example\.com\/cluster: )(member-\d+)/, '$1relabelled'), 'distinct'],
  ['an RSP\'s total', (f) => edit(f, /kind: ReplicaSchedulingPreference/, /totalReplicas: (\d+)/, 'totalReplicas: 7')],
  ['a KubeFed override for one cluster', (f) => edit(f, /clusterOverrides:/, /(value: )(\S+-member-\d+)/, '$1other-image:1')],
  ['a cluster\'s labels', (f) => edit(f, /kind: Cluster\b/, /(tier: )(\S+)/, '$1core')],
];

/**
 * The benchmark's fleet, with every ReplicaSchedulingPreference in a file of its own: an RSP
 * changed beside an unchanged federated object, whose copies then depend on what the RSP writes.
 */
function fleet(shape: 'shared' | 'distinct'): Map<string, string> {
  const files = new Map(fleetFiles(buildModel({ clusters: 12, objects: 80, seed: 11, shape })));
  let moved = 0;
  for (const [path, text] of [...files]) {
    const docs = text.split(/^---\n/m);
    const rsps = docs.filter((d) => /^kind: ReplicaSchedulingPreference$/m.test(d));
    if (rsps.length === 0) continue;
    files.set(path, docs.filter((d) => !rsps.includes(d)).join('---\n'));
    files.set(path.replace(/\.yaml$/, '-rsp.yaml'), rsps.join('---\n'));
    moved++;
  }
  if (moved === 0) throw new Error('the fleet has no ReplicaSchedulingPreference');
  return files;
}

describe('a render taking copies kept from an earlier one', () => {
  for (const shape of ['shared', 'distinct'] as const) {
    for (const [name, change, only] of changes) {
      if (only && only !== shape) continue;
      it(`gives what a fresh render gives, ${shape} fleet: ${name}`, () => {
        const first = fleet(shape);
        const second = change(first);
        const parse = new ParseCache();
        const copies = new CopyMemo();
        const before = renderFleet(first, { parse, copies });
        const after = renderFleet(second, { parse, copies });
        expect(seen(after)).toEqual(seen(renderFleet(second)));
        // And back again: the first revision's copies were replaced, not mixed in.
        expect(seen(renderFleet(first, { parse, copies }))).toEqual(seen(before));
      });
    }
  }

  it('gives a cluster without overrides the earlier render\'s object itself, where the document did not change', () => {
    const first = fleet('shared');
    // A KubeFed template changed: its clusters without overrides get a new object.
    const second = edit(first, /kind: FederatedDeployment/, /(image: \S+?):(\d+)/g, '$1:9$2');
    const parse = new ParseCache();
    const copies = new CopyMemo();
    const before = renderFleet(first, { parse, copies });
    const after = renderFleet(second, { parse, copies });
    const was = new Map(before.rendered.map((r) => [`${r.cluster}\0${r.origin}`, r.obj]));
    const plain = after.rendered.filter((r) => r.engine === 'kubefed' && r.obj === r.base);
    expect(plain.length).toBeGreaterThan(after.rendered.length * 0.2);
    const same = plain.filter((r) => was.get(`${r.cluster}\0${r.origin}`) === r.obj).length;
    expect(same).toBeGreaterThan(plain.length * 0.8);
    expect(same).toBeLessThan(plain.length);
  });

  it('takes the copies of what did not change, and makes the rest anew', () => {
    const first = fleet('distinct');
    const second = changes[0]![1](first);
    const parse = new ParseCache();
    const copies = new CopyMemo();
    const before = renderFleet(first, { parse, copies });
    const after = renderFleet(second, { parse, copies });
    const was = new Map(before.rendered.map((r) => [`${r.cluster}\0${r.origin}`, r.obj]));
    const taken = after.rendered.filter((r) => was.get(`${r.cluster}\0${r.origin}`) === r.obj).length;
    const copied = after.rendered.filter((r) => r.obj !== r.base).length;
    // Every object of this fleet differs per cluster; one file changed.
    expect(copied).toBeGreaterThan(after.rendered.length * 0.9);
    expect(taken).toBeGreaterThan(after.rendered.length * 0.8);
    expect(taken).toBeLessThan(after.rendered.length);
  });

  it('checks a copy against its CRD again when the CRD changes, and tells what is wrong', () => {
    const files = new Map(fleet('distinct')).set('crds/widget.yaml', CRD.replace('MAX', '10')).set('kubefed/widget.yaml', WIDGET);
    const parse = new ParseCache();
    const copies = new CopyMemo();
    renderFleet(files, { parse, copies });
    const stricter = new Map(files).set('crds/widget.yaml', CRD.replace('MAX', '3'));
    expect(() => renderFleet(stricter, { parse, copies })).toThrow(/override replace \/spec\/size for cluster member-001: field spec\.size: must be at most 3, not 5/);
    expect(() => renderFleet(stricter)).toThrow(/must be at most 3, not 5/);
  });
});
