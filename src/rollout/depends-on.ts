/**
 * @module depends-on
 * Cross-cluster order: the annotation `gitfed.io/depends-on` lists objects, on this or other
 * member clusters, that must report Ready before this object is applied. Each entry is
 * `cluster/Kind[.group]/namespace/name`, or `cluster/Kind[.group]/name` for a cluster-scoped
 * object; entries are separated by commas. Pure: render checks the references (every one names
 * a rendered object, and there is no cycle), the daemon orders its applies by them.
 */
import type { KubeObject } from '../object.js';
import { groupOf, parseKey } from '../object.js';

export const DEPENDS_ON_ANNOTATION = 'gitfed.io/depends-on';

export interface DependencyRef {
  readonly cluster: string;
  readonly kind: string;
  /** undefined: any group that has the kind (as kubectl resolves a bare kind). */
  readonly group?: string;
  readonly namespace: string;
  readonly name: string;
}

/** The references of one annotation value, or the problem with the first one that is not one. */
export function parseDependsOn(value: string): { refs: DependencyRef[]; problem?: string } {
  const refs: DependencyRef[] = [];
  for (const raw of value.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const parts = entry.split('/');
    if ((parts.length !== 3 && parts.length !== 4) || parts.some((p) => p === '')) {
      return { refs, problem: `${JSON.stringify(entry)} is not cluster/Kind[.group]/namespace/name or cluster/Kind[.group]/name` };
    }
    const [cluster, kindGroup] = parts as [string, string];
    const dot = kindGroup.indexOf('.');
    const kind = dot < 0 ? kindGroup : kindGroup.slice(0, dot);
    const group = dot < 0 ? undefined : kindGroup.slice(dot + 1);
    refs.push({ cluster, kind, ...(group !== undefined ? { group } : {}), namespace: parts.length === 4 ? parts[2]! : '', name: parts[parts.length - 1]! });
  }
  return { refs };
}

/** The dependency references an object carries (none when it has no annotation or a malformed one). */
export function dependenciesOf(obj: KubeObject): DependencyRef[] {
  const value = obj.metadata.annotations?.[DEPENDS_ON_ANNOTATION];
  return value === undefined ? [] : parseDependsOn(value).refs;
}

/** Does `obj` on `cluster` answer `ref`? */
export function refMatches(ref: DependencyRef, cluster: string, obj: KubeObject): boolean {
  return (
    ref.cluster === cluster &&
    ref.kind === obj.kind &&
    ref.name === obj.metadata.name &&
    ref.namespace === (obj.metadata.namespace ?? '') &&
    (ref.group === undefined || ref.group === groupOf(obj.apiVersion))
  );
}

/** Does the object of a report key (`group/Kind/namespace/name`) answer `ref` (its cluster aside)? */
export function refMatchesKey(ref: DependencyRef, key: string): boolean {
  const id = parseKey(key);
  return id !== undefined && id.kind === ref.kind && id.name === ref.name && id.namespace === ref.namespace && (ref.group === undefined || ref.group === id.group);
}

export function formatDependency(ref: DependencyRef): string {
  const kind = ref.group !== undefined ? `${ref.kind}.${ref.group}` : ref.kind;
  return [ref.cluster, kind, ...(ref.namespace ? [ref.namespace] : []), ref.name].join('/');
}
