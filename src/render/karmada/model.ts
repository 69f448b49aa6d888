/**
 * @module karmada/model
 * The Karmada policy API (policy.karmada.io/v1alpha1) as far as a renderer reads it, and the parsed
 * policy records the engine works on. Field names follow upstream `propagation_types.go` and
 * `override_types.go`; defaults are applied by validate.ts, not here.
 */
import type { ErrorCode } from '../../errors.js';
import { formatRef } from '../../object.js';
import type { LabelSelector, SourceObject } from '../types.js';

export const POLICY_API_VERSION = 'policy.karmada.io/v1alpha1';

export type PropagationKind = 'PropagationPolicy' | 'ClusterPropagationPolicy';
export type OverrideKind = 'OverridePolicy' | 'ClusterOverridePolicy';

export interface ResourceSelector {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name?: string;
  labelSelector?: LabelSelector;
}

export interface FieldSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface ClusterAffinity {
  labelSelector?: LabelSelector;
  fieldSelector?: { matchExpressions?: FieldSelectorRequirement[] };
  clusterNames?: string[];
  exclude?: string[];
}

/** A supplementary cluster group of a term (Karmada v1.18): filled once the groups before it are full. */
export interface OverflowClusterAffinity extends ClusterAffinity {
  affinityName: string;
}

export interface ClusterAffinityTerm extends ClusterAffinity {
  affinityName: string;
  overflowAffinities?: OverflowClusterAffinity[];
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal' | string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface SpreadConstraint {
  spreadByField?: 'cluster' | 'region' | 'zone' | 'provider' | string;
  spreadByLabel?: string;
  maxGroups?: number;
  minGroups?: number;
}

export interface StaticClusterWeight {
  targetCluster: ClusterAffinity;
  weight: number;
}

export interface ReplicaScheduling {
  replicaSchedulingType?: 'Duplicated' | 'Divided' | string;
  replicaDivisionPreference?: 'Aggregated' | 'Weighted' | string;
  weightPreference?: { staticWeightList?: StaticClusterWeight[]; dynamicWeight?: string };
}

export interface Placement {
  clusterAffinity?: ClusterAffinity;
  clusterAffinities?: ClusterAffinityTerm[];
  clusterTolerations?: Toleration[];
  spreadConstraints?: SpreadConstraint[];
  replicaScheduling?: ReplicaScheduling;
  /** Read only to refuse it: gitfed does not place workloads by each other. */
  workloadAffinity?: unknown;
}

export interface PropagationSpec {
  resourceSelectors: ResourceSelector[];
  placement?: Placement;
  propagateDeps?: boolean;
  priority?: number;
  preemption?: string;
  dependentOverrides?: string[];
  schedulerName?: string;
  preserveResourcesOnDeletion?: boolean;
  suspension?: { dispatching?: boolean; dispatchingOnClusters?: { clusterNames?: string[] } };
  [field: string]: unknown;
}

export interface PlaintextOverrider {
  path: string;
  operator: 'add' | 'remove' | 'replace' | string;
  value?: unknown;
}

export interface ImageOverrider {
  predicate?: { path: string };
  component: 'Registry' | 'Repository' | 'Tag' | string;
  operator: 'add' | 'remove' | 'replace' | string;
  value?: string;
}

export interface CommandArgsOverrider {
  containerName: string;
  operator: 'add' | 'remove' | string;
  value?: string[];
}

export interface LabelAnnotationOverrider {
  operator: 'add' | 'remove' | 'replace' | string;
  value?: Record<string, string>;
}

export interface SubPatch {
  subPath: string;
  operator: 'add' | 'remove' | 'replace' | string;
  value?: unknown;
}

export interface FieldOverrider {
  fieldPath: string;
  json?: SubPatch[];
  yaml?: SubPatch[];
}

export interface Overriders {
  plaintext?: PlaintextOverrider[];
  imageOverrider?: ImageOverrider[];
  commandOverrider?: CommandArgsOverrider[];
  argsOverrider?: CommandArgsOverrider[];
  labelsOverrider?: LabelAnnotationOverrider[];
  annotationsOverrider?: LabelAnnotationOverrider[];
  fieldOverrider?: FieldOverrider[];
}

export interface OverrideRule {
  targetCluster?: ClusterAffinity;
  overriders: Overriders;
}

export interface OverrideSpec {
  resourceSelectors?: ResourceSelector[];
  overrideRules?: OverrideRule[];
  /** Deprecated single-rule form, read as one rule. */
  targetCluster?: ClusterAffinity;
  overriders?: Overriders;
}

/** A part of a policy a stateless render cannot honour; reported for every template the policy wins. */
export interface Unsupported {
  readonly code: ErrorCode;
  readonly message: string;
  readonly path: readonly (string | number)[];
}

/** A validated, defaulted PropagationPolicy or ClusterPropagationPolicy. */
export interface PropagationPolicy {
  readonly kind: PropagationKind;
  readonly name: string;
  /** '' for a ClusterPropagationPolicy. */
  readonly namespace: string;
  readonly spec: PropagationSpec;
  readonly src: SourceObject;
  readonly unsupported: readonly Unsupported[];
}

/** A validated OverridePolicy or ClusterOverridePolicy; `rules` already folds the deprecated form in. */
export interface OverridePolicy {
  readonly kind: OverrideKind;
  readonly name: string;
  readonly namespace: string;
  readonly selectors: readonly ResourceSelector[];
  readonly rules: readonly OverrideRule[];
  readonly src: SourceObject;
}

/** `PropagationPolicy/ns/name` or `ClusterPropagationPolicy/name`: how messages name a policy. */
export function policyRef(p: { kind: string; namespace: string; name: string }): string {
  return formatRef(p);
}
