import { describe, expect, it } from 'vitest';
import { loadFile } from '../../../src/render/load.js';
import { federatedWorkloads } from '../../../src/observe/workloads.js';

describe('the workloads observe reads', () => {
  it('are Karmada templates and KubeFed federated workloads, by the member object\'s key, with their pod spec', () => {
    const { objects } = loadFile('f.yaml', `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: data}
spec: {template: {spec: {containers: [{name: db, resources: {requests: {cpu: "1"}}}]}}}
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata: {name: web, namespace: shop}
spec: {template: {spec: {template: {spec: {containers: [{name: web}]}}}}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: shop}
`);
    const w = federatedWorkloads(objects);
    expect(w.map((x) => x.key)).toEqual(['apps/Deployment/shop/web', 'apps/StatefulSet/data/db']);
    expect(w[1]!.podSpec).toEqual({ containers: [{ name: 'db', resources: { requests: { cpu: '1' } } }] });
  });
});
