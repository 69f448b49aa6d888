/**
 * @module fleet/live
 * What the kubefedctl verbs read from a live cluster (`--from-cluster CONTEXT`): a type as the
 * cluster's discovery serves it, as `kubefedctl enable` looks it up, and one object of it.
 * Credentials come from the kubeconfig only, through apply's KubeClient; nothing is written there.
 */
import type { KubeObject } from '../object.js';
import { KubeClient, loadKubeConfig } from '../apply/member/kube-client.js';
import { KubeApiError } from '../apply/member/member-client.js';
import { discover } from '../get/discovery.js';
import { parseType, resolveType, type ApiResource } from '../get/resolve.js';
import { FleetError } from './errors.js';

export interface LiveCluster {
  readonly context: string;
  /** @default $KUBECONFIG, ~/.kube/config */
  readonly kubeconfig?: string;
}

async function withClient<T>(live: LiveCluster, use: (c: KubeClient) => Promise<T>): Promise<T> {
  const client = await KubeClient.connect(loadKubeConfig(live.kubeconfig), live.context, live.context, { concurrency: 4 });
  try {
    return await use(client);
  } finally {
    client.close();
  }
}

async function served(client: KubeClient, type: string, context: string): Promise<ApiResource> {
  const spelling = parseType(type);
  const r = resolveType(spelling, await discover(client, spelling));
  if (!r) throw new FleetError('NoKindMatch', `context ${context} serves no resource type ${JSON.stringify(type)}`, { cluster: context, hint: 'is its CRD installed there? spell it as kubectl does: Kind, plural, short name or plural.group' });
  return r;
}

/** The resource `type` (kubectl's spellings) names on the cluster: its preferred version, as kubefedctl enable takes it. */
export function servedType(live: LiveCluster, type: string): Promise<ApiResource> {
  return withClient(live, (c) => served(c, type, live.context));
}

/** One object of `type` on the cluster, or undefined when it is not there. */
export function liveObject(live: LiveCluster, type: string, namespace: string | undefined, name: string): Promise<{ resource: ApiResource; object?: KubeObject }> {
  return withClient(live, async (c) => {
    const resource = await served(c, type, live.context);
    const base = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
    const ns = resource.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? 'default')}` : '';
    try {
      const { body } = await c.request<KubeObject>('GET', `${base}${ns}/${resource.name}/${encodeURIComponent(name)}`);
      return { resource, object: body };
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return { resource };
      throw err;
    }
  });
}
