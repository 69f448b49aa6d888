import { describe, expect, it } from 'vitest';
import { MemberUnreachableError } from '../../../src/apply/member/member-client.js';
import { applyExitCode, buildReport, countActions, failedMember, federatedStatus, memberState, type MemberReport, type ObjectStatus } from '../../../src/apply/status/report.js';
import { ApplyError } from '../../../src/errors.js';
import { formatReport } from '../../../src/format/report.js';

const o = (key: string, action: ObjectStatus['action'], extra: Partial<ObjectStatus> = {}): ObjectStatus => ({ key, object: key.split('/').slice(1).join('/'), action, health: 'Ready', ...extra });

const down = (message: string) => new MemberUnreachableError('MemberUnreachable', message, { cluster: 'm' });

function member(cluster: string, objects: ObjectStatus[], state: MemberReport['state'] = memberState(objects, { atHead: true })): MemberReport {
  return { cluster, context: cluster, branchCommit: 'abcdef1234', sourceCommit: '1234567890', state, health: 'Ready', lastAttempt: 't', lastSynced: 't', counts: countActions(objects), objects };
}

describe('member state', () => {
  it('is Failed on any failed object, Drifted on reported drift, Progressing off head, Synced otherwise', () => {
    expect(memberState([o('/ConfigMap/a/x', 'unchanged')], { atHead: true })).toBe('Synced');
    expect(memberState([o('/ConfigMap/a/x', 'unchanged', { drift: ['/data/a'] })], { atHead: true })).toBe('Drifted');
    expect(memberState([o('/ConfigMap/a/x', 'failed')], { atHead: true })).toBe('Failed');
    expect(memberState([o('/ConfigMap/a/x', 'created')], { atHead: false })).toBe('Progressing');
    expect(memberState([], { atHead: true, fatal: 'boom' })).toBe('Failed');
  });

  it('keeps the last good state of an unreachable member', () => {
    const prev = member('m1', [o('/ConfigMap/a/x', 'created')]);
    const u = failedMember(prev, { cluster: 'm1', context: 'ctx' }, down('connect ECONNREFUSED'), 't2');
    expect(u).toMatchObject({ state: 'Unreachable', context: 'ctx', branchCommit: 'abcdef1234', lastSynced: 't', lastAttempt: 't2', message: 'connect ECONNREFUSED' });
    expect(u.objects).toHaveLength(1);
    expect(failedMember(undefined, { cluster: 'm2', context: 'm2' }, down('x'), 't')).toMatchObject({ state: 'Unreachable', objects: [], health: 'Ready' });
  });

  it('marks a member that failed as a whole Failed, still running what it ran', () => {
    const prev = { ...member('m1', [o('/ConfigMap/a/x', 'created')]), requests: 9 };
    const f = failedMember(prev, { cluster: 'm1', context: 'm1', fleet: 'shop' }, new ApplyError('InventoryCorrupt', 'inventory format "v9" is not v1'), 't2');
    expect(f).toMatchObject({ state: 'Failed', fleet: 'shop', branchCommit: 'abcdef1234', sourceCommit: '1234567890', lastSynced: 't', lastAttempt: 't2', message: 'inventory format "v9" is not v1' });
    expect(f.objects).toEqual(prev.objects);
    expect(f).not.toHaveProperty('requests');
    expect(failedMember(undefined, { cluster: 'm2', context: 'm2' }, 'not an Error', 't')).toMatchObject({ state: 'Failed', message: 'not an Error', objects: [], counts: countActions([]) });
  });
});

describe('federated status (KubeFed shape)', () => {
  it('is True when every member has the object, else CheckClusters with a reason per cluster', () => {
    const members = [
      member('m1', [o('apps/Deployment/a/web', 'unchanged'), o('/ConfigMap/a/cfg', 'created')]),
      member('m2', [o('apps/Deployment/a/web', 'failed', { message: 'boom' }), o('/ConfigMap/a/cfg', 'unchanged', { drift: ['/data/x'] })]),
      failedMember(member('m3', [o('apps/Deployment/a/web', 'unchanged'), o('/ConfigMap/a/old', 'pruned')]), { cluster: 'm3', context: 'm3' }, down('down'), 't'),
      member('m4', [o('/ConfigMap/a/solo', 'configured')]),
    ];
    const fed = federatedStatus(members);
    expect(fed.map((f) => f.key)).toEqual(['/ConfigMap/a/cfg', '/ConfigMap/a/solo', 'apps/Deployment/a/web']);
    expect(fed[0]).toEqual({
      key: '/ConfigMap/a/cfg',
      object: 'ConfigMap/a/cfg',
      conditions: [{ type: 'Propagation', status: 'False', reason: 'CheckClusters' }],
      clusters: [{ name: 'm1', status: '' }, { name: 'm2', status: 'Drifted' }],
    });
    expect(fed[1]!.conditions[0]).toEqual({ type: 'Propagation', status: 'True', reason: '' });
    expect(fed[2]!.clusters).toEqual([{ name: 'm1', status: '' }, { name: 'm2', status: 'ApplyFailed' }, { name: 'm3', status: 'ClusterNotReady' }]);
  });
});

describe('report formats', () => {
  const report = buildReport('repo@rendered', [member('m2', [o('/ConfigMap/a/x', 'unchanged')]), member('m1', [o('/ConfigMap/a/x', 'created'), o('/ConfigMap/a/y', 'failed', { message: 'quota' })])], {
    branchCommit: 'abcdef1234',
    sourceCommit: '1234567890',
    now: '2026-01-01T00:00:00Z',
  });

  it('sorts members and prints a table with only the objects worth a look', () => {
    const text = formatReport(report, 'table');
    const lines = text.split('\n');
    expect(lines[0]).toBe('Propagation of repo@rendered at abcdef1 (source 1234567), 2026-01-01T00:00:00Z');
    expect(lines[2]).toMatch(/^CLUSTER\s+STATE\s+HEALTH\s+BRANCH\s+SOURCE\s+LAST SYNCED\s+OBJECTS\s+MESSAGE$/);
    expect(lines[3]).toMatch(/^m1\s+Failed\s+Ready\s+abcdef1\s+1234567/);
    expect(lines[4]).toMatch(/^m2\s+Synced/);
    expect(text).toContain('ConfigMap/a/y');
    expect(text).toMatch(/m1\s+ConfigMap\/a\/x\s+created/);
    expect(text).not.toMatch(/m2\s+ConfigMap\/a\/x/);
    expect(text).toContain('Federated objects: 1 of 2 propagated');
    expect(text).toMatch(/ConfigMap\/a\/y\s+False\/CheckClusters\s+m1=ApplyFailed/);
  });

  it('names the fleet when the report has one', () => {
    const named = buildReport('repo@rendered', [], { fleet: 'shop', branchCommit: 'abcdef1234', now: '2026-01-01T00:00:00Z' });
    expect(formatReport(named, 'table').split('\n')[0]).toBe('Propagation of repo@rendered (fleet shop) at abcdef1, 2026-01-01T00:00:00Z');
    expect(JSON.parse(formatReport(named, 'json')).fleet).toBe('shop');
  });

  it('prints Markdown tables and round-trips JSON', () => {
    const md = formatReport(report, 'markdown');
    expect(md).toContain('| CLUSTER | STATE | HEALTH |');
    expect(md).toContain('|---|---|');
    expect(JSON.parse(formatReport(report, 'json'))).toEqual(report);
  });
});

describe('applyExitCode', () => {
  const ok = member('a', [{ key: 'k', object: 'ConfigMap/n/x', action: 'unchanged' } as ObjectStatus], 'Synced');
  const created = member('a', [{ key: 'k', object: 'ConfigMap/n/x', action: 'created' } as ObjectStatus], 'Synced');
  const down = member('b', [], 'Unreachable');
  const report = (...ms: MemberReport[]) => buildReport('src', ms, { now: 't' });

  it('fails on a member it reconciled, not on one it only carries from an earlier run', () => {
    expect(applyExitCode(report(ok, down), {})).toBe(2);
    expect(applyExitCode(report(ok, down), { clusters: ['a'] })).toBe(0);
  });

  it('reports pending changes of a dry run, on the selected members only', () => {
    expect(applyExitCode(report(created), { dryRun: true })).toBe(1);
    expect(applyExitCode(report(created), {})).toBe(0);
    expect(applyExitCode(report(created, { ...down, state: 'Synced' }), { dryRun: true, clusters: ['b'] })).toBe(0);
  });
});
