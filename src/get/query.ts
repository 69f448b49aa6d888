/**
 * @module get/query
 * `gitfed get`: one kubectl get, asked of every member at once. Each member resolves the TYPE
 * against its own discovery (a CRD may be installed on some members only) and answers with the
 * API server's own Table, so the columns are kubectl's. A member that fails is a result too:
 * nothing is dropped.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { GitfedError } from '../errors.js';
import type { KubeObject } from '../object.js';
import { KubeClient } from '../apply/member/kube-client.js';
import { KubeApiError } from '../apply/member/member-client.js';
import { discover } from './discovery.js';
import { parseType, resolveType, type ApiResource } from './resolve.js';

export interface GetRequest {
  readonly type: string;
  readonly name?: string;
  /** undefined with allNamespaces. */
  readonly namespace: string;
  readonly allNamespaces: boolean;
  readonly labelSelector?: string;
  /** `table` asks for the server's Table; `objects` for the objects themselves (yaml, json). */
  readonly want: 'table' | 'objects';
  readonly timeoutMs: number;
}

export interface TableColumn {
  readonly name: string;
  readonly type: string;
  readonly priority?: number;
}

export interface TableRow {
  readonly cells: readonly unknown[];
  readonly object?: { metadata?: { name?: string; namespace?: string } };
}

export interface ServerTable {
  readonly columnDefinitions: readonly TableColumn[];
  readonly rows: readonly TableRow[];
}

export type MemberAnswer =
  | { readonly cluster: string; readonly state: 'ok'; readonly resource: ApiResource; readonly table?: ServerTable; readonly items?: readonly KubeObject[] }
  /** The member serves no such type (a CRD not installed there). */
  | { readonly cluster: string; readonly state: 'not-served' }
  /** A named object the member does not hold. */
  | { readonly cluster: string; readonly state: 'not-found'; readonly resource: ApiResource }
  | { readonly cluster: string; readonly state: 'failed'; readonly code: string; readonly message: string };

export interface Member {
  readonly cluster: string;
  readonly context: string;
}

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

/** Every context of the kubeconfig is a member; `only` narrows them, and names one that is not there as an error. */
export function membersOf(kc: KubeConfig, only: readonly string[]): Member[] {
  const all = kc.getContexts().map((c) => ({ cluster: c.name, context: c.name }));
  for (const name of only) {
    if (!all.some((m) => m.cluster === name)) {
      throw new GitfedError('ClusterNotFound', `the kubeconfig has no context ${JSON.stringify(name)}`, { cluster: name, hint: `known: ${all.map((m) => m.cluster).join(', ') || 'none'}` });
    }
  }
  return only.length ? all.filter((m) => only.includes(m.cluster)) : all;
}

function collectionPath(r: ApiResource, req: GetRequest): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced && !req.allNamespaces ? `/namespaces/${encodeURIComponent(req.namespace)}` : '';
  return `${base}${ns}/${r.name}${req.name !== undefined ? `/${encodeURIComponent(req.name)}` : ''}`;
}

async function askMember(kc: KubeConfig, m: Member, req: GetRequest): Promise<MemberAnswer> {
  const client = await KubeClient.connect(kc, m.cluster, m.context, { timeoutMs: req.timeoutMs, concurrency: 8 });
  try {
    const resource = resolveType(parseType(req.type), await discover(client, parseType(req.type)));
    if (!resource) return { cluster: m.cluster, state: 'not-served' };
    const path = collectionPath(resource, req);
    const query = { labelSelector: req.name === undefined ? req.labelSelector : undefined };
    try {
      if (req.want === 'table') {
        const { body } = await client.request<ServerTable>('GET', path, { query, accept: TABLE_ACCEPT });
        return { cluster: m.cluster, state: 'ok', resource, table: body };
      }
      const { body } = await client.request<KubeObject & { items?: KubeObject[] }>('GET', path, { query });
      const apiVersion = resource.group ? `${resource.group}/${resource.version}` : resource.version;
      const items = req.name !== undefined ? [body] : (body.items ?? []).map((o) => ({ ...o, apiVersion, kind: resource.kind }));
      return { cluster: m.cluster, state: 'ok', resource, items };
    } catch (err) {
      if (req.name !== undefined && err instanceof KubeApiError && err.status === 404) return { cluster: m.cluster, state: 'not-found', resource };
      throw err;
    }
  } finally {
    client.close();
  }
}

/** Asks every member at once; the answers come back in the members' order. */
export async function getAcrossMembers(kc: KubeConfig, members: readonly Member[], req: GetRequest): Promise<MemberAnswer[]> {
  return Promise.all(
    members.map((m) =>
      askMember(kc, m, req).catch((err: unknown): MemberAnswer => {
        const code = err instanceof GitfedError ? err.code : 'ApiRequestFailed';
        return { cluster: m.cluster, state: 'failed', code, message: (err as Error).message };
      }),
    ),
  );
}
