/**
 * @module controller/events
 * Kubernetes Events on a member's MemberStatus object, as `kubectl describe memberstatus` and
 * event exporters show them: failures, drift, prunes, fights, an unreachable member. The same
 * event again within ten minutes bumps its count instead of adding an object, as kubelet's
 * recorder does, and a reconcile records a few at most, so a thousand failed objects make one
 * readable line each for the first few and a summary, not a thousand Events. The observing
 * replica (observer.ts) records each state commit on the MemberStatus of the member it is about,
 * and what concerns the whole fleet (who observes, a round that fails) on the observer Lease.
 */
import { randomBytes } from 'node:crypto';
import type { MemberReport } from '../apply/status/report.js';
import type { Management } from './management.js';
import { STATUS_API_VERSION, STATUS_KIND, statusName } from './status-object.js';

export interface EventLine {
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
}

/** Per reconcile, at most this many events per reason; the rest are counted in one more. */
const PER_REASON = 5;
const MERGE_WINDOW_MS = 10 * 60_000;

/** What a reconcile's report is worth telling, as events (pure). */
export function eventsOf(report: MemberReport, before?: MemberReport): EventLine[] {
  const out: EventLine[] = [];
  const group = (reason: string, type: EventLine['type'], lines: string[]) => {
    for (const l of lines.slice(0, PER_REASON)) out.push({ type, reason, message: l });
    if (lines.length > PER_REASON) out.push({ type, reason, message: `and ${lines.length - PER_REASON} more` });
  };
  group('ApplyFailed', 'Warning', report.objects.filter((o) => o.action === 'failed').map((o) => `${o.object}: ${o.message ?? 'failed'}`));
  group('DriftCorrected', 'Normal', report.objects.filter((o) => o.message?.startsWith('drift corrected')).map((o) => `${o.object}: ${o.message}${o.taken?.length ? `; took ${o.taken.join(', ')}` : ''}`));
  group('Drifted', 'Warning', report.objects.filter((o) => o.drift?.length && !o.message?.startsWith('drift corrected')).map((o) => `${o.object}: ${o.drift!.join(', ')} differ from the branch (${o.message ?? 'drift policy report'})`));
  group('Pruned', 'Normal', report.objects.filter((o) => o.action === 'pruned').map((o) => `${o.object}: deleted, no longer in the branch`));
  const changed = before?.state !== report.state;
  if (report.state === 'Fighting' && changed) out.push({ type: 'Warning', reason: 'Fighting', message: report.message ?? 'fighting another controller' });
  if (report.state === 'Unreachable' && changed) out.push({ type: 'Warning', reason: 'Unreachable', message: report.message ?? 'unreachable' });
  return out;
}

/** The object an Event is about. */
export interface EventTarget {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid?: string;
}

/** A state commit's changes as Events on the members they are about (`onprem: room for 0 more shop/web, was 4`). */
export function stateEventsOf(commit: string, changes: readonly string[], members: readonly string[]): { member: string; line: EventLine }[] {
  const out: { member: string; line: EventLine }[] = [];
  for (const change of changes) {
    const member = members.find((m) => change.startsWith(`${m}: `));
    if (member) out.push({ member, line: { type: 'Normal', reason: 'StateCommitted', message: `${commit.slice(0, 7)}: ${change}` } });
  }
  return out;
}

export class EventRecorder {
  private readonly recent = new Map<string, { name: string; count: number; at: number }>();

  constructor(
    private readonly mgmt: Management,
    private readonly replica: string,
  ) {}

  /** An Event on the member's MemberStatus. */
  record(member: string, uid: string | undefined, line: EventLine, now = new Date()): Promise<void> {
    return this.recordOn({ apiVersion: STATUS_API_VERSION, kind: STATUS_KIND, name: statusName(member), ...(uid ? { uid } : {}) }, line, now);
  }

  /** An Event on any object of the namespace. */
  async recordOn(target: EventTarget, line: EventLine, now = new Date()): Promise<void> {
    const key = `${target.kind}/${target.name}\0${line.reason}\0${line.message}`;
    const seen = this.recent.get(key);
    const ts = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const base = `/api/v1/namespaces/${encodeURIComponent(this.mgmt.namespace)}/events`;
    if (seen && now.getTime() - seen.at < MERGE_WINDOW_MS) {
      seen.count++;
      seen.at = now.getTime();
      await this.mgmt.client.request('PATCH', `${base}/${seen.name}`, { body: { count: seen.count, lastTimestamp: ts }, contentType: 'application/merge-patch+json' });
      return;
    }
    const name = `${target.name}.${randomBytes(8).toString('hex')}`;
    await this.mgmt.client.request('POST', base, {
      body: {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name },
        involvedObject: { apiVersion: target.apiVersion, kind: target.kind, name: target.name, namespace: this.mgmt.namespace, ...(target.uid ? { uid: target.uid } : {}) },
        type: line.type,
        reason: line.reason,
        message: line.message.slice(0, 1024),
        source: { component: 'gitfed', host: this.replica },
        reportingComponent: 'gitfed',
        reportingInstance: this.replica,
        firstTimestamp: ts,
        lastTimestamp: ts,
        count: 1,
      },
    });
    this.recent.set(key, { name, count: 1, at: now.getTime() });
    if (this.recent.size > 5000) for (const [k, v] of this.recent) if (now.getTime() - v.at > MERGE_WINDOW_MS) this.recent.delete(k);
  }
}
