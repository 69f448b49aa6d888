/**
 * @module controller/fleet-report
 * The whole fleet's propagation report, assembled from the MemberStatus objects of every
 * replica: what `gitfed status --kubeconfig`, the HTTP API and the page show, from any replica.
 */
import { buildReport, type PropagationReport } from '../apply/status/report.js';
import { asSeenAt, reportOf, type MemberStatusObject, type StatusExtra } from './status-object.js';

/** A status no replica has written for this long reads as Unreachable (twice the status heartbeat). */
export const STALE_AFTER_MS = 10 * 60_000;

export interface FleetReport extends PropagationReport {
  /** Per member: the replica that wrote its status, when, and lines left out. */
  readonly writers: Readonly<Record<string, StatusExtra>>;
}

export function fleetReport(objects: readonly MemberStatusObject[], opts: { now: number; staleAfterMs?: number; source?: string }): FleetReport {
  const read = objects.map(reportOf);
  // The newest status knows the newest branch head.
  const newest = [...read].sort((a, b) => (a.extra.observedAt < b.extra.observedAt ? 1 : -1))[0];
  const members = read.map((r) => asSeenAt(r.report, r.extra, opts.now, opts.staleAfterMs ?? STALE_AFTER_MS));
  const report = buildReport(opts.source ?? newest?.extra.source ?? '', members, {
    branchCommit: newest?.extra.headCommit,
    sourceCommit: undefined,
    fleet: newest?.report.fleet,
    now: new Date(opts.now).toISOString(),
  });
  return { ...report, writers: Object.fromEntries(read.map((r) => [r.report.cluster, r.extra])) };
}
