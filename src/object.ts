/**
 * @module object-ref
 * The one identity of an object on the apply side, and its one printed form. The version is
 * kept for building URLs but left out of the key, because the API server serves one object
 * under every version of its group.
 */
import type { KubeObject } from './render/types.js';

export interface ObjectRef {
  /** "" for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** "" for cluster-scoped objects. */
  readonly namespace: string;
  readonly name: string;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function apiVersionOf(ref: Pick<ObjectRef, 'group' | 'version'>): string {
  return ref.group ? `${ref.group}/${ref.version}` : ref.version;
}

export function refOf(obj: KubeObject): ObjectRef {
  const { group, version } = splitApiVersion(obj.apiVersion);
  return { group, version, kind: obj.kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name };
}

/** `<group>/<Kind>/<namespace>/<name>`, the ObjectKey of the render side: same object, same key. */
export function refKey(ref: Pick<ObjectRef, 'group' | 'kind' | 'namespace' | 'name'>): string {
  return `${ref.group}/${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** What people read in reports and errors: `Kind/namespace/name`, or `Kind/name` when cluster-scoped. */
export function formatRef(ref: Pick<ObjectRef, 'kind' | 'namespace' | 'name'>): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

/** `group/Kind` key of a resource type; the unit discovery, listing and watching work in. */
export function groupKindOf(ref: Pick<ObjectRef, 'group' | 'kind'>): string {
  return `${ref.group}/${ref.kind}`;
}
