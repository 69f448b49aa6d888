/**
 * @module object
 * The one model of a Kubernetes object that render, git, apply and fleet share: the object as
 * parsed, its identity (group, kind, namespace, name), the one key built from that identity and
 * the one form people read (`Kind/namespace/name`). Imports nothing of gitfed's.
 *
 * The version is kept in a ref for building URLs but left out of the key, because the API
 * server serves one object under every version of its group.
 */

/** A plain Kubernetes object as parsed from YAML. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** `<group>/<Kind>/<namespace>/<name>`: what makes two objects the same object. */
export type ObjectKey = string;

/** What names an object, without the version: enough for a key and a message. */
export interface ObjectIdentity {
  /** "" for the core group. */
  readonly group: string;
  readonly kind: string;
  /** "" for cluster-scoped objects. */
  readonly namespace: string;
  readonly name: string;
}

/** An identity plus the version to address the object at. */
export interface ObjectRef extends ObjectIdentity {
  readonly version: string;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function groupOf(apiVersion: string): string {
  return splitApiVersion(apiVersion).group;
}

export function apiVersionOf(ref: Pick<ObjectRef, 'group' | 'version'>): string {
  return ref.group ? `${ref.group}/${ref.version}` : ref.version;
}

export function refOf(obj: KubeObject): ObjectRef {
  const { group, version } = splitApiVersion(obj.apiVersion);
  return { group, version, kind: obj.kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name };
}

/** The key of an identity: same object, same key, on the render and the apply side. */
export function refKey(ref: Pick<ObjectIdentity, 'group' | 'kind' | 'namespace' | 'name'>): ObjectKey {
  return `${ref.group}/${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** The key of an object. */
export function objectKey(obj: KubeObject): ObjectKey {
  return refKey(refOf(obj));
}

/** The identity a key names; undefined when the string is not a key. */
export function parseKey(key: string): ObjectIdentity | undefined {
  const parts = key.split('/');
  if (parts.length !== 4) return undefined;
  const [group, kind, namespace, name] = parts as [string, string, string, string];
  return { group, kind, namespace, name };
}

/** What people read in reports, messages and errors: `Kind/namespace/name`, or `Kind/name` when cluster-scoped. */
export function formatRef(ref: Pick<ObjectIdentity, 'kind' | 'namespace' | 'name'>): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

/** An object in the form people read. */
export function displayName(obj: KubeObject): string {
  return formatRef({ kind: obj.kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name });
}

/** A key in the form people read. */
export function displayKey(key: ObjectKey): string {
  const id = parseKey(key);
  return id ? formatRef(id) : key;
}

/** An object named either way, ObjectKey or already `Kind/ns/name`, in the form people read. */
export function displayObject(name: string): string {
  return displayKey(name);
}

/** `group/Kind` key of a resource type; the unit discovery, listing and watching work in. */
export function groupKindOf(ref: Pick<ObjectIdentity, 'group' | 'kind'>): string {
  return `${ref.group}/${ref.kind}`;
}
