/** Object identities and the file names they get in the output tree. */
import type { KubeObject, ObjectKey } from './types.js';

export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** `<group>/<Kind>/<namespace>/<name>`: the version is left out because the API server does not treat it as identity. */
export function objectKey(obj: KubeObject): ObjectKey {
  return `${groupOf(obj.apiVersion)}/${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

/**
 * apiVersion, kind, namespace and name in one string, for caches keyed by identity. Only the name
 * may hold any character in a valid identity (an RBAC name), and it comes last, so the key is exact.
 */
export function identityKey(obj: KubeObject): string {
  return `${obj.apiVersion}\0${obj.kind}\0${obj.metadata.namespace ?? ''}\0${obj.metadata.name}`;
}

/** The form people read in messages: `Kind/namespace/name` or `Kind/name`. */
export function displayName(obj: KubeObject): string {
  return obj.metadata.namespace ? `${obj.kind}/${obj.metadata.namespace}/${obj.metadata.name}` : `${obj.kind}/${obj.metadata.name}`;
}

export function displayKey(key: ObjectKey): string {
  const [, kind, ns, name] = key.split('/');
  return ns ? `${kind}/${ns}/${name}` : `${kind}/${name}`;
}

/** An object named either way, ObjectKey or `Kind/ns/name`, in the form people read. */
export function displayObject(name: string): string {
  const parts = name.split('/');
  return parts.length === 4 ? displayKey(name) : name;
}

// Kubernetes names are DNS subdomains, but RBAC names may hold ':' and other characters that
// are awkward in paths on some systems; they are percent-encoded so every name maps to one file.
function safe(segment: string): string {
  return segment.replace(/[^A-Za-z0-9._-]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

/**
 * Path of an object's file inside its cluster directory:
 * `_cluster/<kind>[.<group>]-<name>.yaml` for cluster-scoped objects,
 * `<namespace>/<kind>[.<group>]-<name>.yaml` for namespaced ones.
 */
export function fileNameOf(obj: KubeObject): string {
  const group = groupOf(obj.apiVersion);
  const kind = obj.kind.toLowerCase() + (group ? '.' + group : '');
  const scope = obj.metadata.namespace ? safe(obj.metadata.namespace) : '_cluster';
  return `${scope}/${kind}-${safe(obj.metadata.name)}.yaml`;
}
