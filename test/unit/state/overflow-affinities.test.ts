/**
 * overflowAffinities (Karmada v1.18): a clusterAffinities term's own group is filled first, then
 * each overflow group in order. Vectors from upstream's pkg/scheduler/core/common_test.go
 * (TestAssignReplicas, TestSelectClusters) and pkg/util/validation/validation_test.go.
 */
import { describe, expect, it } from 'vitest';
import { divideByTiers } from '../../../src/render/karmada/divide.js';
import type { FleetState } from '../../../src/state/model.js';
import { cluster, replicasByCluster } from '../kubefed/fleet.js';
import { karmadaRender, KWEB as WEB, member as memberOf, propagationPolicy, state } from './live-fleet.js';

const member = (name: string, w: Parameters<typeof memberOf>[1][string]) => memberOf(name, { [WEB]: w });
const fleet = [cluster('member1'), cluster('member2'), cluster('member3')];
const dynamic = '    replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Weighted, weightPreference: {dynamicWeight: AvailableReplicas}}\n';
const overflowTerm = `    clusterAffinities:
      - affinityName: affinity1
        clusterNames: [member1]
        overflowAffinities:
          - {affinityName: overflow, clusterNames: [member2]}
`;
const run = (replicas: number, placement: string, s?: FleetState, extra = '') => karmadaRender(replicas, placement, fleet, s, extra);
const errors = (out: ReturnType<typeof run>) => out.diagnostics.filter((d) => d.severity === 'error');

describe('divideByTiers: upstream TestAssignReplicas overflow vectors', () => {
  const tiers = (a: [number, number], b: [number, number]) => [[{ name: 'member1', fit: a[0], assigned: a[1] }], [{ name: 'member2', fit: b[0], assigned: b[1] }]];
  const run2 = (replicas: number, a: [number, number], b: [number, number]) => divideByTiers(replicas, tiers(a, b), ['affinity1', 'overflow'], 'DynamicWeight');
  it('primary group has enough capacity, no overflow needed', () => {
    expect(run2(5, [10, 0], [10, 0])).toMatchObject({ replicas: new Map([['member1', 5]]) });
  });
  it('primary group capacity exhausted, remaining replicas overflow to next tier', () => {
    expect(run2(5, [2, 0], [10, 0])).toMatchObject({ replicas: new Map([['member1', 2], ['member2', 3]]) });
  });
  it('all tiers exhausted, scheduling fails', () => {
    expect(run2(10, [2, 0], [2, 0])).toEqual({ error: 'Clusters available replicas are not enough to schedule.' });
  });
  it('available greater than allocatable because of replicas assigned before: 3 held + 2 fit, then 3 overflow', () => {
    expect(run2(8, [2, 3], [10, 0])).toMatchObject({ replicas: new Map([['member1', 5], ['member2', 3]]) });
  });
  it('scale-down empties the overflow group first (groups contract in reverse)', () => {
    expect(run2(4, [0, 5], [7, 3])).toMatchObject({ replicas: new Map([['member1', 4]]) });
  });
});

describe('overflowAffinities in a render with observed state', () => {
  it('without state they are refused like the capacity division they need', () => {
    const codes = errors(run(5, dynamic + overflowTerm)).map((d) => d.code);
    expect(codes).toContain('UnsupportedLiveState');
  });
  it('on-prem full: the rest overflows to the overflow group, not to a cluster outside the term', () => {
    const s = state(member('member1', { desired: 2, fit: 0 }), member('member2', { fit: 10 }), member('member3', { fit: 100 }));
    const out = run(5, dynamic + overflowTerm, s);
    expect(errors(out)).toEqual([]);
    expect(replicasByCluster(out.rendered)).toEqual({ member1: 2, member2: 3 });
    const e = out.explanations.find((x) => x.object === WEB)!;
    expect(e.placement).toContain('  member2: passes the filters (overflow group overflow).');
    expect(e.scheduling.join('\n')).toContain('Group overflow (member2) can hold 10: it gets 3 of the 3 left.');
  });
  it('room enough in the primary group: nothing overflows', () => {
    const s = state(member('member1', { fit: 10 }), member('member2', { fit: 10 }));
    expect(replicasByCluster(run(5, dynamic + overflowTerm, s).rendered)).toEqual({ member1: 5 });
  });
  it('spread constraint maxGroups 1 picks the primary group first, whatever the scores (TestSelectClusters)', () => {
    const spread = '    spreadConstraints: [{spreadByField: cluster, maxGroups: 1, minGroups: 1}]\n';
    const s = state(member('member1', { fit: 10 }), member('member2', { desired: 1, fit: 10 }));
    expect(replicasByCluster(run(1, dynamic + spread + overflowTerm, s).rendered)).toEqual({ member1: 1 });
  });
  it('a ConfigMap under the same policy stays in the primary group: overflow is for workloads', () => {
    const cm = `---
apiVersion: v1
kind: ConfigMap
metadata: {name: x, namespace: web}
data: {a: b}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: cm, namespace: web}
spec:
  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]
  placement:
${dynamic}${overflowTerm}`;
    const s = state(member('member1', { fit: 1 }), member('member2', { fit: 10 }));
    const out = run(5, dynamic + overflowTerm, s, cm);
    expect(out.rendered.filter((r) => r.obj.kind === 'ConfigMap').map((r) => r.cluster)).toEqual(['member1']);
  });
});

describe('overflowAffinities: upstream webhook validation vectors', () => {
  const invalid = (placement: string) => errors(run(5, placement)).filter((d) => d.code === 'InvalidPolicy').map((d) => d.message.replace(/^.*?: /, ''));
  const only = 'overflowAffinities can only be used together with dynamic weight or aggregated scheduling';
  it('rejected when replicaScheduling is nil', () => expect(invalid(overflowTerm)).toEqual([only]));
  it('rejected with static weight scheduling', () => {
    expect(invalid('    replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Weighted, weightPreference: {staticWeightList: [{targetCluster: {clusterNames: [member1]}, weight: 1}]}}\n' + overflowTerm)).toEqual([only]);
  });
  it('allowed with dynamic weight and with aggregated scheduling', () => {
    expect(invalid(dynamic + overflowTerm)).toEqual([]);
    expect(invalid('    replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Aggregated}\n' + overflowTerm)).toEqual([]);
  });
  it('without the inline ClusterAffinity', () => {
    expect(invalid(dynamic + overflowTerm.replace('        clusterNames: [member1]\n', ''))).toEqual(['overflowAffinities can only be used together with the inline ClusterAffinity']);
  });
  it('duplicate overflow names, and a name equal to the primary group\'s', () => {
    const dup = overflowTerm + '          - {affinityName: overflow, clusterNames: [member3]}\n';
    const same = overflowTerm.replace('{affinityName: overflow,', '{affinityName: affinity1,');
    const msg = "overflow affinity name must be unique and must not duplicate the primary group's affinityName";
    expect(invalid(dynamic + dup)).toEqual([msg]);
    expect(invalid(dynamic + same)).toEqual([msg]);
  });
});

describe('an HPA follows the division the state drives', () => {
  it('on-prem full at 2: the HPA\'s 2..10 become 1..4 on-prem and 1..6 in the overflow group', () => {
    const hpa = `---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: x, namespace: web}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: x}, minReplicas: 2, maxReplicas: 10}
---${propagationPolicy('hpa', 'web', 'autoscaling/v2', 'HorizontalPodAutoscaler', '    clusterAffinity: {clusterNames: [member1, member2]}\n')}`;
    const s = state(member('member1', { desired: 2, fit: 0 }), member('member2', { fit: 10 }));
    const out = run(5, dynamic + overflowTerm, s, hpa);
    expect(errors(out)).toEqual([]);
    expect(replicasByCluster(out.rendered)).toEqual({ member1: 2, member2: 3 });
    const bounds = Object.fromEntries(out.rendered.filter((r) => r.obj.kind === 'HorizontalPodAutoscaler').map((r) => [r.cluster, r.obj.spec]));
    expect(bounds).toMatchObject({ member1: { minReplicas: 1, maxReplicas: 4 }, member2: { minReplicas: 1, maxReplicas: 6 } });
  });
});
