/**
 * Render with observed state: the engines read the live inputs upstream reads from its members
 * (KubeFed's current replicas and capacity, Karmada's estimates and readiness taints), and the
 * same source and state give the same result. Without state, today's refusals stand.
 */
import { describe, expect, it } from 'vitest';
import { renderKubeFed } from '../../../src/render/kubefed/index.js';
import type { FleetState } from '../../../src/state/model.js';
import { cluster, input, replicasByCluster } from '../kubefed/fleet.js';
import { karmadaRender, KWEB, member, state } from './live-fleet.js';

const WEB = 'apps/Deployment/shop/web';
const kubefed = (total: number, rebalance: boolean) => `
apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: shop, namespace: shop}
spec: {placement: {clusters: [{name: onprem}, {name: burst}]}}
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      template: {spec: {containers: [{name: app, image: web:1}]}}
  placement: {clusters: [{name: onprem}, {name: burst}]}
---
apiVersion: scheduling.kubefed.io/v1alpha1
kind: ReplicaSchedulingPreference
metadata: {name: web, namespace: shop}
spec:
  targetKind: FederatedDeployment
  totalReplicas: ${total}
  rebalance: ${rebalance}
  clusters:
    onprem: {weight: 100}
    burst: {weight: 1}
`;
const inventory = [cluster('onprem'), cluster('burst')];

describe('KubeFed RSP with observed state (seed example 2: on-prem first, overflow to burst)', () => {
  it('without state everything goes on-prem', () => {
    expect(replicasByCluster(renderKubeFed(input(kubefed(10, false), inventory)).rendered)).toEqual({ onprem: 10, burst: 0 });
  });
  it('six unschedulable pods on-prem: capacity 4, the other 6 go to burst', () => {
    const s = state(member('onprem', { [WEB]: { desired: 10, ready: 4, current: 4, pending: 6, unschedulable: 6 } }), member('burst', { [WEB]: { fit: 50 } }));
    const out = renderKubeFed({ ...input(kubefed(10, false), inventory), state: s });
    expect(replicasByCluster(out.rendered)).toEqual({ onprem: 4, burst: 6 });
    const lines = out.explanations.find((e) => e.object.endsWith('FederatedDeployment/shop/web'))!.scheduling;
    expect(lines).toContain(`Live inputs from state ${'a'.repeat(7)}, for ${WEB}:`);
    expect(lines.join('\n')).toContain('onprem: 10 desired, 4 ready, 4 running, 6 pending (6 unschedulable), room for 0 more');
  });
  it('pods pending for less than upstream\'s 60 s already cap the member at what its nodes took', () => {
    const s = state(member('onprem', { [WEB]: { desired: 10, ready: 4, current: 4, pending: 6 } }), member('burst', { [WEB]: { desired: 6, ready: 6, current: 6, fit: 44 } }));
    expect(replicasByCluster(renderKubeFed({ ...input(kubefed(10, false), inventory), state: s }).rendered)).toEqual({ onprem: 4, burst: 6 });
  });
  it('once on-prem holds 4 and nothing more fits, the split stays (no probing again)', () => {
    const s = state(member('onprem', { [WEB]: { desired: 4, ready: 4, current: 4 } }), member('burst', { [WEB]: { desired: 6, ready: 6, current: 6, fit: 44 } }));
    expect(replicasByCluster(renderKubeFed({ ...input(kubefed(10, false), inventory), state: s }).rendered)).toEqual({ onprem: 4, burst: 6 });
  });
  it('with rebalance, more room on-prem brings the replicas back', () => {
    const s = state(member('onprem', { [WEB]: { desired: 4, ready: 4, current: 4, fit: 4 } }), member('burst', { [WEB]: { desired: 6, ready: 6, current: 6, fit: 44 } }));
    const out = renderKubeFed({ ...input(kubefed(10, true), inventory), state: s });
    // Capacity 8 on-prem: 8 there and the overflow of 2 added back where it arose (as upstream), 2 on burst.
    expect(replicasByCluster(out.rendered)).toEqual({ onprem: 10, burst: 2 });
  });
  it('a member not ready is not available to the planner', () => {
    const s = state(member('onprem', { [WEB]: { desired: 10, ready: 10, current: 10 } }, false), member('burst', { [WEB]: { fit: 50 } }));
    const out = renderKubeFed({ ...input(kubefed(10, false), inventory), state: s });
    expect(replicasByCluster(out.rendered)).toEqual({ burst: 10 });
    expect(out.explanations.flatMap((e) => e.scheduling).join('\n')).toContain('Not ready in state aaaaaaa, so not available: onprem.');
  });
  it('the same source and state give the same result', () => {
    const s = state(member('onprem', { [WEB]: { desired: 10, ready: 4, current: 4, pending: 6, unschedulable: 6 } }), member('burst', {}));
    const a = renderKubeFed({ ...input(kubefed(10, false), inventory), state: s });
    const b = renderKubeFed({ ...input(kubefed(10, false), inventory), state: s });
    expect(a.rendered).toEqual(b.rendered);
  });
});

const karmadaFleet = [cluster('onprem'), cluster('cloud-a'), cluster('cloud-b')];
const karmada = (replicas: number, placement: string, s?: FleetState) => karmadaRender(replicas, placement, karmadaFleet, s);
const aggregated = '    replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Aggregated}';
const dynamic = '    replicaScheduling: {replicaSchedulingType: Divided, weightPreference: {dynamicWeight: AvailableReplicas}}';

describe('Karmada division by observed capacity', () => {
  it('without state, Aggregated and dynamicWeight are refused, and the hint says how to give state', () => {
    for (const p of [aggregated, dynamic]) {
      const d = karmada(12, p).diagnostics.find((x) => x.code === 'UnsupportedLiveState')!;
      expect(d.severity).toBe('error');
      expect(d.hint).toContain('gitfed render --state fleet-state');
    }
  });
  it('Aggregated packs the fewest clusters, those holding replicas first', () => {
    const s = state(member('onprem', { [KWEB]: { desired: 4, fit: 0 } }), member('cloud-a', { [KWEB]: { fit: 6 } }), member('cloud-b', { [KWEB]: { fit: 20 } }));
    const out = karmada(10, aggregated, s);
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(replicasByCluster(out.rendered)).toEqual({ onprem: 4, 'cloud-b': 6 });
  });
  it('dynamicWeight divides by how many more fit', () => {
    const s = state(member('onprem', { [KWEB]: { fit: 18 } }), member('cloud-a', { [KWEB]: { fit: 12 } }), member('cloud-b', { [KWEB]: { fit: 6 } }));
    expect(replicasByCluster(karmada(12, dynamic, s).rendered)).toEqual({ onprem: 6, 'cloud-a': 4, 'cloud-b': 2 });
  });
  it('not enough room anywhere is SchedulingFailed naming upstream\'s sentence', () => {
    const s = state(member('onprem', { [KWEB]: { fit: 1 } }), member('cloud-a', { [KWEB]: { fit: 1 } }), member('cloud-b', { [KWEB]: { fit: 1 } }));
    const d = karmada(12, dynamic, s).diagnostics.find((x) => x.severity === 'error')!;
    expect(d.code).toBe('SchedulingFailed');
    expect(d.message).toContain('Clusters available replicas 3 are not enough to schedule.');
  });
  const terms = `    clusterAffinities:
    - {affinityName: primary, clusterNames: [onprem]}
    - {affinityName: backup, clusterNames: [cloud-a, cloud-b]}
${aggregated}`;
  it('clusterAffinities: the next term when the first cannot hold the replicas', () => {
    const s = state(member('onprem', { [KWEB]: { desired: 4, fit: 0 } }), member('cloud-a', { [KWEB]: { fit: 20 } }), member('cloud-b', { [KWEB]: { fit: 3 } }));
    expect(replicasByCluster(karmada(4, terms, s).rendered)).toEqual({ onprem: 4 });
    const out = karmada(10, terms, s);
    expect(replicasByCluster(out.rendered)).toEqual({ 'cloud-a': 10 });
    // As upstream, the 6 more to place are weighed against what fits beyond the 4 held: 0.
    expect(out.explanations.flatMap((e) => e.placement).join('\n')).toContain('Term primary fails (Clusters available replicas 0 are not enough to schedule.)');
  });
  it('a member observed not ready gets the not-ready taints: failover to the next term, unless tolerated', () => {
    const s = state(member('onprem', { [KWEB]: { desired: 4, fit: 10 } }, false), member('cloud-a', { [KWEB]: { fit: 20 } }), member('cloud-b', { [KWEB]: { fit: 3 } }));
    const out = karmada(4, terms, s);
    expect(replicasByCluster(out.rendered)).toEqual({ 'cloud-a': 4 });
    expect(out.explanations.flatMap((e) => e.placement).join('\n')).toContain('onprem: excluded, evicted: taint cluster.karmada.io/not-ready:NoExecute is not tolerated');
    // onprem holds the replicas, so (as upstream) only the NoExecute taint decides whether they stay.
    const noSchedule = `    clusterTolerations: [{key: cluster.karmada.io/not-ready, operator: Exists, effect: NoSchedule}]\n${terms}`;
    expect(replicasByCluster(karmada(4, noSchedule, s).rendered)).toEqual({ 'cloud-a': 4 });
    const tolerated = `    clusterTolerations: [{key: cluster.karmada.io/not-ready, operator: Exists}]\n${terms}`;
    expect(replicasByCluster(karmada(4, tolerated, s).rendered)).toEqual({ onprem: 4 });
  });
});
