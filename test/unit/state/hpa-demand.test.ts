/**
 * A member's HPA as demand: what it wants beyond what its member holds overflows to the other
 * clusters as the workload's division places replicas a full cluster cannot run (KubeFed RSP,
 * Karmada Divided), and explain shows the HPA behind the number.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { holds, hpaExcess } from '../../../src/render/hpa-demand.js';
import { renderKubeFed } from '../../../src/render/kubefed/index.js';
import type { HpaState, WorkloadState } from '../../../src/state/model.js';
import { cluster, input, replicasByCluster } from '../kubefed/fleet.js';
import { karmadaRender, KWEB, member, propagationPolicy, state } from './live-fleet.js';

const WEB = 'apps/Deployment/shop/web';
const hpa = (desired: number, max = 12, min = 1): HpaState => ({ name: 'web', min, max, current: 4, desired });
// Seed example 2 (examples/overflow): on-prem first (weight 100), burst for the rest (weight 1).
const SEED = readFileSync(new URL('../../../examples/overflow/shop.yaml', import.meta.url), 'utf8');
const kubefed = (total: number, clusters?: string) => {
  let text = SEED.replace('totalReplicas: 4', `totalReplicas: ${total}`);
  if (clusters) text = text.replaceAll('[{name: onprem}, {name: burst}]', '[{name: onprem}, {name: burst}, {name: edge}]').replace(/ {4}onprem: \{weight: 100\}\n {4}burst: \{weight: 1\}/, `    ${clusters}`);
  return text;
};
const two = [cluster('onprem'), cluster('burst')];
const kubefedRender = (total: number, s: ReturnType<typeof state>, inventory = two, clusters?: string) => renderKubeFed({ ...input(kubefed(total, clusters), inventory), state: s });
const schedulingLines = (out: ReturnType<typeof renderKubeFed>) => out.explanations.find((e) => e.object.endsWith('FederatedDeployment/shop/web'))!.scheduling;

describe('what a member holds and what its HPA wants beyond it', () => {
  it('holds: the replicas its nodes took plus how many more fit', () => {
    expect(holds({ desired: 12, ready: 4, current: 4, pending: 8, unschedulable: 8, fit: 0 })).toBe(4);
    expect(holds({ desired: 4, ready: 4, current: 4, pending: 0, unschedulable: 0, fit: 3 })).toBe(7);
  });
  it('only an HPA wanting more than the member holds is excess', () => {
    const s = state(member('onprem', { [WEB]: { desired: 4, ready: 4, current: 4, hpa: hpa(12) } }), member('burst', { [WEB]: { fit: 50, hpa: hpa(3) } }), member('edge', { [WEB]: { desired: 2, fit: 2, hpa: hpa(4) } }));
    expect(hpaExcess(s, ['onprem', 'burst', 'edge'], WEB).map((e) => [e.cluster, e.excess])).toEqual([['onprem', 8]]);
  });
});

describe('KubeFed RSP: an HPA wanting more than its member holds overflows', () => {
  it('on-prem holds 4, its HPA wants 12: the 8 go to burst', () => {
    const s = state(member('onprem', { [WEB]: { desired: 4, ready: 4, current: 4, hpa: hpa(12) } }), member('burst', { [WEB]: { fit: 50 } }));
    const out = kubefedRender(4, s);
    expect(replicasByCluster(out.rendered)).toEqual({ onprem: 4, burst: 8 });
    const lines = schedulingLines(out).join('\n');
    expect(lines).toContain('onprem: HPA web wants 12 (bounds 1..12), the member holds 4 (4 placed, 0 more fit): 8 to place elsewhere');
    expect(lines).toContain("The 8 go to the other clusters by the RSP's weights and maxima, each up to its room (what it holds less what the plan gave it): burst +8.");
    // The live inputs name the HPA too.
    expect(lines).toContain('onprem: 4 desired, 4 ready, 4 running, 0 pending (0 unschedulable), room for 0 more (free: pods 100); HPA web wants 12 (bounds 1..12)');
  });
  it('the HPA has scaled the workload already: its pending pods count for nothing, the result is the same', () => {
    const s = state(member('onprem', { [WEB]: { desired: 12, ready: 4, current: 4, pending: 8, unschedulable: 8, hpa: hpa(12) } }), member('burst', { [WEB]: { fit: 50 } }));
    expect(replicasByCluster(kubefedRender(4, s).rendered)).toEqual({ onprem: 4, burst: 8 });
  });
  it('once burst runs the overflow, the same state renders the same (no flapping)', () => {
    const s = state(member('onprem', { [WEB]: { desired: 12, ready: 4, current: 4, pending: 8, hpa: hpa(12) } }), member('burst', { [WEB]: { desired: 8, ready: 8, current: 8, fit: 42 } }));
    expect(replicasByCluster(kubefedRender(4, s).rendered)).toEqual({ onprem: 4, burst: 8 });
  });
  it('without rebalance too: the running overflow is not preallocated into the plan, so nothing moves twice', () => {
    const s = state(member('onprem', { [WEB]: { desired: 12, ready: 4, current: 4, pending: 8, hpa: hpa(12) } }), member('burst', { [WEB]: { desired: 8, ready: 8, current: 8, fit: 42 } }));
    const out = renderKubeFed({ ...input(kubefed(4).replace('rebalance: true', 'rebalance: false'), two), state: s });
    expect(replicasByCluster(out.rendered)).toEqual({ onprem: 4, burst: 8 });
  });
  it('an HPA the member can hold moves nothing', () => {
    const s = state(member('onprem', { [WEB]: { desired: 4, ready: 4, current: 4, fit: 10, hpa: hpa(12) } }), member('burst', { [WEB]: { fit: 50 } }));
    const out = kubefedRender(4, s);
    expect(replicasByCluster(out.rendered)).toEqual({ onprem: 4, burst: 0 });
    expect(schedulingLines(out).join('\n')).not.toContain('HPA demand');
  });
  it('the excess is divided by the RSP weights over the other clusters, each up to its room and maxReplicas', () => {
    const three = [cluster('onprem'), cluster('burst'), cluster('edge')];
    const s = state(
      member('onprem', { [WEB]: { desired: 4, ready: 4, current: 4, hpa: hpa(14, 20) } }),
      member('burst', { [WEB]: { fit: 50 } }),
      member('edge', { [WEB]: { fit: 2 } }),
    );
    // 10 over burst (weight 1, at most 6) and edge (weight 1, room 2): edge 2, burst 6; 2 left pending.
    const out = kubefedRender(4, s, three, 'onprem: {weight: 100}\n    burst: {weight: 1, maxReplicas: 6}\n    edge: {weight: 1}');
    expect(replicasByCluster(out.rendered)).toEqual({ onprem: 4, burst: 6, edge: 2 });
    expect(schedulingLines(out).join('\n')).toContain('2 could be placed nowhere: their pods stay pending where the HPA asked for them.');
  });
  it('a FederatedHorizontalPodAutoscaler of the workload: the receiving cluster\'s bounds are raised by what it runs for on-prem', () => {
    const fedHpa = `---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedHorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  template:
    spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 12}
  placement: {clusters: [{name: onprem}, {name: burst}]}
  overrides:
    - clusterName: burst
      clusterOverrides: [{path: /spec/maxReplicas, value: 6}]
`;
    const s = state(member('onprem', { [WEB]: { desired: 4, ready: 4, current: 4, hpa: hpa(12) } }), member('burst', { [WEB]: { fit: 50 } }));
    const out = renderKubeFed({ ...input(kubefed(4) + fedHpa, two), state: s });
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const specOf = (c: string) => out.rendered.find((r) => r.cluster === c && r.obj.kind === 'HorizontalPodAutoscaler')!.obj.spec;
    // On-prem has all 4 planned replicas, so its share is the whole 1..12; the RSP gave burst
    // none (share 0..0, as Karmada's), and it runs 8 for on-prem: 0+8 .. its own override 6 + 8.
    expect(specOf('onprem')).toMatchObject({ maxReplicas: 12 });
    expect(specOf('onprem')).not.toHaveProperty('minReplicas');
    expect(specOf('burst')).toMatchObject({ minReplicas: 8, maxReplicas: 14 });
    expect(schedulingLines(out).join('\n')).toContain('bounds raised on the clusters that run the overflow, by what each runs: burst 8..14.');
  });
  it('a not-ready member\'s HPA is not read (its replicas fail over as before)', () => {
    const s = state({ ...member('onprem', { [WEB]: { desired: 4, ready: 4, current: 4, hpa: hpa(12) } }), ready: false }, member('burst', { [WEB]: { fit: 50 } }));
    expect(replicasByCluster(kubefedRender(4, s).rendered)).toEqual({ burst: 4 });
  });
});

describe('Karmada Divided: an HPA wanting more than its member holds overflows, and the receiver\'s HPA bounds carry it', () => {
  const fleet = [cluster('member1'), cluster('member2'), cluster('member3')];
  const hpaTemplate = `---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: x, namespace: web}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: x}, minReplicas: 2, maxReplicas: 12}
` + '---\n' + propagationPolicy('x-hpa', 'web', 'autoscaling/v2', 'HorizontalPodAutoscaler', '    clusterAffinity: {clusterNames: [member1, member2, member3]}\n');
  const aggregatedOverflow = `    replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Aggregated}
    clusterAffinities:
      - affinityName: onprem
        clusterNames: [member1]
        overflowAffinities:
          - {affinityName: cloud, clusterNames: [member2]}
`;
  const karmada = (replicas: number, placement: string, s: ReturnType<typeof state>) => karmadaRender(replicas, placement, fleet, s, hpaTemplate);
  const bounds = (out: ReturnType<typeof karmada>) =>
    Object.fromEntries(out.rendered.filter((r) => r.obj.kind === 'HorizontalPodAutoscaler').map((r) => [r.cluster, `${(r.obj.spec as { minReplicas: number }).minReplicas}..${(r.obj.spec as { maxReplicas: number }).maxReplicas}`]));
  const lines = (out: ReturnType<typeof karmada>, key: string) => out.explanations.find((e) => e.object === key)!.scheduling.join('\n');
  const w = (desired: number, fit: number, extra: Partial<WorkloadState> = {}) => ({ [KWEB]: { desired, ready: desired, current: desired, fit, ...extra } });

  it('overflowAffinities: on-prem holds 4, its HPA wants 12; the 8 go to the overflow group, whose HPA gets 8..8', () => {
    const s = state(member('member1', w(4, 0, { hpa: hpa(12) })), member('member2', w(0, 50)), member('member3', w(0, 50)));
    const out = karmada(4, aggregatedOverflow, s);
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(replicasByCluster(out.rendered)).toEqual({ member1: 4, member2: 8 });
    expect(lines(out, KWEB)).toContain('member1: HPA web wants 12 (bounds 1..12), the member holds 4 (4 placed, 0 more fit): 8 to place elsewhere');
    // The overflowing cluster keeps the bounds of its own share; the receiver's are raised by what it runs for it.
    expect(bounds(out)).toEqual({ member1: '2..12', member2: '8..8', member3: '2..12' });
    expect(lines(out, 'autoscaling/HorizontalPodAutoscaler/web/x')).toContain("member2 runs 8 replica(s) that another cluster's HPA wants and that cluster cannot hold: its bounds are raised by 8, to 8..8");
  });
  it('once the HPA has scaled on-prem and the overflow runs in the cloud, the same state renders the same', () => {
    const s = state(member('member1', w(12, 0, { ready: 4, current: 4, pending: 8, hpa: hpa(12) })), member('member2', w(8, 42)), member('member3', w(0, 50)));
    const out = karmada(4, aggregatedOverflow, s);
    expect(replicasByCluster(out.rendered)).toEqual({ member1: 4, member2: 8 });
    expect(bounds(out)).toEqual({ member1: '2..12', member2: '8..8', member3: '2..12' });
  });
  it('static weights divide the excess over the other clusters by their weights', () => {
    const weighted = `    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        staticWeightList:
          - {targetCluster: {clusterNames: [member1]}, weight: 2}
          - {targetCluster: {clusterNames: [member2, member3]}, weight: 1}
`;
    const s = state(member('member1', w(4, 0, { hpa: hpa(10) })), member('member2', w(2, 10)), member('member3', w(2, 10)));
    const out = karmada(8, weighted, s);
    expect(replicasByCluster(out.rendered)).toEqual({ member1: 4, member2: 5, member3: 5 });
    // Bounds 2..12 divided by the own shares 4, 2, 2; member2 and member3 each raised by the 3 they run for member1.
    expect(bounds(out)).toEqual({ member1: '1..6', member2: '4..6', member3: '4..6' });
  });
  it('a Duplicated workload does not overflow: every cluster holds all of it already', () => {
    const s = state(member('member1', w(4, 0, { hpa: hpa(12) })), member('member2', w(4, 50)));
    const out = karmada(4, '    clusterAffinity: {clusterNames: [member1, member2]}\n', s);
    expect(replicasByCluster(out.rendered)).toEqual({ member1: 4, member2: 4 });
    expect(lines(out, KWEB)).not.toContain('HPA');
  });
});
