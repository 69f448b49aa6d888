/**
 * A HorizontalPodAutoscaler that propagates with its workload gets minReplicas and maxReplicas
 * divided over the clusters the workload lands on, in proportion to its replicas there.
 */
import { describe, expect, it } from 'vitest';
import { divideHpaBounds } from '../../../src/render/karmada/hpa.js';
import { propagationPolicy } from '../state/live-fleet.js';
import { byCluster, cluster, render } from './fixtures.js';

const bounds = (min: number, max: number, replicas: Record<string, number>) =>
  Object.fromEntries([...divideHpaBounds({ min, max }, new Map(Object.entries(replicas)))].map(([c, b]) => [c, `${b.min}..${b.max}`]));

describe('divideHpaBounds: the rounding', () => {
  it('in proportion to the replicas, every cluster at least 1, the sums the template\'s', () => {
    expect(bounds(2, 10, { onprem: 6, cloud: 3 })).toEqual({ cloud: '1..3', onprem: '1..7' });
    expect(bounds(10, 100, { a: 5, b: 3, c: 2 })).toEqual({ a: '5..50', b: '3..30', c: '2..20' });
    expect(bounds(4, 8, { a: 100, b: 1 })).toEqual({ a: '3..7', b: '1..1' });
  });
  it('clusters without replicas get nothing; fewer minReplicas than clusters: 1 each (the sum is then the cluster count)', () => {
    expect(bounds(1, 3, { a: 1, b: 1, c: 1, d: 0 })).toEqual({ a: '1..1', b: '1..1', c: '1..1' });
    expect(bounds(1, 2, { a: 1, b: 1, c: 1 })).toEqual({ a: '1..1', b: '1..1', c: '1..1' });
  });
  it('for any input: Σmin = max(min, n), Σmax = max(max, Σmin), 1 <= min_i <= max_i', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 500; i++) {
      const n = 1 + rand(6);
      const replicas = Object.fromEntries(Array.from({ length: n }, (_, j) => [`c${j}`, 1 + rand(50)]));
      const min = 1 + rand(20);
      const max = min + rand(60);
      const d = [...divideHpaBounds({ min, max }, new Map(Object.entries(replicas))).values()];
      const sumMin = d.reduce((s, b) => s + b.min, 0);
      expect(sumMin).toBe(Math.max(min, n));
      expect(d.reduce((s, b) => s + b.max, 0)).toBe(Math.max(max, sumMin));
      for (const b of d) expect(b.min >= 1 && b.max >= b.min).toBe(true);
    }
  });
});

const fleet = [cluster('onprem'), cluster('cloud'), cluster('edge')];
const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 9
  template: {spec: {containers: [{name: app, image: web:1}]}}
`;
const hpa = (apiVersion = 'autoscaling/v2') => `apiVersion: ${apiVersion}
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
`;
const policy = (name: string, kind: string, apiVersion: string, placement: string) => propagationPolicy(name, 'shop', apiVersion, kind, placement);
const weighted = `    clusterAffinity: {clusterNames: [onprem, cloud]}
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        staticWeightList:
          - {targetCluster: {clusterNames: [onprem]}, weight: 2}
          - {targetCluster: {clusterNames: [cloud]}, weight: 1}
`;
const ns = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n';
const hpaEverywhere = policy('hpa', 'HorizontalPodAutoscaler', 'autoscaling/v2', '    clusterAffinity: {clusterNames: [onprem, cloud, edge]}\n');
const spec = (out: ReturnType<typeof render>, c: string) => byCluster(out)[c]?.['autoscaling/HorizontalPodAutoscaler/shop/web']?.spec as { minReplicas: number; maxReplicas: number } | undefined;

describe('an HPA template in a render', () => {
  it('follows its Deployment\'s static-weight division: 6 and 3 replicas make 1..7 and 1..3; a cluster without the Deployment keeps 2..10', () => {
    const out = render([ns, deployment, hpa(), policy('web', 'Deployment', 'apps/v1', weighted), hpaEverywhere].join('---\n'), fleet);
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(spec(out, 'onprem')).toMatchObject({ minReplicas: 1, maxReplicas: 7 });
    expect(spec(out, 'cloud')).toMatchObject({ minReplicas: 1, maxReplicas: 3 });
    expect(spec(out, 'edge')).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
    const lines = out.explanations.find((e) => e.object === 'autoscaling/HorizontalPodAutoscaler/shop/web')!.scheduling;
    expect(lines).toContain("Bounds divided as apps/Deployment/shop/web's replicas (cloud 3, onprem 6): minReplicas 2, maxReplicas 10 -> cloud 1..3, onprem 1..7 (each cluster at least 1; Webster method by replicas).");
    expect(lines).toContain('edge: the workload has no replicas there, so the bounds are unchanged.');
  });
  it('autoscaling/v1 too', () => {
    const hpaV1 = policy('hpa', 'HorizontalPodAutoscaler', 'autoscaling/v1', '    clusterAffinity: {clusterNames: [onprem, cloud]}\n');
    const out = render([ns, deployment, hpa('autoscaling/v1'), policy('web', 'Deployment', 'apps/v1', weighted), hpaV1].join('---\n'), fleet);
    expect(spec(out, 'onprem')).toMatchObject({ minReplicas: 1, maxReplicas: 7 });
  });
  it('a Duplicated Deployment: every cluster holds all 9, so each keeps 2..10', () => {
    const out = render([ns, deployment, hpa(), policy('web', 'Deployment', 'apps/v1', '    clusterAffinity: {clusterNames: [onprem, cloud]}\n'), hpaEverywhere].join('---\n'), fleet);
    expect(spec(out, 'onprem')).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
    expect(spec(out, 'cloud')).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
  });
  it('an HPA whose target is not in the fleet is unchanged', () => {
    const out = render([ns, hpa().replace('name: web}', 'name: other}'), hpaEverywhere].join('---\n'), fleet);
    expect(spec(out, 'onprem')).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
  });
});
