import { describe, expect, it } from 'vitest';
import { countActions, type MemberReport, type ObjectStatus } from '../../../src/apply/status/report.js';
import { asSeenAt, conditionsFor, displayOf, humanAge, reportOf, STATUS_BUDGET_BYTES, statusName, statusObject, type MemberStatusObject } from '../../../src/controller/status-object.js';
import { fleetReport } from '../../../src/controller/fleet-report.js';

const NOW = '2026-05-01T10:00:00.000Z';
const obj = (i: number, action: ObjectStatus['action'] = 'unchanged', extra: Partial<ObjectStatus> = {}): ObjectStatus => ({ key: `/ConfigMap/team/cm-${String(i).padStart(6, '0')}`, object: `ConfigMap/team/cm-${String(i).padStart(6, '0')}`, action, health: 'Ready', ...extra });

function report(objects: ObjectStatus[], over: Partial<MemberReport> = {}): MemberReport {
  return { cluster: 'eu-1', context: 'eu-1', fleet: 'shop', branchCommit: 'b'.repeat(40), sourceCommit: 's'.repeat(40), state: 'Synced', health: 'Ready', lastSynced: NOW, lastAttempt: NOW, counts: countActions(objects), objects, requests: 3, ...over };
}

describe('MemberStatus objects', () => {
  it('round-trip a report, with what the object adds', () => {
    const r = report([obj(1, 'created'), obj(2, 'failed', { message: 'denied', health: undefined }), { key: 'clusters/eu-1/x.yaml', object: 'clusters/eu-1/x.yaml', action: 'failed', file: 'clusters/eu-1/x.yaml', message: 'line 3: bad' }], { state: 'Failed', message: '2 failed' });
    const o = statusObject('gitfed', 'eu-1', r, { replica: 'r1', observedAt: NOW, headCommit: 'c'.repeat(40), source: 'https://example.com/fleet.git' });
    expect(o).toMatchObject({ apiVersion: 'gitfed.io/v1alpha1', kind: 'MemberStatus', metadata: { name: 'eu-1', namespace: 'gitfed', labels: { 'gitfed.io/fleet': 'shop' } }, spec: { member: 'eu-1' } });
    const back = reportOf(JSON.parse(JSON.stringify(o)) as MemberStatusObject);
    expect(back.extra).toEqual({ replica: 'r1', observedAt: NOW, headCommit: 'c'.repeat(40), source: 'https://example.com/fleet.git' });
    expect(back.report).toEqual({ ...r, objects: [...r.objects].sort((a, b) => (a.action === 'failed' ? 0 : 1) - (b.action === 'failed' ? 0 : 1) || (a.key < b.key ? -1 : 1)) });
    expect(back.conditions.map((c) => [c.type, c.status])).toEqual([['Ready', 'False'], ['Reachable', 'True'], ['Fighting', 'False']]);
  });

  it('stay within the budget however many objects, keeping failures first and every count exact', () => {
    const objects = Array.from({ length: 50_000 }, (_, i) => obj(i, i % 1000 === 7 ? 'failed' : 'unchanged', i % 1000 === 7 ? { message: 'x'.repeat(5000) } : {}));
    const r = report(objects, { state: 'Failed', message: 'm'.repeat(10_000) });
    const o = statusObject('gitfed', 'eu-1', r, { observedAt: NOW });
    expect(Buffer.byteLength(JSON.stringify(o))).toBeLessThanOrEqual(STATUS_BUDGET_BYTES);
    const back = reportOf(o);
    expect(back.report.counts).toEqual(countActions(objects));
    expect(back.report.objects.slice(0, 50).every((x) => x.action === 'failed')).toBe(true);
    expect(back.report.objects[0]!.message!.length).toBe(512);
    expect(back.report.message!.length).toBe(1024);
    expect(back.extra.objectsOmitted).toBe(50_000 - back.report.objects.length);
    expect(back.report.objects.length).toBeGreaterThan(1000);
  });

  it('keep a condition\'s transition time while its status holds', () => {
    const first = conditionsFor('Synced', undefined, [], 't1');
    const same = conditionsFor('Synced', undefined, first, 't2');
    expect(same.map((c) => c.lastTransitionTime)).toEqual(['t1', 't1', 't1']);
    const down = conditionsFor('Unreachable', 'no answer', same, 't3');
    expect(down.find((c) => c.type === 'Reachable')).toMatchObject({ status: 'False', lastTransitionTime: 't3', message: 'no answer' });
    expect(down.find((c) => c.type === 'Fighting')!.lastTransitionTime).toBe('t1');
    expect(conditionsFor('Fighting', 'x', down, 't4').find((c) => c.type === 'Fighting')).toMatchObject({ status: 'True', lastTransitionTime: 't4' });
  });

  it('are named after the member, or a safe form of it', () => {
    expect(statusName('cloud-eu-1')).toBe('cloud-eu-1');
    const odd = statusName('Cloud_EU.1');
    expect(odd).toMatch(/^cloud-eu-1-[0-9a-f]{8}$/);
    expect(statusName('Cloud_EU.2')).not.toBe(odd);
    expect(displayOf('apps/Deployment/shop/web')).toBe('Deployment/shop/web');
    expect(displayOf('/Namespace//shop')).toBe('Namespace/shop');
    expect(displayOf('clusters/a/b.yaml')).toBe('clusters/a/b.yaml');
  });

  it('read unknown values as their safest meaning', () => {
    const back = reportOf({ apiVersion: 'gitfed.io/v1alpha1', kind: 'MemberStatus', metadata: { name: 'x' }, spec: { member: 'x' }, status: { state: 'Bogus', objects: [{ key: 'k', action: 'exploded' }, 'nope'] } });
    expect(back.report.state).toBe('Progressing');
    expect(back.report.objects).toEqual([]);
  });
});

describe('what readers see', () => {
  const now = Date.parse(NOW);
  it('an Unreachable member with its last known state and its age', () => {
    const r = asSeenAt(report([], { state: 'Unreachable', message: 'connect ECONNREFUSED', lastSynced: '2026-05-01T09:56:48.000Z' }), { observedAt: NOW }, now, 600_000);
    expect(r).toMatchObject({ state: 'Unreachable', message: 'connect ECONNREFUSED; last synced 3m12s ago at bbbbbbb' });
  });

  it('a status nobody wrote for too long as Unreachable, never a stale Synced', () => {
    const r = asSeenAt(report([]), { observedAt: '2026-05-01T09:30:00.000Z' }, now, 600_000);
    expect(r.state).toBe('Unreachable');
    expect(r.message).toBe('no gitfed replica has reported for 30m; last known: Synced, last synced 0s ago at bbbbbbb');
    expect(asSeenAt(report([]), { observedAt: '2026-05-01T09:55:00.000Z' }, now, 600_000).state).toBe('Synced');
  });

  it('ages for people', () => {
    expect([humanAge(5_000), humanAge(192_000), humanAge(7_500_000), humanAge(3 * 86_400_000 + 4 * 3_600_000)]).toEqual(['5s', '3m12s', '2h5m', '3d4h']);
  });

  it('the fleet from every member\'s object, at the newest head', () => {
    const a = statusObject('g', 'a', report([obj(1)], { cluster: 'a' }), { observedAt: '2026-05-01T09:59:00.000Z', headCommit: 'old', source: 's' });
    const b = statusObject('g', 'b', report([obj(1, 'failed')], { cluster: 'b', state: 'Failed' }), { observedAt: '2026-05-01T09:59:30.000Z', headCommit: 'new', source: 's', replica: 'r2' });
    const f = fleetReport([a, b], { now });
    expect(f.members.map((m) => m.cluster)).toEqual(['a', 'b']);
    expect(f.branchCommit).toBe('new');
    expect(f.federated[0]!.clusters).toEqual([{ name: 'a', status: '' }, { name: 'b', status: 'ApplyFailed' }]);
    expect(f.writers.b!.replica).toBe('r2');
  });
});
