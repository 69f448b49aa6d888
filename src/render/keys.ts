/** The file names objects get in the output tree. (Their identity is src/object.ts.) */
import { groupOf, type KubeObject } from '../object.js';

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
