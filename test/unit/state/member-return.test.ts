/**
 * A member's return: after failover, the member that was not ready is ready again. What moves back
 * follows upstream. KubeFed plans every ReplicaSchedulingPreference again when a cluster becomes
 * available (`ClusterAvailable`), so with `rebalance` the weights bring the replicas back. Karmada
 * reschedules a Divided binding only when its replicas or placement change or a reschedule is
 * asked for (`doScheduleBinding`), and with clusterAffinities from the term it observed last
 * (`getAffinityIndex`): Divided replicas stay where they failed over to. Duplicated bindings are
 * scheduled on every cluster change, so the returned member gets its copy back.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderKubeFed } from '../../../src/render/kubefed/index.js';
import type { FleetState } from '../../../src/state/model.js';
import { cluster, input, replicasByCluster } from '../kubefed/fleet.js';
import { karmadaRender, KWEB, member, state } from './live-fleet.js';

const WEB = 'apps/Deployment/shop/web';
/** Seed example 2 (examples/overflow): on-prem weight 100, burst 1, 4 replicas. */
const kubefed = (rebalance: boolean) => readFileSync(new URL('../../../examples/overflow/shop.yaml', import.meta.url), 'utf8').replace('rebalance: true', `rebalance: ${rebalance}`);
const kubefedRender = (rebalance: boolean, s: FleetState) => replicasByCluster(renderKubeFed({ ...input(kubefed(rebalance), [cluster('onprem'), cluster('burst')]), state: s }).rendered);
const running = (n: number, fit = 20) => ({ desired: n, ready: n, current: n, fit });

describe('KubeFed: a member that returns is planned again', () => {
  const away = state(member('onprem', { [WEB]: running(4, 0) }, false), member('burst', { [WEB]: running(0, 50) }));
  const back = state(member('onprem', {}), member('burst', { [WEB]: running(4, 46) }));
  it('not ready: its replicas go to burst', () => {
    expect(kubefedRender(true, away)).toEqual({ burst: 4 });
  });
  it('with rebalance, the weights bring them back once it is ready again', () => {
    expect(kubefedRender(true, back)).toEqual({ onprem: 4, burst: 0 });
  });
  it('without rebalance, replicas running on burst are kept there: nothing moves back', () => {
    expect(kubefedRender(false, back)).toEqual({ onprem: 0, burst: 4 });
  });
  it('without rebalance, what the returned member still runs counts as running there (upstream reads its current replicas)', () => {
    const stale = state(member('onprem', { [WEB]: running(4, 0) }), member('burst', { [WEB]: running(4, 46) }));
    expect(kubefedRender(false, stale)).toEqual({ onprem: 4, burst: 0 });
  });
});

const fleet = [cluster('onprem'), cluster('cloud-a'), cluster('cloud-b')];
const terms = `    clusterAffinities:
    - {affinityName: primary, clusterNames: [onprem]}
    - {affinityName: backup, clusterNames: [cloud-a, cloud-b]}
`;
const aggregated = '    replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Aggregated}';
const dynamic = '    replicaScheduling: {replicaSchedulingType: Divided, weightPreference: {dynamicWeight: AvailableReplicas}}';
const all = '    clusterAffinity: {clusterNames: [onprem, cloud-a, cloud-b]}\n';
const karmada = (replicas: number, placement: string, s: FleetState) => karmadaRender(replicas, placement, fleet, s);

describe('Karmada: a member that returns', () => {
  const returned = state(member('onprem', { [KWEB]: { fit: 8 } }), member('cloud-a', { [KWEB]: running(4, 16) }), member('cloud-b', { [KWEB]: { fit: 3 } }));
  it('clusterAffinities: the replicas stay in the later term they failed over to', () => {
    const out = karmada(4, terms + aggregated, returned);
    expect(replicasByCluster(out.rendered)).toEqual({ 'cloud-a': 4 });
    const placement = out.explanations.flatMap((e) => e.placement).join('\n');
    expect(placement).toContain('The replicas are in term backup in state aaaaaaa (held by cloud-a (term backup)): scheduling starts there');
    expect(placement).not.toContain('clusterAffinities term 0 (primary)');
  });
  it('clusterAffinities: its old copies, until apply removes them, do not pull the replicas back', () => {
    const stale = state(member('onprem', { [KWEB]: running(4, 4) }), member('cloud-a', { [KWEB]: running(4, 16) }), member('cloud-b', { [KWEB]: { fit: 3 } }));
    expect(replicasByCluster(karmada(4, terms + aggregated, stale).rendered)).toEqual({ 'cloud-a': 4 });
  });
  it('clusterAffinities: a scale-up is scheduled in the term observed, and when it cannot hold them the earlier term is not tried', () => {
    expect(replicasByCluster(karmada(6, terms + aggregated, returned).rendered)).toEqual({ 'cloud-a': 6 });
    const out = karmada(30, terms + aggregated, returned);
    expect(out.diagnostics.find((d) => d.severity === 'error')?.code).toBe('SchedulingFailed');
  });
  it('clusterAffinities: when the term observed fails too, the earlier term is not tried again (upstream clears the result)', () => {
    const down = (name: string) => member(name, { [KWEB]: running(name === 'cloud-a' ? 4 : 0, 16) }, false, '2025-12-31T23:00:00Z');
    const out = karmada(4, terms + aggregated, state(member('onprem', { [KWEB]: { fit: 8 } }), down('cloud-a'), down('cloud-b')));
    expect(out.diagnostics.map((d) => d.code)).toContain('NoClusterFit');
    expect(replicasByCluster(out.rendered)).toEqual({});
    expect(out.explanations.flatMap((e) => e.placement).join('\n')).not.toContain('term 0 (primary)');
  });
  it('clusterAffinities: with nothing held anywhere, scheduling starts from the first term', () => {
    const fresh = state(member('onprem', { [KWEB]: { fit: 8 } }), member('cloud-a', { [KWEB]: { fit: 16 } }), member('cloud-b', { [KWEB]: { fit: 3 } }));
    expect(replicasByCluster(karmada(4, terms + aggregated, fresh).rendered)).toEqual({ onprem: 4 });
  });
  it('Divided by dynamic weights: the replicas held elsewhere are the whole, so nothing moves back', () => {
    expect(replicasByCluster(karmada(4, all + dynamic, returned).rendered)).toEqual({ 'cloud-a': 4 });
    expect(replicasByCluster(karmada(4, all + aggregated, returned).rendered)).toEqual({ 'cloud-a': 4 });
  });
  it('Duplicated: the returned member gets its copy back', () => {
    const duplicated = `${all}    replicaScheduling: {replicaSchedulingType: Duplicated}`;
    const away = state(member('onprem', { [KWEB]: running(2, 8) }, false), member('cloud-a', { [KWEB]: running(2, 16) }), member('cloud-b', { [KWEB]: running(2, 3) }));
    expect(replicasByCluster(karmada(2, duplicated, away).rendered)).toEqual({ 'cloud-a': 2, 'cloud-b': 2 });
    const back = state(member('onprem', { [KWEB]: { fit: 8 } }), member('cloud-a', { [KWEB]: running(2, 16) }), member('cloud-b', { [KWEB]: running(2, 3) }));
    expect(replicasByCluster(karmada(2, duplicated, back).rendered)).toEqual({ onprem: 2, 'cloud-a': 2, 'cloud-b': 2 });
  });
});
