/**
 * @module controller/status-object
 * A member's report as a `MemberStatus` object (gitfed.io/v1alpha1, deploy/base/crd.yaml) in the
 * management cluster, and back. Pure. The object is bounded: etcd refuses objects over 1.5 MiB
 * (and Fleet's users hit that with per-cluster bundle status), so messages are cut, and the
 * object list keeps what needs a look first (failed, drifted, taken over), then the rest while
 * the budget lasts; the counts always cover every object, and `objectsOmitted` says how many
 * lines were left out.
 */
import type { KubeObject } from '../object.js';
import { ACTIONS, countActions, type Action, type MemberReport, type MemberState, type ObjectStatus } from '../apply/status/report.js';
import type { HealthStatus } from '../apply/status/health.js';

export const STATUS_GROUP = 'gitfed.io';
export const STATUS_VERSION = 'v1alpha1';
export const STATUS_KIND = 'MemberStatus';
export const STATUS_PLURAL = 'memberstatuses';
export const STATUS_API_VERSION = `${STATUS_GROUP}/${STATUS_VERSION}`;
/** Label of a status object naming its fleet. */
export const FLEET_LABEL = 'gitfed.io/fleet';

/** The whole object stays under this many bytes of JSON (etcd's limit is 1.5 MiB). */
export const STATUS_BUDGET_BYTES = 256 * 1024;
const MESSAGE_MAX = 1024;
const OBJECT_MESSAGE_MAX = 512;
const LIST_MAX = 20;

export interface Condition {
  readonly type: 'Ready' | 'Reachable' | 'Fighting';
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message?: string;
  readonly lastTransitionTime: string;
}

/** What a status object adds to the member's report. */
export interface StatusExtra {
  /** The replica holding the member when this was written. */
  readonly replica?: string;
  /** The branch head that replica had read: a member whose branchCommit differs runs an older head. */
  readonly headCommit?: string;
  /** The repository, as publicUrl records it. */
  readonly source?: string;
  /** When the status was written. */
  readonly observedAt: string;
  /** Object lines left out to stay within the budget. */
  readonly objectsOmitted?: number;
}

export interface MemberStatusObject extends KubeObject {
  spec: { member: string };
  status?: Record<string, unknown>;
}

/** A DNS-1123 label stands as it is; any other cluster name gets a readable, collision-free form. */
export function statusName(member: string): string {
  if (/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(member)) return member;
  let h = 0x811c9dc5;
  for (const ch of Buffer.from(member)) h = Math.imul(h ^ ch, 0x01000193) >>> 0;
  const base = member.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'member';
  return `${base}-${h.toString(16).padStart(8, '0')}`;
}

function cut(s: string | undefined, max: number): string | undefined {
  if (s === undefined) return undefined;
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function rank(o: ObjectStatus): number {
  if (o.action === 'failed') return 0;
  if (o.drift?.length || o.taken?.length) return 1;
  if (o.health && o.health !== 'Ready') return 2;
  if (o.action !== 'unchanged') return 3;
  return 4;
}

function compactObject(o: ObjectStatus): Record<string, unknown> {
  const out: Record<string, unknown> = { key: o.key, action: o.action };
  if (o.object !== o.key) out.object = o.object;
  if (o.health) out.health = o.health;
  if (o.message) out.message = cut(o.message, OBJECT_MESSAGE_MAX);
  if (o.file) out.file = o.file;
  if (o.drift?.length) out.drift = o.drift.slice(0, LIST_MAX);
  if (o.taken?.length) out.taken = o.taken.slice(0, LIST_MAX);
  return out;
}

/** Conditions for the state, keeping a condition's lastTransitionTime while its status stays. */
export function conditionsFor(state: MemberState, message: string | undefined, previous: readonly Condition[], now: string): Condition[] {
  const want: Omit<Condition, 'lastTransitionTime'>[] = [
    state === 'Synced' ? { type: 'Ready', status: 'True', reason: 'Synced' } : { type: 'Ready', status: state === 'Progressing' ? 'Unknown' : 'False', reason: state, ...(message ? { message: cut(message, MESSAGE_MAX)! } : {}) },
    state === 'Unreachable' ? { type: 'Reachable', status: 'False', reason: 'Unreachable', ...(message ? { message: cut(message, MESSAGE_MAX)! } : {}) } : { type: 'Reachable', status: 'True', reason: 'Reachable' },
    state === 'Fighting' ? { type: 'Fighting', status: 'True', reason: 'FieldChangedBack', ...(message ? { message: cut(message, MESSAGE_MAX)! } : {}) } : { type: 'Fighting', status: 'False', reason: 'NoFight' },
  ];
  return want.map((c) => {
    const prev = previous.find((p) => p.type === c.type);
    return { ...c, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : now };
  });
}

/** The `status` of a member's object; at most STATUS_BUDGET_BYTES of JSON with its metadata. */
export function statusOf(report: MemberReport, extra: StatusExtra, previousConditions: readonly Condition[] = []): Record<string, unknown> {
  const head: Record<string, unknown> = {
    state: report.state,
    health: report.health,
    ...(report.message ? { message: cut(report.message, MESSAGE_MAX) } : {}),
    ...(report.fleet !== undefined ? { fleet: report.fleet } : {}),
    ...(extra.source ? { source: extra.source } : {}),
    ...(report.branchCommit ? { branchCommit: report.branchCommit } : {}),
    ...(report.sourceCommit ? { sourceCommit: report.sourceCommit } : {}),
    ...(extra.headCommit ? { headCommit: extra.headCommit } : {}),
    ...(report.lastSynced ? { lastSynced: report.lastSynced } : {}),
    lastAttempt: report.lastAttempt,
    observedAt: extra.observedAt,
    ...(extra.replica ? { replica: extra.replica } : {}),
    context: report.context,
    ...(report.requests !== undefined ? { requests: report.requests } : {}),
    counts: { ...report.counts },
    conditions: conditionsFor(report.state, report.message, previousConditions, extra.observedAt),
  };
  // Room for the metadata, the spec and the list's own punctuation.
  let room = STATUS_BUDGET_BYTES - Buffer.byteLength(JSON.stringify(head)) - 2048;
  const sorted = [...report.objects].sort((a, b) => rank(a) - rank(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const objects: Record<string, unknown>[] = [];
  for (const o of sorted) {
    const c = compactObject(o);
    const size = Buffer.byteLength(JSON.stringify(c)) + 1;
    if (size > room) break;
    room -= size;
    objects.push(c);
  }
  const omitted = report.objects.length - objects.length + (extra.objectsOmitted ?? 0);
  return { ...head, objects, ...(omitted > 0 ? { objectsOmitted: omitted } : {}) };
}

export function statusObject(namespace: string, member: string, report: MemberReport, extra: StatusExtra, previousConditions: readonly Condition[] = []): MemberStatusObject {
  return {
    apiVersion: STATUS_API_VERSION,
    kind: STATUS_KIND,
    metadata: { name: statusName(member), namespace, ...(report.fleet ? { labels: { [FLEET_LABEL]: labelValue(report.fleet) } } : {}) },
    spec: { member },
    status: statusOf(report, extra, previousConditions),
  };
}

/** A fleet name as a label value (63 characters of [A-Za-z0-9._-], alphanumeric at both ends). */
function labelValue(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

const STATES: readonly MemberState[] = ['Synced', 'Progressing', 'Drifted', 'Failed', 'Unreachable', 'Fighting'];
const HEALTHS: readonly HealthStatus[] = ['Ready', 'Progressing', 'Failed'];

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A member's report read back from its status object, with what the object adds. Unknown values read as their safest meaning. */
export function reportOf(obj: MemberStatusObject): { report: MemberReport; extra: StatusExtra; conditions: Condition[] } {
  const s = (obj.status ?? {}) as Record<string, unknown>;
  const member = obj.spec?.member ?? obj.metadata.name;
  const state = STATES.includes(s.state as MemberState) ? (s.state as MemberState) : 'Progressing';
  const health = HEALTHS.includes(s.health as HealthStatus) ? (s.health as HealthStatus) : 'Progressing';
  const rawCounts = (s.counts ?? {}) as Record<string, unknown>;
  const objects: ObjectStatus[] = (Array.isArray(s.objects) ? s.objects : []).flatMap((o: Record<string, unknown>) => {
    const key = str(o?.key);
    const action = str(o?.action) as Action | undefined;
    if (!key || !action || !ACTIONS.includes(action)) return [];
    return [
      {
        key,
        object: str(o.object) ?? displayOf(key),
        action,
        ...(HEALTHS.includes(o.health as HealthStatus) ? { health: o.health as HealthStatus } : {}),
        ...(str(o.message) ? { message: str(o.message) } : {}),
        ...(str(o.file) ? { file: str(o.file) } : {}),
        ...(Array.isArray(o.drift) ? { drift: o.drift.map(String) } : {}),
        ...(Array.isArray(o.taken) ? { taken: o.taken.map(String) } : {}),
      },
    ];
  });
  const counts = { ...countActions([]) };
  for (const a of ACTIONS) if (typeof rawCounts[a] === 'number') counts[a] = rawCounts[a] as number;
  const report: MemberReport = {
    cluster: member,
    context: str(s.context) ?? member,
    ...(str(s.fleet) !== undefined ? { fleet: str(s.fleet) } : {}),
    ...(str(s.branchCommit) ? { branchCommit: str(s.branchCommit) } : {}),
    ...(str(s.sourceCommit) ? { sourceCommit: str(s.sourceCommit) } : {}),
    state,
    health,
    ...(str(s.message) ? { message: str(s.message) } : {}),
    ...(str(s.lastSynced) ? { lastSynced: str(s.lastSynced) } : {}),
    lastAttempt: str(s.lastAttempt) ?? '',
    counts,
    objects,
    ...(typeof s.requests === 'number' ? { requests: s.requests } : {}),
  };
  const extra: StatusExtra = {
    observedAt: str(s.observedAt) ?? '',
    ...(str(s.replica) ? { replica: str(s.replica) } : {}),
    ...(str(s.headCommit) ? { headCommit: str(s.headCommit) } : {}),
    ...(str(s.source) ? { source: str(s.source) } : {}),
    ...(typeof s.objectsOmitted === 'number' ? { objectsOmitted: s.objectsOmitted } : {}),
  };
  return { report, extra, conditions: Array.isArray(s.conditions) ? (s.conditions as Condition[]) : [] };
}

/** `Kind/namespace/name` (or `Kind/name`) of a `group/Kind/namespace/name` key; the key itself when it is not one (a file). */
export function displayOf(key: string): string {
  const parts = key.split('/');
  if (parts.length !== 4) return key;
  const [, kind, ns, name] = parts;
  return ns ? `${kind}/${ns}/${name}` : `${kind}/${name}`;
}

/** `45s`, `3m12s`, `2h5m`, `3d4h`: an age for people. */
export function humanAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  const d = Math.floor(h / 24);
  return `${d}d${h % 24 ? `${h % 24}h` : ''}`;
}

/**
 * A member's report as readers should see it at `now`: an Unreachable member says how old its
 * last known state is, and a status no replica has written for `staleAfterMs` is Unreachable
 * too (gitfed itself is not reaching the member), never a stale Synced.
 */
export function asSeenAt(report: MemberReport, extra: StatusExtra, now: number, staleAfterMs: number): MemberReport {
  const observed = Date.parse(extra.observedAt);
  const synced = report.lastSynced ? `last synced ${humanAge(now - Date.parse(report.lastSynced))} ago${report.branchCommit ? ` at ${report.branchCommit.slice(0, 7)}` : ''}` : 'never synced';
  if (Number.isFinite(observed) && now - observed > staleAfterMs) {
    return { ...report, state: 'Unreachable', message: `no gitfed replica has reported for ${humanAge(now - observed)}; last known: ${report.state}, ${synced}` };
  }
  if (report.state === 'Unreachable') return { ...report, message: `${report.message ? `${report.message}; ` : ''}${synced}` };
  return report;
}
