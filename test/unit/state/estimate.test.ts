/**
 * Karmada's general estimator (`pkg/estimator/client/general_test.go`, reference/control-plane.md
 * §3.2) and KubeFed's pod analysis (`podanalyzer/pod_helper_test.go`), through the functions the
 * observer uses on real nodes and pods.
 */
import { describe, expect, it } from 'vitest';
import { analyzePods, freeResources, generalEstimate, podRequest, roundFree } from '../../../src/state/estimate.js';

const node = (allocatable: Record<string, string>) => ({ status: { allocatable } });
const pod = (requests: Record<string, string>, extra: Record<string, unknown> = {}) => ({ spec: { nodeName: 'n1', containers: [{ name: 'c', resources: { requests } }] }, status: { phase: 'Running' }, ...extra });

describe('general estimator vectors', () => {
  it('cpu 3000m/500m, memory 6Gi/1Gi, pods 80: 6', () => {
    const free = freeResources([node({ pods: '100', cpu: '4', memory: '8Gi' })], [pod({ cpu: '1', memory: '2Gi' }), ...Array.from({ length: 19 }, () => pod({}))]);
    expect(free.get('pods')).toBe(80);
    expect(generalEstimate(free, podRequest({ containers: [{ resources: { requests: { cpu: '500m', memory: '1Gi' } } }] }))).toBe(6);
  });
  it('memory 0.5Gi left for a 1Gi request: 0', () => {
    const free = freeResources([node({ pods: '110', cpu: '4', memory: '2Gi' })], [pod({ cpu: '1', memory: '1536Mi' })]);
    expect(generalEstimate(free, podRequest({ containers: [{ resources: { requests: { cpu: '500m', memory: '1Gi' } } }] }))).toBe(0);
  });
  it('pods 10 of 10 used: 0', () => {
    const free = freeResources([node({ pods: '10' })], Array.from({ length: 10 }, () => pod({})));
    expect(generalEstimate(free, undefined)).toBe(0);
  });
  it('no requirements: the pods allowed', () => {
    expect(generalEstimate(freeResources([node({ pods: '10' })], []), undefined)).toBe(10);
  });
  it('pending pods count as allocating: 100 - 40 - 10 = 50', () => {
    const pending = { spec: { containers: [] }, status: { phase: 'Pending' } };
    const free = freeResources([node({ pods: '100' })], [...Array.from({ length: 40 }, () => pod({})), ...Array.from({ length: 10 }, () => pending)]);
    expect(generalEstimate(free, new Map([['pods', 1]]))).toBe(50);
  });
  it('more used than allocatable: 0, never negative', () => {
    const free = freeResources([node({ pods: '100' })], Array.from({ length: 110 }, () => pod({})));
    expect(generalEstimate(free, undefined)).toBe(0);
  });
  it('no nodes (no resource summary): 0', () => {
    expect(generalEstimate(freeResources([], []), podRequest({ containers: [] }))).toBe(0);
  });
  it('finished pods hold nothing; init containers and overhead count as upstream', () => {
    const done = { ...pod({ cpu: '4' }), status: { phase: 'Succeeded' } };
    expect(freeResources([node({ cpu: '4', pods: '10' })], [done]).get('cpu')).toBe(4000);
    const r = podRequest({ containers: [{ resources: { requests: { cpu: '100m' } } }, { resources: { requests: { cpu: '200m' } } }], initContainers: [{ resources: { requests: { cpu: '500m' } } }], overhead: { cpu: '50m' } });
    expect(r.get('cpu')).toBe(550);
  });
  it('a resource the request names but the cluster does not report fits 0', () => {
    expect(generalEstimate(freeResources([node({ pods: '10', cpu: '4' })], []), new Map([['nvidia.com/gpu', 1]]))).toBe(0);
  });
  it('rounds free resources down for the document', () => {
    expect(roundFree(new Map([['cpu', 2505], ['memory', 2 ** 30 + 5], ['pods', 7]]))).toEqual({ cpu: '2500m', memory: '1024Mi', pods: '7' });
  });
});

describe('KubeFed pod analysis (pod_helper_test)', () => {
  it('3 running and ready, 2 unschedulable for 10 min, 1 since now: 6 total, 3, 2, recheck', () => {
    const now = Date.parse('2026-01-01T12:00:00Z') / 1000;
    const running = { spec: { nodeName: 'n1' }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } };
    const stuck = (at: string) => ({ status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', lastTransitionTime: at }] } });
    const r = analyzePods([running, running, running, stuck('2026-01-01T11:50:00Z'), stuck('2026-01-01T11:50:00Z'), stuck('2026-01-01T12:00:00Z')], now);
    expect(r).toEqual({ total: 6, pending: 3, runningAndReady: 3, unschedulable: 2, recheck: true });
  });
  it('a Ready condition counts whatever its status (as upstream)', () => {
    expect(analyzePods([{ status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } }], 0).runningAndReady).toBe(1);
  });
});
