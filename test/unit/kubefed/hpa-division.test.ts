/**
 * A FederatedHorizontalPodAutoscaler of a workload an RSP divides: its bounds are divided as the
 * RSP's replicas where both go (the same division as Karmada's), the user's own bound overrides
 * win, clusters without the workload keep the template's bounds, and with observed state the
 * overflow raise applies on top of the divided share.
 */
import { describe, expect, it } from 'vitest';
import { divideHpaBounds } from '../../../src/render/karmada/hpa.js';
import { renderKubeFed } from '../../../src/render/kubefed/index.js';
import { CopyMemo } from '../../../src/render/copy-memo.js';
import { ParseCache } from '../../../src/render/load.js';
import { renderFleet } from '../../../src/render/render.js';
import type { HpaState } from '../../../src/state/model.js';
import type { RenderedObject } from '../../../src/render/types.js';
import { member, state } from '../state/live-fleet.js';
import { cluster, input, replicasByCluster } from './fleet.js';

const ABC = [cluster('a'), cluster('b'), cluster('c')];
const ns = (clusters = '[{name: a}, {name: b}, {name: c}]') => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: shop, namespace: shop}
spec: {placement: {clusters: ${clusters}}}
`;
const deployment = (clusters = '[{name: a}, {name: b}]') => `---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      selector: {matchLabels: {app: web}}
      template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: web:1}]}}
  placement: {clusters: ${clusters}}
`;
/** `prefs` is the RSP's spec.clusters, indented 4. */
const rsp = (total: number, prefs: string, extra = '') => `---
apiVersion: scheduling.kubefed.io/v1alpha1
kind: ReplicaSchedulingPreference
metadata: {name: web, namespace: shop}
spec:
  targetKind: FederatedDeployment
  totalReplicas: ${total}${extra}
  clusters:
${prefs}
`;
const hpa = (bounds: string, clusters = '[{name: a}, {name: b}]', overrides = '') => `---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedHorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  template:
    spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, ${bounds}}
  placement: {clusters: ${clusters}}
${overrides}`;

type Out = { rendered: readonly RenderedObject[]; explanations: readonly { object: string; scheduling: string[]; overrides: Record<string, string[]> }[] };
/** cluster -> "min..max" of its member HPA (min absent = the default 1, shown as such). */
const boundsOf = (out: Out) =>
  Object.fromEntries(
    out.rendered
      .filter((r) => r.obj.kind === 'HorizontalPodAutoscaler')
      .map((r) => {
        const s = r.obj.spec as { minReplicas?: number; maxReplicas: number };
        return [r.cluster, `${s.minReplicas ?? 1}..${s.maxReplicas}`];
      }),
  );
const hpaLines = (out: Out) => out.explanations.find((e) => e.object.endsWith('FederatedHorizontalPodAutoscaler/shop/web'))!.scheduling.join('\n');
const render = (yaml: string, clusters = ABC) => {
  const out = renderKubeFed(input(yaml, clusters));
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return out;
};
/** The division the engine should match: Karmada's, by the Deployments it rendered. */
const expected = (out: Out, min: number, max: number, only?: readonly string[]) => {
  const replicas = new Map(Object.entries(replicasByCluster(out.rendered)).filter(([c]) => !only || only.includes(c)) as [string, number][]);
  return Object.fromEntries([...divideHpaBounds({ min, max }, replicas)].map(([c, b]) => [c, `${b.min}..${b.max}`]));
};

describe('KubeFed: an HPA of an RSP-divided workload gets its bounds divided', () => {
  it('equal weights: each cluster gets half, and the sums are the template\'s', () => {
    const out = render(ns() + deployment() + rsp(8, '    a: {weight: 1}\n    b: {weight: 1}') + hpa('minReplicas: 2, maxReplicas: 10'));
    expect(replicasByCluster(out.rendered)).toEqual({ a: 4, b: 4, c: 0 });
    expect(boundsOf(out)).toEqual({ a: '1..5', b: '1..5' });
    expect(hpaLines(out)).toContain("Bounds divided as the replicas ReplicaSchedulingPreference shop/web gives FederatedDeployment shop/web where both go (a 4, b 4): minReplicas 2, maxReplicas 10 -> a 1..5, b 1..5 (each cluster at least 1; Webster method by replicas).");
    // The overrides name the RSP as their source.
    const ovr = out.explanations.find((e) => e.object.endsWith('FederatedHorizontalPodAutoscaler/shop/web'))!.overrides;
    expect(ovr.a!.join('\n')).toContain('replace /spec/maxReplicas = 5 (this cluster\'s share of the HPA\'s bounds, by the replicas ReplicaSchedulingPreference shop/web gives the workload here');
  });

  it('unequal weights: shares follow the replicas (Webster), summing to the template\'s bounds', () => {
    const out = render(ns() + deployment('[{name: a}, {name: b}, {name: c}]') + rsp(12, '    a: {weight: 3}\n    b: {weight: 2}\n    c: {weight: 1}') + hpa('minReplicas: 5, maxReplicas: 30', '[{name: a}, {name: b}, {name: c}]'));
    expect(replicasByCluster(out.rendered)).toEqual({ a: 6, b: 4, c: 2 });
    const got = boundsOf(out);
    expect(got).toEqual(expected(out, 5, 30));
    expect(got).toEqual({ a: '2..15', b: '2..10', c: '1..5' });
  });

  it('RSP minReplicas and maxReplicas: the division follows what the planner gave, not the weights', () => {
    const out = render(ns() + deployment() + rsp(10, '    a: {weight: 1, maxReplicas: 2}\n    b: {weight: 1, minReplicas: 1}') + hpa('maxReplicas: 20'));
    expect(replicasByCluster(out.rendered)).toEqual({ a: 2, b: 8, c: 0 });
    expect(boundsOf(out)).toEqual(expected(out, 1, 20));
    // minReplicas 1 is below the 2 clusters, so each keeps 1: the min sum is 2.
    expect(boundsOf(out)).toEqual({ a: '1..4', b: '1..16' });
  });

  it('a cluster planned 0 keeps the template\'s bounds (its Deployment has no replicas to scale)', () => {
    const out = render(ns() + deployment() + rsp(4, '    a: {weight: 1}\n    b: {weight: 0}') + hpa('minReplicas: 2, maxReplicas: 10'));
    expect(replicasByCluster(out.rendered)).toEqual({ a: 4, b: 0, c: 0 });
    expect(boundsOf(out)).toEqual({ a: '2..10', b: '2..10' });
    expect(hpaLines(out)).toContain('b: the workload has no replicas there, so the bounds are the template\'s');
  });

  it('a cluster the HPA goes to without the workload keeps the template\'s bounds', () => {
    // intersectWithClusterSelector keeps the workload to a and b, where its selector matches.
    const labelled = [cluster('a', { pool: 'x' }), cluster('b', { pool: 'x' }), cluster('c')];
    const yaml = ns().replace('clusters: [{name: a}, {name: b}, {name: c}]', 'clusterSelector: {}') + deployment().replace('placement: {clusters: [{name: a}, {name: b}]}', 'placement: {clusterSelector: {matchLabels: {pool: x}}}') + rsp(6, '    a: {weight: 2}\n    b: {weight: 1}', '\n  intersectWithClusterSelector: true') + hpa('minReplicas: 3, maxReplicas: 9', '[{name: a}, {name: b}, {name: c}]');
    const out = render(yaml, labelled);
    expect(replicasByCluster(out.rendered)).toEqual({ a: 4, b: 2 });
    expect(boundsOf(out)).toEqual({ a: '2..6', b: '1..3', c: '3..9' });
    expect(boundsOf(out)).toMatchObject(expected(out, 3, 9));
    expect(hpaLines(out)).toContain('c: the workload has no replicas there');
  });

  it('where the workload runs without the HPA, those replicas take no share: the rest divide the whole bounds', () => {
    const out = render(ns() + deployment('[{name: a}, {name: b}, {name: c}]') + rsp(9, '    "*": {weight: 1}') + hpa('minReplicas: 2, maxReplicas: 12'));
    expect(replicasByCluster(out.rendered)).toEqual({ a: 3, b: 3, c: 3 });
    expect(boundsOf(out)).toEqual({ a: '1..6', b: '1..6' });
    expect(hpaLines(out)).toContain('c: the workload runs there without this HPA, so those replicas take no share of the bounds.');
  });

  it('rebalance: false with observed current replicas: the division follows the preallocated plan', () => {
    const W = 'apps/Deployment/shop/web';
    const s = state(member('a', { [W]: { desired: 6, ready: 6, current: 6, fit: 10 } }), member('b', { [W]: { desired: 2, ready: 2, current: 2, fit: 10 } }));
    const yaml = ns() + deployment() + rsp(8, '    a: {weight: 1}\n    b: {weight: 1}', '\n  rebalance: false') + hpa('minReplicas: 2, maxReplicas: 16');
    const out = renderKubeFed({ ...input(yaml, ABC), state: s });
    expect(replicasByCluster(out.rendered)).toEqual({ a: 6, b: 2, c: 0 });
    expect(boundsOf(out)).toEqual({ a: '1..12', b: '1..4' });
    // rebalance: true moves the replicas back to 4/4, and the bounds with them.
    const rebalanced = renderKubeFed({ ...input(yaml.replace('rebalance: false', 'rebalance: true'), ABC), state: s });
    expect(replicasByCluster(rebalanced.rendered)).toEqual({ a: 4, b: 4, c: 0 });
    expect(boundsOf(rebalanced)).toEqual({ a: '1..8', b: '1..8' });
  });

  it('the object\'s own bound overrides win over the share; the other bound keeps it, kept at most/at least theirs', () => {
    const overrides = `  overrides:
    - clusterName: a
      clusterOverrides: [{path: /spec/maxReplicas, value: 3}]
    - clusterName: b
      clusterOverrides: [{path: /spec/minReplicas, value: 12}]
`;
    const out = render(ns() + deployment() + rsp(10, '    a: {weight: 1}\n    b: {weight: 1}') + hpa('minReplicas: 8, maxReplicas: 20', undefined, overrides));
    // Shares would be a 4..10, b 4..10: a's max is the user's 3 (its min capped to 3), b's min the user's 12 (its max raised to 12).
    expect(expected(out, 8, 20)).toEqual({ a: '4..10', b: '4..10' });
    expect(boundsOf(out)).toEqual({ a: '3..3', b: '12..12' });
    expect(hpaLines(out)).toContain("a: the object's own override of maxReplicas wins over the share 4..10: 3..3.");
    expect(hpaLines(out)).toContain("b: the object's own override of minReplicas wins over the share 4..10: 12..12.");
  });

  it('a workload no RSP divides keeps the HPA\'s bounds everywhere', () => {
    const out = render(ns() + deployment() + hpa('minReplicas: 2, maxReplicas: 10'));
    expect(boundsOf(out)).toEqual({ a: '2..10', b: '2..10' });
    expect(hpaLines(out)).toBe('');
  });

  it('an HPA of another workload is not divided', () => {
    const out = render(ns() + deployment() + rsp(8, '    a: {weight: 1}\n    b: {weight: 1}') + hpa('minReplicas: 2, maxReplicas: 10').replace('name: web}, minReplicas', 'name: api}, minReplicas'));
    expect(boundsOf(out)).toEqual({ a: '2..10', b: '2..10' });
  });
});

describe('KubeFed HPA division with observed state: the overflow raise on top of the divided share', () => {
  const W = 'apps/Deployment/shop/web';
  const want = (desired: number): HpaState => ({ name: 'web', min: 1, max: 5, current: 2, desired });
  it('a holds its share, its HPA wants 12: b runs the 10 and its bounds are its share raised by them', () => {
    const s = state(member('a', { [W]: { desired: 2, ready: 2, current: 2, hpa: want(12) } }), member('b', { [W]: { desired: 2, ready: 2, current: 2, fit: 50 } }));
    const out = renderKubeFed({ ...input(ns() + deployment() + rsp(4, '    a: {weight: 1}\n    b: {weight: 1}') + hpa('minReplicas: 2, maxReplicas: 10'), ABC), state: s });
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(replicasByCluster(out.rendered)).toEqual({ a: 2, b: 12, c: 0 });
    // Divided by the RSP's 2/2: a 1..5 and b 1..5; b runs 10 for a: 11..15; a keeps its share.
    expect(boundsOf(out)).toEqual({ a: '1..5', b: '11..15' });
    expect(hpaLines(out)).toContain('-> a 1..5, b 1..5');
    expect(hpaLines(out)).toContain('bounds raised on the clusters that run the overflow, by what each runs: b 11..15.');
  });
  it('without the overflow the same fleet renders the stateless division', () => {
    const out = render(ns() + deployment() + rsp(4, '    a: {weight: 1}\n    b: {weight: 1}') + hpa('minReplicas: 2, maxReplicas: 10'));
    expect(boundsOf(out)).toEqual({ a: '1..5', b: '1..5' });
  });
});

describe('KubeFed HPA division through the render pipeline (a fleet in files)', () => {
  it('renders each member\'s HPA with its share', () => {
    const clusters = ['a', 'b', 'c'].map((n) => `apiVersion: core.kubefed.io/v1beta1\nkind: KubeFedCluster\nmetadata: {name: ${n}}\n`).join('---\n');
    const files = new Map([
      ['clusters.yaml', clusters],
      ['shop/namespace.yaml', ns()],
      ['shop/web.yaml', deployment('[{name: a}, {name: b}, {name: c}]')],
      ['shop/rsp.yaml', rsp(10, '    a: {weight: 3}\n    b: {weight: 1}\n    c: {weight: 1}')],
      ['shop/hpa.yaml', hpa('minReplicas: 3, maxReplicas: 20', '[{name: a}, {name: b}, {name: c}]')],
    ]);
    const r = renderFleet(files);
    expect(replicasByCluster(r.rendered)).toEqual({ a: 6, b: 2, c: 2 });
    expect(boundsOf(r as unknown as Out)).toEqual({ a: '1..12', b: '1..4', c: '1..4' });
    const sums = Object.values(boundsOf(r as unknown as Out)).map((b) => b.split('..').map(Number));
    expect(sums.reduce((s, [, max]) => s + max!, 0)).toBe(20);
  });

  it('divides the same way when it renders again on the same thread (a diff\'s head, watch), the HPA\'s own document unchanged', () => {
    const clusters = ['a', 'b', 'c'].map((n) => `apiVersion: core.kubefed.io/v1beta1\nkind: KubeFedCluster\nmetadata: {name: ${n}}\n`).join('---\n');
    // The HPA's overrides, kept from the first render, are where the division writes each share.
    const userMax = '  overrides:\n    - clusterName: c\n      clusterOverrides:\n        - {path: /spec/maxReplicas, value: 7}\n';
    const first = new Map([
      ['clusters.yaml', clusters],
      ['shop/namespace.yaml', ns()],
      ['shop/web.yaml', deployment('[{name: a}, {name: b}, {name: c}]')],
      ['shop/rsp.yaml', rsp(10, '    a: {weight: 3}\n    b: {weight: 1}\n    c: {weight: 1}')],
      ['shop/hpa.yaml', hpa('minReplicas: 3, maxReplicas: 20', '[{name: a}, {name: b}, {name: c}]', userMax)],
    ]);
    const second = new Map(first).set('shop/rsp.yaml', rsp(10, '    a: {weight: 1}\n    b: {weight: 1}\n    c: {weight: 3}'));
    const caches = { parse: new ParseCache(), copies: new CopyMemo() };
    const bounds = (r: ReturnType<typeof renderFleet>) => boundsOf(r as unknown as Out);
    const once = bounds(renderFleet(first, caches));
    expect(once).toEqual({ a: '1..12', b: '1..4', c: '1..7' });
    expect(bounds(renderFleet(second, caches))).toEqual(bounds(renderFleet(second)));
    expect(bounds(renderFleet(second))).not.toEqual(once);
    expect(bounds(renderFleet(first, caches))).toEqual(once);
  });
});
