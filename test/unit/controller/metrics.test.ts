/** The controller's metrics as Prometheus reads them: parsed with a text-format parser, never matched as strings. */
import { describe, expect, it } from 'vitest';
import { countActions, type MemberReport, type ObjectStatus } from '../../../src/apply/status/report.js';
import { ControllerMetrics } from '../../../src/controller/metrics.js';
import { allSamples, parseMetrics, sample } from '../../support/prometheus-text.js';

const line = (kind: string, name: string, action: ObjectStatus['action'], extra: Partial<ObjectStatus> = {}): ObjectStatus => ({ key: `apps/${kind}/shop/${name}`, object: `${kind}/shop/${name}`, action, ...extra });

function report(objects: ObjectStatus[], over: Partial<MemberReport> = {}): MemberReport {
  return { cluster: 'eu-1', context: 'eu-1', branchCommit: 'a'.repeat(40), state: 'Synced', health: 'Ready', lastSynced: '2026-05-01T10:00:00.000Z', lastAttempt: '2026-05-01T10:00:00.000Z', counts: countActions(objects), objects, ...over };
}

describe('controller metrics', () => {
  it('count reconciles, applies, prunes, drift and failures by member and kind, never by object name', async () => {
    const m = new ControllerMetrics({ defaultMetrics: false });
    m.reconciled('eu-1', report([line('Deployment', 'web', 'created'), line('Deployment', 'api', 'configured', { message: 'drift corrected: /spec/replicas' }), line('ConfigMap', 'old', 'pruned'), line('Deployment', 'bad', 'failed', { message: 'denied' }), line('ConfigMap', 'c', 'unchanged', { drift: ['/data/a'] })]), 1.5);
    m.reconciled('eu-1', report([line('Deployment', 'web', 'configured')], { branchCommit: 'b'.repeat(40), state: 'Failed' }), 0.2);
    m.reconciled('us-1', report([line('Deployment', 'web', 'created')]), 0.03);
    const f = parseMetrics(await m.text());

    expect(f.families.get('gitfed_reconciles_total')!.type).toBe('COUNTER');
    expect(sample(f, 'gitfed_reconciles_total', { member: 'eu-1', state: 'Synced' })).toBe(1);
    expect(sample(f, 'gitfed_reconciles_total', { member: 'eu-1', state: 'Failed' })).toBe(1);
    expect(sample(f, 'gitfed_applies_total', { member: 'eu-1', kind: 'Deployment', action: 'created' })).toBe(1);
    expect(sample(f, 'gitfed_applies_total', { member: 'eu-1', kind: 'Deployment', action: 'configured' })).toBe(2);
    expect(sample(f, 'gitfed_prunes_total', { member: 'eu-1', kind: 'ConfigMap' })).toBe(1);
    expect(sample(f, 'gitfed_failures_total', { member: 'eu-1', kind: 'Deployment' })).toBe(1);
    expect(sample(f, 'gitfed_drift_total', { member: 'eu-1', kind: 'Deployment' })).toBe(1);
    expect(sample(f, 'gitfed_drift_total', { member: 'eu-1', kind: 'ConfigMap' })).toBe(1);
    for (const s of allSamples(f)) expect(Object.keys(s.labels).filter((k) => !['member', 'kind', 'action', 'state', 'revision', 'le'].includes(k))).toEqual([]);

    expect(f.families.get('gitfed_reconcile_duration_seconds')!.type).toBe('HISTOGRAM');
    expect(sample(f, 'gitfed_reconcile_duration_seconds_count', { member: 'eu-1' })).toBe(2);
    expect(sample(f, 'gitfed_reconcile_duration_seconds_sum', { member: 'eu-1' })).toBeCloseTo(1.7);
    expect(sample(f, 'gitfed_reconcile_duration_seconds_bucket', { member: 'eu-1', le: '0.25' })).toBe(1);
    expect(sample(f, 'gitfed_reconcile_duration_seconds_bucket', { member: 'eu-1', le: '2' })).toBe(2);
    expect(sample(f, 'gitfed_reconcile_duration_seconds_bucket', { member: 'us-1', le: '0.05' })).toBe(1);

    expect(sample(f, 'gitfed_member_last_sync_timestamp_seconds', { member: 'eu-1' })).toBe(Date.parse('2026-05-01T10:00:00.000Z') / 1000);
    // One revision series per member: the old one is gone.
    expect(f.series.get('gitfed_member_revision_info')!.metrics.filter((s) => s.labels?.member === 'eu-1').map((s) => s.labels?.revision)).toEqual(['b'.repeat(40)]);
    expect(sample(f, 'gitfed_member_state', { member: 'eu-1', state: 'Failed' })).toBe(1);
    expect(sample(f, 'gitfed_member_state', { member: 'eu-1', state: 'Synced' })).toBe(0);
  });

  it('export shard ownership, and drop a member\'s gauges when another replica holds it', async () => {
    const m = new ControllerMetrics({ defaultMetrics: false });
    m.reconciled('a', report([]), 0.1);
    m.reconciled('b', report([]), 0.1);
    m.acquired();
    m.shard(['a', 'b', 'c'], (x) => x === 'a', 3);
    const f = parseMetrics(await m.text());
    expect(sample(f, 'gitfed_member_owned', { member: 'a' })).toBe(1);
    expect(sample(f, 'gitfed_member_owned', { member: 'b' })).toBe(0);
    expect(sample(f, 'gitfed_replica_members')).toBe(1);
    expect(sample(f, 'gitfed_replicas')).toBe(3);
    expect(sample(f, 'gitfed_lease_acquisitions_total')).toBe(1);
    expect(sample(f, 'gitfed_member_state', { member: 'b' })).toBeUndefined();
    expect(sample(f, 'gitfed_member_revision_info', { member: 'b' })).toBeUndefined();
    expect(sample(f, 'gitfed_member_state', { member: 'a', state: 'Synced' })).toBe(1);
  });

  it('count observe rounds by result, state commits, renders and each member\'s requests; readiness only while observing', async () => {
    const m = new ControllerMetrics({ defaultMetrics: false });
    m.observerAcquired();
    m.observer(true);
    const members = [{ cluster: 'onprem', ready: true, requests: 3 }, { cluster: 'burst', ready: false, requests: 2 }];
    m.observeRound({ committed: true, rendered: true, seconds: 0.3, held: 0, members });
    m.observeRound({ committed: false, rendered: false, seconds: 0.2, held: 2, members });
    m.observeRound({ committed: false, rendered: false, error: 'fleet-state moved', seconds: 0.1, members: [] });
    let f = parseMetrics(await m.text());
    expect(sample(f, 'gitfed_observing')).toBe(1);
    expect(sample(f, 'gitfed_observer_acquisitions_total')).toBe(1);
    expect(sample(f, 'gitfed_observe_rounds_total', { result: 'committed' })).toBe(1);
    expect(sample(f, 'gitfed_observe_rounds_total', { result: 'unchanged' })).toBe(1);
    expect(sample(f, 'gitfed_observe_rounds_total', { result: 'failed' })).toBe(1);
    expect(sample(f, 'gitfed_observe_round_duration_seconds_count')).toBe(3);
    expect(sample(f, 'gitfed_observe_round_duration_seconds_sum')).toBeCloseTo(0.6);
    expect(sample(f, 'gitfed_state_commits_total')).toBe(1);
    expect(sample(f, 'gitfed_state_renders_total')).toBe(1);
    // A failed round read nothing: the held count stays as the last round left it.
    expect(sample(f, 'gitfed_observe_held_changes')).toBe(2);
    expect(sample(f, 'gitfed_observe_requests_total', { member: 'onprem' })).toBe(6);
    expect(sample(f, 'gitfed_observe_requests_total', { member: 'burst' })).toBe(4);
    expect(sample(f, 'gitfed_observed_member_ready', { member: 'onprem' })).toBe(1);
    expect(sample(f, 'gitfed_observed_member_ready', { member: 'burst' })).toBe(0);
    m.observer(false);
    f = parseMetrics(await m.text());
    expect(sample(f, 'gitfed_observing')).toBe(0);
    expect(sample(f, 'gitfed_observed_member_ready', { member: 'onprem' })).toBeUndefined();
  });

  it('include the process metrics by default', async () => {
    const f = parseMetrics(await new ControllerMetrics().text());
    expect(sample(f, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});
