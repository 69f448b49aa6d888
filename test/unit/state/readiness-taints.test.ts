/**
 * Taints from observed readiness, honoured with tolerationSeconds measured against the state's
 * observation time (never the clock). Vectors from upstream's pkg/util/helper/taint_test.go
 * (TestGetMinTolerationTimeWithCurrentTime, TestGetMatchingTolerations).
 */
import { describe, expect, it } from 'vitest';
import { noExecuteEviction } from '../../../src/render/karmada/tolerations.js';
import type { Toleration } from '../../../src/render/karmada/model.js';
import { withReadinessTaints } from '../../../src/render/live.js';
import type { Taint } from '../../../src/render/types.js';
import { formatTime, timeOf, type FleetState } from '../../../src/state/model.js';
import { cluster, replicasByCluster } from '../kubefed/fleet.js';
import { karmadaRender, KWEB, member } from './live-fleet.js';

const FIXED = timeOf('2025-09-23T12:00:00Z');
const taint = (key: string, timeAdded?: number): Taint => ({ key, value: 'value', effect: 'NoExecute', ...(timeAdded !== undefined ? { timeAdded } : {}) });
const tol = (key: string, seconds?: number): Toleration => ({ key, operator: 'Exists', effect: 'NoExecute', ...(seconds !== undefined ? { tolerationSeconds: seconds } : {}) });

describe('noExecuteEviction: upstream GetMinTolerationTimeWithCurrentTime vectors', () => {
  it('no NoExecute taints: tolerated forever', () => expect(noExecuteEviction([], [tol('key', 60)], FIXED)).toEqual({ evict: false }));
  it('no tolerations used: evicted at once', () => expect(noExecuteEviction([taint('key', FIXED)], [], FIXED)).toEqual({ evict: true, untolerated: taint('key', FIXED) }));
  it('tolerated for 60 s from now: 60 s left', () => expect(noExecuteEviction([taint('key', FIXED)], [tol('key', 60)], FIXED)).toEqual({ evict: false, until: FIXED + 60 }));
  it('a toleration without tolerationSeconds: forever', () => expect(noExecuteEviction([taint('key', FIXED)], [tol('key')], FIXED)).toEqual({ evict: false }));
  it('a taint without timeAdded: forever', () => expect(noExecuteEviction([taint('key')], [tol('key', 60)], FIXED)).toEqual({ evict: false }));
  it('the earliest trigger time of all wins', () => {
    expect(noExecuteEviction([taint('key1', FIXED), taint('key2', FIXED)], [tol('key1', 120), tol('key2', 60)], FIXED)).toEqual({ evict: false, until: FIXED + 60 });
  });
  it('trigger time is up: added 2 minutes ago, tolerated 60 s', () => {
    expect(noExecuteEviction([taint('key', FIXED - 120)], [tol('key', 60)], FIXED)).toEqual({ evict: true, ranOut: FIXED - 60 });
  });
  it('trigger time exactly now evicts (upstream: 0 left means evict)', () => {
    expect(noExecuteEviction([taint('key', FIXED - 60)], [tol('key', 60)], FIXED)).toMatchObject({ evict: true });
  });
  it('one taint of two not tolerated: evicted at once, whatever the other toleration (GetMatchingTolerations)', () => {
    expect(noExecuteEviction([taint('key1', FIXED), taint('key2', FIXED)], [tol('key1', 600)], FIXED)).toEqual({ evict: true, untolerated: taint('key2', FIXED) });
  });
  it('NoSchedule taints are not the taint manager\'s', () => {
    expect(noExecuteEviction([{ key: 'key', effect: 'NoSchedule', timeAdded: FIXED }], [], FIXED)).toEqual({ evict: false });
  });
});

const T0 = '2026-01-01T00:00:00Z';
const fleet = [cluster('onprem'), cluster('cloud')];
const dynamic = '    replicaScheduling: {replicaSchedulingType: Divided, weightPreference: {dynamicWeight: AvailableReplicas}}\n';
const grace = (seconds: string) => `    clusterTolerations: [{key: cluster.karmada.io/not-ready, operator: Exists, effect: NoExecute${seconds}}]\n`;
/** onprem went not ready at T0 holding `held` replicas; the state was observed `after` seconds later. */
function observed(after: number, held = 4): FleetState {
  const members = [member('onprem', { [KWEB]: { desired: held, ready: held, current: held } }, false, T0), member('cloud', { [KWEB]: { fit: 20 } })];
  return { commit: 'c'.repeat(40), observedAt: timeOf(T0) + after, members: new Map(members.map((m) => [m.cluster, m])) };
}

describe('readiness taints in a render with observed state', () => {
  it('a member not ready gets not-ready NoSchedule and NoExecute, added when it stopped being ready', () => {
    const [onprem, cloud] = withReadinessTaints(fleet, observed(0));
    expect(onprem!.taints).toEqual([
      { key: 'cluster.karmada.io/not-ready', effect: 'NoSchedule', timeAdded: timeOf(T0) },
      { key: 'cluster.karmada.io/not-ready', effect: 'NoExecute', timeAdded: timeOf(T0) },
    ]);
    expect(cloud!.taints).toEqual([]);
  });

  it('tolerationSeconds 300: the replicas stay for 299 s after the member went not ready, and move at 300 s', () => {
    const placement = grace(', tolerationSeconds: 300') + dynamic;
    const early = karmadaRender(4, placement, fleet, observed(299));
    expect(replicasByCluster(early.rendered)).toEqual({ onprem: 4 });
    expect(early.explanations.find((e) => e.object === KWEB)!.placement.join('\n')).toContain(`onprem: passes the filters (taint cluster.karmada.io/not-ready:NoSchedule is not checked: it holds replicas, and upstream skips the taint filter for a cluster already scheduled); its NoExecute taints are tolerated until ${formatTime(timeOf(T0) + 300)}.`);
    const late = karmadaRender(4, placement, fleet, observed(300));
    expect(replicasByCluster(late.rendered)).toEqual({ cloud: 4 });
    expect(late.explanations.find((e) => e.object === KWEB)!.placement).toContain(`onprem: excluded, evicted: its NoExecute taints were tolerated until 2026-01-01T00:05:00Z, and the state was observed at 2026-01-01T00:05:00Z.`);
  });

  it('no toleration: evicted at once; a toleration without seconds: kept as long as it is not ready', () => {
    expect(replicasByCluster(karmadaRender(4, dynamic, fleet, observed(0)).rendered)).toEqual({ cloud: 4 });
    expect(replicasByCluster(karmadaRender(4, grace('') + dynamic, fleet, observed(86_400)).rendered)).toEqual({ onprem: 4 });
  });

  it('NoSchedule at once: a not-ready member that holds nothing gets nothing new, even within the toleration', () => {
    const out = karmadaRender(4, grace(', tolerationSeconds: 300') + dynamic, fleet, observed(10, 0));
    expect(replicasByCluster(out.rendered)).toEqual({ cloud: 4 });
    expect(out.explanations.find((e) => e.object === KWEB)!.placement).toContain('onprem: excluded, taint cluster.karmada.io/not-ready:NoSchedule is not tolerated by clusterTolerations.');
  });

  it('without a commit time, the latest time in the documents stands in (a lower bound, never the clock)', () => {
    const s = observed(0);
    const { observedAt: _drop, ...noTime } = s;
    expect(replicasByCluster(karmadaRender(4, grace(', tolerationSeconds: 300') + dynamic, fleet, noTime).rendered)).toEqual({ onprem: 4 });
  });
});
