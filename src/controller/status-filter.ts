/**
 * @module controller/status-filter
 * The filters of `GET /api/v1/status`, as a pure function of the report and the query:
 * `member`, `state`, `kind`, `action` (comma-separated lists) and `object` (a substring of
 * `Kind/namespace/name`). A member is kept when it matches `member` and `state`; its objects,
 * and the federated objects, when they match `kind`, `action` and `object`.
 */
import { GitfedError } from '../errors.js';
import type { FederatedStatus, MemberReport, ObjectStatus, PropagationReport } from '../apply/status/report.js';

/** The kind of an object line: from its key `group/Kind/namespace/name`; `File` for a file that did not parse. */
export function kindOf(o: Pick<ObjectStatus, 'key' | 'file'>): string {
  const parts = o.key.split('/');
  return parts.length === 4 && !(o.file && o.file === o.key) ? parts[1]! : 'File';
}

export const STATUS_FILTERS = ['member', 'state', 'kind', 'action', 'object'] as const;
export type StatusQuery = Partial<Record<(typeof STATUS_FILTERS)[number], string>>;

/** The query of a URL, refusing what the API does not know (a typo must not return everything). */
export function parseStatusQuery(params: URLSearchParams): StatusQuery {
  const out: StatusQuery = {};
  for (const [k, v] of params) {
    if (!(STATUS_FILTERS as readonly string[]).includes(k)) throw new GitfedError('BadQuery', `unknown filter ${k}; the filters are ${STATUS_FILTERS.join(', ')}`);
    out[k as keyof StatusQuery] = v;
  }
  return out;
}

const list = (v: string | undefined) => (v === undefined ? undefined : new Set(v.split(',').map((s) => s.trim()).filter(Boolean)));

export function filterReport<R extends PropagationReport>(report: R, q: StatusQuery): R {
  const members = list(q.member);
  const states = list(q.state);
  const kinds = list(q.kind);
  const actions = list(q.action);
  const needle = q.object?.toLowerCase();
  const objectMatches = (o: ObjectStatus) => (!kinds || kinds.has(kindOf(o))) && (!actions || actions.has(o.action)) && (!needle || o.object.toLowerCase().includes(needle));
  const fedMatches = (f: FederatedStatus) => (!kinds || kinds.has(kindOf({ key: f.key }))) && (!needle || f.object.toLowerCase().includes(needle));
  const kept: MemberReport[] = report.members
    .filter((m) => (!members || members.has(m.cluster)) && (!states || states.has(m.state)))
    .map((m) => (kinds || actions || needle ? { ...m, objects: m.objects.filter(objectMatches) } : m));
  const names = new Set(kept.map((m) => m.cluster));
  const federated = report.federated
    .filter(fedMatches)
    .map((f) => ({ ...f, clusters: f.clusters.filter((c) => names.has(c.name)) }))
    .filter((f) => f.clusters.length > 0);
  return { ...report, members: kept, federated };
}
