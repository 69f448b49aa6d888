/**
 * The federated types gitfed knows without a type config, and the registry that type configs
 * extend. A `Federated<Kind>` is rendered only if its kind resolves here; anything else is an
 * error rather than a guess, because a wrong apiVersion or scope would produce objects no member
 * accepts.
 */
import type { SourceObject } from '../types.js';

export const FEDERATED_GROUP = 'types.kubefed.io';
export const FEDERATED_VERSION = 'v1beta1';

export interface TargetType {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly pluralName: string;
  /** Scope of the member object. FederatedNamespace is namespaced itself but its target is not. */
  readonly namespaced: boolean;
  readonly federatedGroup: string;
  readonly federatedVersion: string;
  readonly federatedKind: string;
  /** `propagation: Disabled` in a type config: objects of the type are read but go nowhere. */
  readonly propagation: boolean;
  /** The type config that declared it; absent for built-ins. */
  readonly source?: SourceObject;
}

export function apiVersionOf(t: { readonly group: string; readonly version: string }): string {
  return t.group === '' ? t.version : `${t.group}/${t.version}`;
}

/** kubefedctl's `PluralName`: lowercase, then +es after s/x/ch/sh/z/o, y -> ies, otherwise +s. */
export function pluralName(kind: string): string {
  const k = kind.toLowerCase();
  if (/(s|x|z|ch|sh|o)$/.test(k)) return k + 'es';
  if (k.endsWith('y')) return k.slice(0, -1) + 'ies';
  return k + 's';
}

function builtin(group: string, version: string, kind: string, namespaced: boolean): TargetType {
  return { group, version, kind, pluralName: pluralName(kind), namespaced, federatedGroup: FEDERATED_GROUP, federatedVersion: FEDERATED_VERSION, federatedKind: `Federated${kind}`, propagation: true };
}

/** The built-in list, each at the version a current API server serves. */
export const BUILTIN_TYPES: readonly TargetType[] = [
  builtin('', 'v1', 'Namespace', false),
  builtin('', 'v1', 'ConfigMap', true),
  builtin('', 'v1', 'Secret', true),
  builtin('', 'v1', 'ServiceAccount', true),
  builtin('', 'v1', 'Service', true),
  builtin('networking.k8s.io', 'v1', 'Ingress', true),
  builtin('apps', 'v1', 'Deployment', true),
  builtin('apps', 'v1', 'ReplicaSet', true),
  builtin('apps', 'v1', 'StatefulSet', true),
  builtin('apps', 'v1', 'DaemonSet', true),
  builtin('batch', 'v1', 'Job', true),
  builtin('batch', 'v1', 'CronJob', true),
  builtin('autoscaling', 'v2', 'HorizontalPodAutoscaler', true),
  builtin('rbac.authorization.k8s.io', 'v1', 'Role', true),
  builtin('rbac.authorization.k8s.io', 'v1', 'RoleBinding', true),
  builtin('rbac.authorization.k8s.io', 'v1', 'ClusterRole', false),
  builtin('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', false),
];

function federatedId(group: string, kind: string): string {
  return `${group}/${kind}`;
}

/** Federated group/kind -> target type. Type configs replace built-ins of the same federated kind. */
export class TypeRegistry {
  private readonly byFederated = new Map<string, TargetType>();
  private readonly groups = new Set<string>();

  constructor(types: readonly TargetType[] = BUILTIN_TYPES) {
    for (const t of types) this.set(t);
  }

  set(t: TargetType): void {
    this.byFederated.set(federatedId(t.federatedGroup, t.federatedKind), t);
    this.groups.add(t.federatedGroup);
  }

  get(federatedGroup: string, federatedKind: string): TargetType | undefined {
    return this.byFederated.get(federatedId(federatedGroup, federatedKind));
  }

  /** Is this an API group that holds federated types (the default one or one a type config names)? */
  isFederatedGroup(group: string): boolean {
    return this.groups.has(group);
  }
}
