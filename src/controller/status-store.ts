/**
 * @module controller/status-store
 * The MemberStatus objects in the management cluster: written by the replica holding the member
 * (each write conditional on the resourceVersion read, so a replica that lost the member's Lease
 * cannot overwrite its successor), read by every replica and by `gitfed status --kubeconfig`.
 * A write that would change nothing but times is skipped unless the last one is older than the
 * heartbeat, so an idle member costs no write per reconcile.
 */
import { KubeApiError } from '../apply/member/member-client.js';
import type { MemberReport } from '../apply/status/report.js';
import type { Management } from './management.js';
import { reportOf, STATUS_API_VERSION, STATUS_GROUP, STATUS_PLURAL, STATUS_VERSION, statusName, statusObject, type MemberStatusObject, type StatusExtra } from './status-object.js';

export interface WriteOptions {
  readonly replica: string;
  readonly headCommit?: string;
  readonly source?: string;
  readonly now?: () => Date;
  /** Asked before every attempt: only the member's current holder writes. */
  readonly holds?: () => boolean;
}

/** What a write compares: the status without its times. */
function significant(status: Record<string, unknown> | undefined): string {
  if (!status) return '';
  const { observedAt: _o, lastAttempt: _l, conditions, ...rest } = status as Record<string, unknown> & { conditions?: { lastTransitionTime?: string }[] };
  return JSON.stringify([rest, (conditions ?? []).map(({ lastTransitionTime: _t, ...c }) => c)]);
}

export class StatusStore {
  private readonly known = new Map<string, MemberStatusObject>();
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly mgmt: Management,
    /** A status that changed nothing is still written this often, so readers can tell it is current. */
    private readonly heartbeatMs = 5 * 60_000,
  ) {}

  private path(name = '', sub = ''): string {
    return `/apis/${STATUS_GROUP}/${STATUS_VERSION}/namespaces/${encodeURIComponent(this.mgmt.namespace)}/${STATUS_PLURAL}${name ? `/${encodeURIComponent(name)}` : ''}${sub}`;
  }

  /** uid of the member's object as last written or read here, for Events about it. */
  uidOf(member: string): string | undefined {
    const uid = this.known.get(statusName(member))?.metadata.uid;
    return typeof uid === 'string' ? uid : undefined;
  }

  /** Resolves once the writes queued for the member are done. */
  settled(member: string): Promise<unknown> {
    return (this.chains.get(member) ?? Promise.resolve()).catch(() => undefined);
  }

  async list(): Promise<MemberStatusObject[]> {
    const { body } = await this.mgmt.client.request<{ items?: MemberStatusObject[] }>('GET', this.path());
    return (body.items ?? []).map((o) => ({ ...o, apiVersion: STATUS_API_VERSION, kind: 'MemberStatus' }));
  }

  private async get(name: string): Promise<MemberStatusObject | undefined> {
    try {
      return (await this.mgmt.client.request<MemberStatusObject>('GET', this.path(name))).body;
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** Writes the member's status, one write per member at a time; true when something was written. */
  write(member: string, report: MemberReport, opts: WriteOptions): Promise<boolean> {
    const prev = this.chains.get(member) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(() => this.writeNow(member, report, opts));
    this.chains.set(member, next);
    return next;
  }

  private async writeNow(member: string, report: MemberReport, opts: WriteOptions, retried = false): Promise<boolean> {
    const name = statusName(member);
    if (opts.holds && !opts.holds()) return false;
    const now = (opts.now ?? (() => new Date()))();
    let current = this.known.get(name) ?? (await this.get(name));
    const extra: StatusExtra = { replica: opts.replica, observedAt: now.toISOString(), ...(opts.headCommit ? { headCommit: opts.headCommit } : {}), ...(opts.source ? { source: opts.source } : {}) };
    const previousConditions = current ? reportOf(current).conditions : [];
    const desired = statusObject(this.mgmt.namespace, member, report, extra, previousConditions);
    if (current?.status && significant(current.status) === significant(desired.status)) {
      const last = Date.parse(String(current.status.observedAt ?? ''));
      if (Number.isFinite(last) && now.getTime() - last < this.heartbeatMs) return false;
    }
    try {
      if (!current) {
        const { status: _s, ...bare } = desired;
        current = (await this.mgmt.client.request<MemberStatusObject>('POST', this.path(), { body: bare })).body;
      }
      const body = { ...current, status: desired.status };
      const written = (await this.mgmt.client.request<MemberStatusObject>('PUT', this.path(name, '/status'), { body })).body;
      this.known.set(name, written);
      return true;
    } catch (err) {
      this.known.delete(name);
      // Someone wrote it since (a previous holder's last write, or a create racing ours): read again, once.
      if (err instanceof KubeApiError && err.status === 409 && !retried) return this.writeNow(member, report, opts, true);
      throw err;
    }
  }
}
