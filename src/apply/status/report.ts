/**
 * @module report
 * The propagation report as data: per member, what it runs and in what state; per object, what
 * the last reconcile did and how healthy it is; per federated object, a KubeFed-style
 * Propagation condition. Everything here is pure; formatting lives in src/format/report.ts.
 */
import { publicUrl } from '../../git/public-url.js';
import { MemberUnreachableError } from '../member/member-client.js';
import type { HealthStatus } from './health.js';
import { worse } from './health.js';

export type Action = 'created' | 'configured' | 'unchanged' | 'pruned' | 'skipped' | 'failed';
export const ACTIONS: readonly Action[] = ['created', 'configured', 'unchanged', 'pruned', 'skipped', 'failed'];

/** Fighting: another controller keeps changing back what gitfed corrects; gitfed backs off (src/controller/fight.ts). */
export type MemberState = 'Synced' | 'Progressing' | 'Drifted' | 'Failed' | 'Unreachable' | 'Fighting';

export interface ObjectStatus {
  /** refKey: `<group>/<Kind>/<namespace>/<name>`. */
  readonly key: string;
  /** formatRef: `Kind/namespace/name`. */
  readonly object: string;
  readonly action: Action;
  readonly health?: HealthStatus;
  readonly message?: string;
  /** Branch file the object came from. */
  readonly file?: string;
  /** JSON pointers that differ from what gitfed applied (drift left in place under the report policy). */
  readonly drift?: readonly string[];
  /** Fields taken from other field managers, `<field> from "<manager>"`. */
  readonly taken?: readonly string[];
}

export interface MemberReport {
  readonly cluster: string;
  readonly context: string;
  /** The fleet whose objects were reconciled (several fleets may share a member). */
  readonly fleet?: string;
  /** Branch commit the member runs (the last reconcile that got through). */
  readonly branchCommit?: string;
  readonly sourceCommit?: string;
  readonly state: MemberState;
  readonly health: HealthStatus;
  readonly message?: string;
  /** ISO time of the last reconcile that left the member Synced. */
  readonly lastSynced?: string;
  /** ISO time of the last reconcile attempt, whatever its outcome. */
  readonly lastAttempt: string;
  readonly counts: Readonly<Record<Action, number>>;
  readonly objects: readonly ObjectStatus[];
  /** Requests sent to the member by the last reconcile. */
  readonly requests?: number;
}

export type ClusterPropagation = '' | 'ClusterNotReady' | 'ApplyFailed' | 'Drifted' | 'Pending';

export interface FederatedStatus {
  readonly key: string;
  readonly object: string;
  readonly conditions: readonly {
    readonly type: 'Propagation';
    readonly status: 'True' | 'False';
    /** '' when every cluster is fine, else CheckClusters. */
    readonly reason: '' | 'CheckClusters';
  }[];
  readonly clusters: readonly { readonly name: string; readonly status: ClusterPropagation }[];
}

export interface PropagationReport {
  readonly source: string;
  /** The fleet the branch belongs to. */
  readonly fleet?: string;
  readonly branchCommit?: string;
  readonly sourceCommit?: string;
  readonly generatedAt: string;
  readonly members: readonly MemberReport[];
  readonly federated: readonly FederatedStatus[];
}

export function countActions(objects: readonly ObjectStatus[]): Record<Action, number> {
  const counts = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<Action, number>;
  for (const o of objects) counts[o.action]++;
  return counts;
}

export function healthOfSet(objects: readonly ObjectStatus[]): HealthStatus {
  return objects.reduce<HealthStatus>((h, o) => (o.health ? worse(h, o.health) : h), 'Ready');
}

/**
 * The member's state after a reconcile that reached it. Propagation, not health: a Deployment
 * still rolling out on a Synced member shows as Progressing health, not as a Progressing member.
 * Progressing means the member does not yet run the branch head (a reconcile is under way, or a
 * stage is waiting for CRDs).
 */
export function memberState(objects: readonly ObjectStatus[], opts: { atHead: boolean; fatal?: string }): MemberState {
  if (opts.fatal) return 'Failed';
  if (objects.some((o) => o.action === 'failed')) return 'Failed';
  if (!opts.atHead) return 'Progressing';
  if (objects.some((o) => o.drift && o.drift.length > 0)) return 'Drifted';
  return 'Synced';
}

/** Which member a report is about, and for which fleet. */
export interface MemberId {
  readonly cluster: string;
  readonly context: string;
  readonly fleet?: string;
}

/**
 * The report of a member whose reconcile did not get through, the one place it is built. One
 * that could not be reached keeps its last good state, marked Unreachable; one that failed as a
 * whole is Failed with the error. Either way it still runs what the last reconcile that got
 * through applied, and its objects are as that one left them.
 */
export function failedMember(previous: MemberReport | undefined, member: MemberId, err: unknown, now: string): MemberReport {
  const message = err instanceof Error ? err.message : String(err);
  const { cluster, context } = member;
  if (err instanceof MemberUnreachableError) {
    if (previous) return { ...previous, cluster, context, state: 'Unreachable', message, lastAttempt: now };
    return { cluster, context, state: 'Unreachable', health: 'Ready', message, lastAttempt: now, counts: countActions([]), objects: [] };
  }
  const fleet = member.fleet ?? previous?.fleet;
  return {
    cluster,
    context,
    ...(fleet !== undefined ? { fleet } : {}),
    branchCommit: previous?.branchCommit,
    sourceCommit: previous?.sourceCommit,
    state: 'Failed',
    health: previous?.health ?? 'Ready',
    message,
    lastSynced: previous?.lastSynced,
    lastAttempt: now,
    counts: previous?.counts ?? countActions([]),
    objects: previous?.objects ?? [],
  };
}

function clusterStatus(member: MemberReport, o: ObjectStatus): ClusterPropagation {
  if (member.state === 'Unreachable') return 'ClusterNotReady';
  if (o.action === 'failed') return 'ApplyFailed';
  if (o.drift && o.drift.length > 0) return 'Drifted';
  if (member.state === 'Progressing') return 'Pending';
  return '';
}

/**
 * One entry per object identity across members, KubeFed's shape: the object federated to
 * several members appears once, with each member's propagation status. Pruned objects are gone
 * from the member and are left out.
 */
export function federatedStatus(members: readonly MemberReport[]): FederatedStatus[] {
  const byKey = new Map<string, { object: string; clusters: { name: string; status: ClusterPropagation }[] }>();
  for (const m of members) {
    for (const o of m.objects) {
      if (o.action === 'pruned' || o.action === 'skipped') continue;
      let entry = byKey.get(o.key);
      if (!entry) byKey.set(o.key, (entry = { object: o.object, clusters: [] }));
      entry.clusters.push({ name: m.cluster, status: clusterStatus(m, o) });
    }
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, e]) => {
      const ok = e.clusters.every((c) => c.status === '');
      return {
        key,
        object: e.object,
        conditions: [{ type: 'Propagation' as const, status: ok ? ('True' as const) : ('False' as const), reason: ok ? ('' as const) : ('CheckClusters' as const) }],
        clusters: e.clusters.sort((a, b) => (a.name < b.name ? -1 : 1)),
      };
    });
}

/** `source` is recorded through publicUrl: a daemon given a token URL never reports the token. */
export function buildReport(source: string, members: readonly MemberReport[], meta: { branchCommit?: string; sourceCommit?: string; fleet?: string; now: string }): PropagationReport {
  const sorted = [...members].sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0));
  return {
    source: publicUrl(source),
    ...(meta.fleet !== undefined ? { fleet: meta.fleet } : {}),
    branchCommit: meta.branchCommit,
    sourceCommit: meta.sourceCommit,
    generatedAt: meta.now,
    members: sorted,
    federated: federatedStatus(sorted),
  };
}

/**
 * Exit code of `gitfed apply`: 2 when a member it reconciled failed or was unreachable, 1 for a
 * dry run that would change something, else 0. The report also carries the last state of members
 * not selected this run (`--cluster`); they decide nothing here.
 */
export function applyExitCode(report: PropagationReport, opts: { clusters?: readonly string[]; dryRun?: boolean }): 0 | 1 | 2 {
  const ran = report.members.filter((m) => !opts.clusters || opts.clusters.includes(m.cluster));
  if (ran.some((m) => m.state === 'Failed' || m.state === 'Unreachable')) return 2;
  return opts.dryRun && ran.some((m) => m.counts.created + m.counts.configured + m.counts.pruned > 0) ? 1 : 0;
}
