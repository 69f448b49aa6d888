/** KubeFed's status of one federated object, from render's placement and the propagation report. */
import { describe, expect, it } from 'vitest';
import { federatedObjectStatus, type Placement } from '../../../src/apply/status/object-status.js';
import { countActions, type MemberReport, type ObjectStatus, type PropagationReport } from '../../../src/apply/status/report.js';

const KEY = 'apps/Deployment/shop/web';
const OBJ = 'Deployment/shop/web';

function line(extra: Partial<ObjectStatus> = {}): ObjectStatus {
  return { key: KEY, object: OBJ, action: 'unchanged', health: 'Ready', ...extra };
}

function member(cluster: string, objects: ObjectStatus[], extra: Partial<MemberReport> = {}): MemberReport {
  return { cluster, context: cluster, branchCommit: 'b'.repeat(40), state: 'Synced', health: 'Ready', lastAttempt: '2026-01-01T00:00:00Z', counts: countActions(objects), objects, ...extra };
}

function report(...members: MemberReport[]): PropagationReport {
  return { source: 'repo', generatedAt: '2026-01-01T00:00:00Z', members, federated: [] };
}

const placed = (...clusters: string[]): Placement => new Map(clusters.map((c) => [c, { key: KEY, object: OBJ }]));

describe('federatedObjectStatus', () => {
  it('is True with no reason, and no status per cluster, when every placed member runs the object', () => {
    const s = federatedObjectStatus('FederatedDeployment/shop/web', placed('a', 'b'), report(member('a', [line()]), member('b', [line({ action: 'configured' })])));
    expect(s.status).toEqual({
      conditions: [{ type: 'Propagation', status: 'True' }],
      clusters: [{ name: 'a', object: OBJ }, { name: 'b', object: OBJ }],
    });
    expect(s.reportedAt).toBe('2026-01-01T00:00:00Z');
  });

  it('names upstream reasons per cluster and CheckClusters as the condition reason', () => {
    const s = federatedObjectStatus('FederatedDeployment/shop/web', placed('create', 'update', 'down', 'foreign', 'never', 'behind', 'drift'), report(
      member('create', [line({ action: 'failed', health: undefined, message: 'admission webhook denied' })], { state: 'Failed' }),
      member('update', [line({ action: 'failed', message: 'field is immutable' })], { state: 'Failed' }),
      member('down', [line()], { state: 'Unreachable', message: 'connect ECONNREFUSED' }),
      member('foreign', [line({ action: 'failed', message: 'owned by fleet "other"; not applied' })], { state: 'Failed' }),
      member('behind', [], { state: 'Progressing' }),
      member('drift', [line({ drift: ['/spec/replicas'], message: 'drifted; not corrected (drift policy report)' })], { state: 'Drifted' }),
    ));
    expect(s.status.conditions).toEqual([{ type: 'Propagation', status: 'False', reason: 'CheckClusters' }]);
    expect(Object.fromEntries(s.status.clusters.map((c) => [c.name, c.status]))).toEqual({
      create: 'CreationFailed', update: 'UpdateFailed', down: 'ClusterNotReady', foreign: 'AlreadyExists', never: 'ClusterNotReady', behind: 'Pending', drift: 'Drifted',
    });
    expect(s.status.clusters.find((c) => c.name === 'down')!.message).toBe('connect ECONNREFUSED');
    expect(s.status.clusters.find((c) => c.name === 'drift')!.message).toContain('/spec/replicas');
  });

  it('lists a member that still holds the object render no longer places there as WaitingForRemoval, or DeletionFailed', () => {
    const s = federatedObjectStatus('FederatedDeployment/shop/web', placed('a'), report(
      member('a', [line()]),
      member('left', [line()]),
      member('stuck', [line({ action: 'failed', message: 'delete failed: forbidden' })]),
      member('gone', [line({ action: 'pruned' })]),
    ));
    expect(s.status.clusters.map((c) => [c.name, c.status])).toEqual([['a', undefined], ['left', 'WaitingForRemoval'], ['stuck', 'DeletionFailed']]);
    expect(s.status.conditions[0].status).toBe('False');
  });

  it('is True for an object placed nowhere, as upstream with no selected cluster', () => {
    expect(federatedObjectStatus('FederatedDeployment/shop/web', new Map(), undefined)).toEqual({
      object: 'FederatedDeployment/shop/web',
      status: { conditions: [{ type: 'Propagation', status: 'True' }], clusters: [] },
    });
  });
});
