/**
 * Karmada's FederatedHPA, CronFederatedHPA and MultiClusterService are refused by name, saying what
 * to use instead; they used to be reported as templates no policy selects (NotPropagated).
 */
import { describe, expect, it } from 'vitest';
import { cluster, codes, render } from './fixtures.js';

const ns = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n';
const docs: Record<string, string> = {
  FederatedHPA: `apiVersion: autoscaling.karmada.io/v1alpha1
kind: FederatedHPA
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 10
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]
`,
  CronFederatedHPA: `apiVersion: autoscaling.karmada.io/v1alpha1
kind: CronFederatedHPA
metadata: {name: web-cron, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  rules: [{name: up, schedule: "0 8 * * *", targetReplicas: 6}]
`,
  MultiClusterService: `apiVersion: networking.karmada.io/v1alpha1
kind: MultiClusterService
metadata: {name: web, namespace: shop}
spec:
  types: [CrossCluster]
`,
};

describe('Karmada kinds gitfed does not implement', () => {
  for (const [kind, doc] of Object.entries(docs)) {
    it(`${kind} is an UnsupportedKind error at its line, with what to use instead, and goes nowhere`, () => {
      const out = render([ns, doc].join('---\n'), [cluster('a')]);
      expect(codes(out)).toEqual(['error:UnsupportedKind']);
      const d = out.diagnostics[0]!;
      expect(d).toMatchObject({ file: 'fleet.yaml', line: 101 });
      expect(d.message).toMatch(new RegExp(`^${kind}/shop/[a-z-]+: gitfed does not implement Karmada's ${kind}`));
      expect(d.hint).toBeTruthy();
      expect(out.rendered.map((r) => r.obj.kind)).toEqual(['Namespace']);
    });
  }

  it('a kind of the same name in another group is an ordinary template', () => {
    const out = render([ns, docs.MultiClusterService!.replace('networking.karmada.io', 'example.com')].join('---\n'), [cluster('a')]);
    expect(codes(out)).toEqual(['warning:NotPropagated']);
  });
});
