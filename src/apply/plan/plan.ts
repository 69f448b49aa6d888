/**
 * @module plan
 * Pure decisions, no client: the payload each desired object gets, and what to do about it
 * given the live object from the cache. An object whose live copy carries the same digest and
 * still holds every applied field needs nothing, not even a request.
 */
import type { KubeObject } from '../../render/types.js';
import { objectDigest } from './digest.js';
import { driftedPaths } from './drift.js';
import { ignoredPointers, type IgnoreRule } from './ignore.js';
import type { DesiredObject } from '../source/manifests.js';
import { refKey, type ObjectRef } from '../../object.js';
import { appliedDigest, isOwned, withOwnership } from '../member/ownership.js';

export interface PreparedObject {
  readonly ref: ObjectRef;
  readonly key: string;
  readonly file: string;
  /** The object as the branch has it, with its namespace settled. */
  readonly desired: KubeObject;
  /** JSON pointers the ignore rules leave to others on this object. */
  readonly pointers: readonly string[];
  readonly digest: string;
  /** What gitfed applies to a new object: desired plus ownership labels and digest. */
  readonly payload: KubeObject;
}

/** Is a kind namespaced? true/false when known (discovery or a CRD of the branch), undefined otherwise. */
export type ScopeOf = (ref: Pick<ObjectRef, 'group' | 'kind'>) => boolean | undefined;

/** Scopes declared by the CRDs of the branch itself, for kinds the member does not serve yet. */
export function scopesFromCrds(objects: readonly DesiredObject[]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const { obj } of objects) {
    if (obj.kind !== 'CustomResourceDefinition' || !obj.apiVersion.startsWith('apiextensions.k8s.io/')) continue;
    const spec = (obj.spec ?? {}) as { group?: string; scope?: string; names?: { kind?: string } };
    if (spec.group && spec.names?.kind) out.set(`${spec.group}/${spec.names.kind}`, spec.scope !== 'Cluster');
  }
  return out;
}

/** Namespaced objects without a namespace go to `default`; cluster-scoped ones lose theirs. */
export function settleNamespace(d: DesiredObject, namespaced: boolean | undefined): DesiredObject {
  const ns = d.obj.metadata.namespace;
  if (namespaced === true && !ns) {
    return { ...d, ref: { ...d.ref, namespace: 'default' }, obj: { ...d.obj, metadata: { ...d.obj.metadata, namespace: 'default' } } };
  }
  if (namespaced === false && ns !== undefined) {
    const { namespace: _ns, ...metadata } = d.obj.metadata;
    return { ...d, ref: { ...d.ref, namespace: '' }, obj: { ...d.obj, metadata: metadata as KubeObject['metadata'] } };
  }
  return d;
}

/**
 * Prepared payloads by the parsed object they came from. A daemon's parse cache hands out the
 * same object for an unchanged file, so a new head re-digests only what changed.
 */
const memo = new WeakMap<object, { readonly stamp: string; readonly prepared: PreparedObject }>();

export function prepare(objects: readonly DesiredObject[], cluster: string, rules: readonly IgnoreRule[], scopeOf: ScopeOf): PreparedObject[] {
  return objects.map((d0) => {
    const d = settleNamespace(d0, scopeOf(d0.ref));
    const pointers = ignoredPointers(rules, d.ref);
    const stamp = `${cluster}\0${d.file}\0${d.ref.namespace}\0${pointers.join('\n')}`;
    const hit = memo.get(d0.obj);
    if (hit && hit.stamp === stamp) return hit.prepared;
    const digest = objectDigest(d.obj, pointers);
    const prepared = { ref: d.ref, key: refKey(d.ref), file: d.file, desired: d.obj, pointers, digest, payload: withOwnership(d.obj, cluster, digest) };
    memo.set(d0.obj, { stamp, prepared });
    return prepared;
  });
}

export type Decision =
  /** Live holds what was applied: no request. */
  | { readonly kind: 'in-sync' }
  /** Not owned yet (new, or present without gitfed's label): one apply. */
  | { readonly kind: 'create' }
  /** The branch changed the object: dry-run, then apply. */
  | { readonly kind: 'update' }
  /** Same digest, but live differs in these fields: confirm with a dry-run before calling it drift. */
  | { readonly kind: 'suspect-drift'; readonly paths: readonly string[] };

/** What a session remembers of a live copy found in sync: its resourceVersion and the digest. */
export function verifiedStamp(live: KubeObject, digest: string): string {
  return `${String(live.metadata.resourceVersion)}:${digest}`;
}

/**
 * @param verified the verifiedStamp of a live copy already found in sync (by this check or by a
 *   dry-run that cleared a false alarm), so it is not examined again.
 */
export function decide(p: PreparedObject, live: KubeObject | undefined, verified?: string): Decision {
  if (!live || !isOwned(live)) return { kind: 'create' };
  if (appliedDigest(live) !== p.digest) return { kind: 'update' };
  // Any change to the live object bumps its resourceVersion: a version already found in sync still is.
  if (verified !== undefined && verified === verifiedStamp(live, p.digest)) return { kind: 'in-sync' };
  const paths = driftedPaths(p.payload, live, p.pointers);
  if (paths.length === 0) return { kind: 'in-sync' };
  return { kind: 'suspect-drift', paths };
}
