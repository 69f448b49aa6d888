/**
 * @module object-status
 * `gitfed status Federated<Kind>/NS/NAME`: KubeFed's status of one federated object, computed from
 * what gitfed knows instead of read from a host cluster. Where render placed the object (cluster
 * -> the member object's key) says which clusters count; the propagation report says what the
 * last reconcile of each member did with it. The words are upstream's
 * (kubefed pkg/controller/sync/status): a Propagation condition whose reason is "" (AggregateSuccess)
 * or CheckClusters, and per cluster "" (ClusterPropagationOK) or the first failing reason. Two
 * words are gitfed's own, where upstream has no state to name: Pending (placed, but no reconcile
 * since has brought it to the member) and Drifted (the member object differs and the drift policy
 * `report` leaves it so; upstream always overwrites). Pure: no client, no file.
 */
import type { MemberReport, ObjectStatus, PropagationReport } from './report.js';

export type PropagationStatus =
  | ''
  | 'WaitingForRemoval'
  | 'ClusterNotReady'
  | 'CreationFailed'
  | 'UpdateFailed'
  | 'DeletionFailed'
  | 'AlreadyExists'
  | 'Pending'
  | 'Drifted';

export type AggregateReason = '' | 'CheckClusters';

export interface ClusterObjectStatus {
  readonly name: string;
  /** Omitted when "" (ClusterPropagationOK), as upstream writes it. */
  readonly status?: Exclude<PropagationStatus, ''>;
  /** The member object on that cluster, `Kind/namespace/name`. */
  readonly object: string;
  /** Why, in words: the apply's message, or what gitfed knows of the member. */
  readonly message?: string;
}

export interface FederatedObjectStatus {
  /** The federated object (or Karmada resource template) as the user named it, `Kind/namespace/name`. */
  readonly object: string;
  /** When the report was made; absent when there was none. */
  readonly reportedAt?: string;
  readonly status: {
    readonly conditions: readonly [{ readonly type: 'Propagation'; readonly status: 'True' | 'False'; readonly reason?: Exclude<AggregateReason, ''> }];
    readonly clusters: readonly ClusterObjectStatus[];
  };
}

/** What render says of the object: cluster -> the key (`group/Kind/ns/name`) and display name of the member object there. */
export type Placement = ReadonlyMap<string, { readonly key: string; readonly object: string }>;

/** Upstream's words for a report line of an object the member should hold. */
function placedStatus(member: MemberReport | undefined, line: ObjectStatus | undefined): { status: PropagationStatus; message?: string } {
  if (!member) return { status: 'ClusterNotReady', message: 'no report from this member: gitfed apply has not reached it yet' };
  if (member.state === 'Unreachable') return { status: 'ClusterNotReady', ...(member.message ? { message: member.message } : {}) };
  if (!line || line.action === 'pruned' || line.action === 'skipped') {
    return { status: 'Pending', message: `not applied yet: the member runs branch commit ${member.branchCommit?.slice(0, 12) ?? '(none)'}` };
  }
  const message = line.message ? { message: line.message } : {};
  if (line.action === 'failed') {
    // A line carries health only when the member held the object: then the apply was an update.
    if (line.message?.startsWith('owned by ')) return { status: 'AlreadyExists', ...message };
    return { status: line.health === undefined ? 'CreationFailed' : 'UpdateFailed', ...message };
  }
  if (line.drift && line.drift.length > 0) return { status: 'Drifted', message: `${line.message ?? 'drifted'}: ${line.drift.join(', ')}` };
  return { status: '', ...message };
}

/** The object's status: one entry per cluster it is placed on, and per cluster it is still on but leaves. */
export function federatedObjectStatus(object: string, placement: Placement, report: PropagationReport | undefined): FederatedObjectStatus {
  const members = new Map((report?.members ?? []).map((m) => [m.cluster, m]));
  const keys = new Set([...placement.values()].map((p) => p.key));
  const clusters: ClusterObjectStatus[] = [];
  for (const [name, p] of placement) {
    const member = members.get(name);
    const s = placedStatus(member, member?.objects.find((o) => o.key === p.key));
    clusters.push({ name, ...(s.status ? { status: s.status } : {}), object: p.object, ...(s.message ? { message: s.message } : {}) });
  }
  // A member that still holds the object though render no longer places it there: the next apply deletes it.
  for (const m of members.values()) {
    if (placement.has(m.cluster)) continue;
    const line = m.objects.find((o) => keys.has(o.key) && o.action !== 'pruned' && o.action !== 'skipped');
    if (!line) continue;
    const status = line.action === 'failed' && line.message?.startsWith('delete failed') ? 'DeletionFailed' : 'WaitingForRemoval';
    clusters.push({ name: m.cluster, status, object: line.object, message: line.message ?? 'no longer placed here: the next apply deletes it (or orphans it, with kubefed.io/orphan)' });
  }
  clusters.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const ok = clusters.every((c) => c.status === undefined);
  return {
    object,
    ...(report ? { reportedAt: report.generatedAt } : {}),
    status: { conditions: [{ type: 'Propagation', status: ok ? 'True' : 'False', ...(ok ? {} : { reason: 'CheckClusters' as const }) }], clusters },
  };
}
