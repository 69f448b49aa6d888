/**
 * @module get/discovery
 * One member's API resources, as kubectl discovers them: the core group, then the preferred
 * version of every other group. A spelling that names its group asks only that group.
 */
import type { KubeClient } from '../apply/member/kube-client.js';
import type { ApiResource, TypeSpelling } from './resolve.js';

interface ResourceList {
  groupVersion?: string;
  resources?: { name: string; singularName?: string; kind: string; namespaced: boolean; shortNames?: string[]; verbs?: string[] }[];
}

interface GroupList {
  groups?: { name: string; preferredVersion?: { groupVersion: string }; versions?: { groupVersion: string; version: string }[] }[];
}

function resourcesOf(list: ResourceList, group: string, version: string): ApiResource[] {
  return (list.resources ?? [])
    .filter((r) => !r.name.includes('/') && (r.verbs ?? ['list']).includes('list'))
    .map((r) => ({ group, version, name: r.name, singularName: r.singularName || r.kind.toLowerCase(), kind: r.kind, namespaced: r.namespaced, shortNames: r.shortNames ?? [] }));
}

async function groupVersion(client: KubeClient, gv: string): Promise<ApiResource[]> {
  const [group, version] = gv.includes('/') ? (gv.split('/') as [string, string]) : ['', gv];
  const path = group ? `/apis/${gv}` : `/api/${gv}`;
  const { body } = await client.request<ResourceList>('GET', path);
  return resourcesOf(body, group, version);
}

/** The member's resources that may answer `spelling`: preferred versions first, core first. */
export async function discover(client: KubeClient, spelling: TypeSpelling): Promise<ApiResource[]> {
  const { body } = await client.request<GroupList>('GET', '/apis');
  const wanted: string[] = [];
  if (spelling.group === undefined || spelling.group === '' || spelling.group === 'core') wanted.push('v1');
  for (const g of body.groups ?? []) {
    if (spelling.group !== undefined && g.name !== spelling.group) continue;
    const preferred = g.preferredVersion?.groupVersion;
    const gvs = spelling.version ? (g.versions ?? []).filter((v) => v.version === spelling.version).map((v) => v.groupVersion) : preferred ? [preferred] : [];
    wanted.push(...gvs);
  }
  const lists = await Promise.all(wanted.map((gv) => groupVersion(client, gv)));
  return lists.flat();
}
