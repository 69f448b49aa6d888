/**
 * @module plan
 * Pure decisions, no client: the payload each desired object gets, and what to do about it
 * given the live object from the cache. An object whose live copy carries the same digest and
 * still holds every applied field needs nothing, not even a request. An object another fleet
 * owns is left alone unless a takeOver rule hands it over.
 */
import { minimatch } from 'minimatch';
import type { KubeObject } from '../../object.js';
import type { TakeOverRule } from '../config.js';
import { objectDigest } from './digest.js';
import { driftedPaths } from './drift.js';
import type { FleetIdentity } from '../fleet.js';
import { ignoredPointers, type IgnoreRule } from './ignore.js';
import type { DesiredObject } from '../source/manifests.js';
import { refKey, type ObjectRef } from '../../object.js';
import { appliedDigest, ownerOf, withOwnership, type Owners } from '../member/ownership.js';

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

export function prepare(objects: readonly DesiredObject[], cluster: string, rules: readonly IgnoreRule[], scopeOf: ScopeOf, fleet: FleetIdentity): PreparedObject[] {
  return objects.map((d0) => {
    const d = settleNamespace(d0, scopeOf(d0.ref));
    const pointers = ignoredPointers(rules, d.ref);
    const stamp = `${cluster}\0${fleet.id}\0${fleet.name}\0${d.file}\0${d.ref.namespace}\0${pointers.join('\n')}`;
    const hit = memo.get(d0.obj);
    if (hit && hit.stamp === stamp) return hit.prepared;
    const digest = objectDigest(d.obj, pointers, d.digestKey);
    const prepared = { ref: d.ref, key: refKey(d.ref), file: d.file, desired: d.obj, pointers, digest, payload: withOwnership(d.obj, cluster, digest, fleet) };
    memo.set(d0.obj, { stamp, prepared });
    return prepared;
  });
}

/** The owner of a live object as a decision names it. */
export type Owner = Pick<FleetIdentity, 'name' | 'id'>;

export type Decision =
  /** Live holds what was applied: no request. */
  | { readonly kind: 'in-sync' }
  /** Not owned yet (new, or present without gitfed's label): one apply. */
  | { readonly kind: 'create' }
  /** Owned by an earlier name of this fleet, or by another fleet a takeOver rule names: one apply, which relabels it. */
  | { readonly kind: 'adopt'; readonly from: Owner; readonly reason: 'earlier-name' | 'take-over' }
  /** Owned by another fleet: no request; reported. */
  | { readonly kind: 'foreign'; readonly owner: Owner }
  /** The branch changed the object: dry-run, then apply. */
  | { readonly kind: 'update' }
  /** Same digest, but live differs in these fields: confirm with a dry-run before calling it drift. */
  | { readonly kind: 'suspect-drift'; readonly paths: readonly string[] };

/** What a session remembers of a live copy found in sync: its resourceVersion and the digest. */
export function verifiedStamp(live: KubeObject, digest: string): string {
  return `${String(live.metadata.resourceVersion)}:${digest}`;
}

/** What a decision needs to know about ownership on the member. */
export interface Claim extends Owners {
  readonly takeOver: readonly TakeOverRule[];
}

/** Whether a takeOver rule hands this object, owned by `owner`, to the fleet. */
export function takeOverAllowed(rules: readonly TakeOverRule[], ref: Pick<ObjectRef, 'group' | 'kind' | 'namespace' | 'name'>, owner: Owner): boolean {
  return rules.some(
    (r) =>
      (r.fleet === undefined || r.fleet === '*' || (owner.name !== '' && r.fleet === owner.name)) &&
      (r.group === undefined || r.group === ref.group) &&
      (r.kind === undefined || r.kind === '*' || r.kind === ref.kind) &&
      (r.namespace === undefined || minimatch(ref.namespace, r.namespace)) &&
      (r.name === undefined || minimatch(ref.name, r.name)),
  );
}

/**
 * @param verified the verifiedStamp of a live copy already found in sync (by this check or by a
 *   dry-run that cleared a false alarm), so it is not examined again.
 */
export function decide(p: PreparedObject, live: KubeObject | undefined, claim: Claim, verified?: string): Decision {
  const owner = live ? ownerOf(live) : undefined;
  if (!live || !owner) return { kind: 'create' };
  if (owner.id !== claim.fleet.id) {
    if (claim.predecessors.has(owner.id)) return { kind: 'adopt', from: owner, reason: 'earlier-name' };
    if (takeOverAllowed(claim.takeOver, p.ref, owner)) return { kind: 'adopt', from: owner, reason: 'take-over' };
    return { kind: 'foreign', owner };
  }
  if (appliedDigest(live) !== p.digest) return { kind: 'update' };
  // Any change to the live object bumps its resourceVersion: a version already found in sync still is.
  if (verified !== undefined && verified === verifiedStamp(live, p.digest)) return { kind: 'in-sync' };
  const paths = driftedPaths(p.payload, live, p.pointers);
  if (paths.length === 0) return { kind: 'in-sync' };
  return { kind: 'suspect-drift', paths };
}
