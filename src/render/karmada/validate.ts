/**
 * @module karmada/validate
 * What Karmada's admission webhooks would reject or default, applied to the policies read from
 * git (`pkg/webhook/*policy/mutating.go`, `pkg/util/validation/validation.go`), plus the parts a
 * stateless render cannot honour. An invalid policy is reported and left out, as the API server
 * would never have stored it.
 */
import type { ErrorCode } from '../../errors.js';
import { policyFieldFindings } from './fields.js';
import { matchesSelector, SelectorError } from '../selector.js';
import { shapeProblems, withoutNulls, type Shape } from '../shape.js';
import type { Diagnostic, LabelSelector, SourceObject } from '../types.js';
import {
  policyRef,
  POLICY_API_VERSION,
  type ClusterAffinity,
  type ClusterAffinityTerm,
  type OverrideKind,
  type OverridePolicy,
  type OverrideRule,
  type Overriders,
  type Placement,
  type PropagationKind,
  type PropagationPolicy,
  type PropagationSpec,
  type ResourceSelector,
  type Unsupported,
} from './model.js';

type Path = (string | number)[];
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

// The fields gitfed reads, typed as in upstream's propagation_types.go and override_types.go (and
// their CRDs: a static weight is at least 1). Enumerations are checked with the semantics below.
const strings: Shape = { list: 'string' };
const requirements: Shape = { list: { fields: { key: 'string', operator: 'string', values: strings } } };
const labelSelector: Shape = { fields: { matchLabels: { map: 'string' }, matchExpressions: requirements } };
const affinityFields = { labelSelector, fieldSelector: { fields: { matchExpressions: requirements } }, clusterNames: strings, exclude: strings } as const;
const affinity: Shape = { fields: affinityFields };
const resourceSelectors: Shape = { list: { fields: { apiVersion: 'string', kind: 'string', namespace: 'string', name: 'string', labelSelector } } };
const PROPAGATION_SPEC: Shape = {
  fields: {
    resourceSelectors,
    propagateDeps: 'boolean',
    priority: { int: 'int32' },
    preemption: 'string',
    dependentOverrides: strings,
    preserveResourcesOnDeletion: 'boolean',
    schedulerName: 'string',
    suspension: { fields: { dispatching: 'boolean', dispatchingOnClusters: { fields: { clusterNames: strings } } } },
    placement: {
      fields: {
        clusterAffinity: affinity,
        clusterAffinities: { list: { fields: { ...affinityFields, affinityName: 'string', overflowAffinities: { list: { fields: { ...affinityFields, affinityName: 'string' } } } } } },
        clusterTolerations: { list: { fields: { key: 'string', operator: 'string', value: 'string', effect: 'string', tolerationSeconds: { int: 'int64' } } } },
        spreadConstraints: { list: { fields: { spreadByField: 'string', spreadByLabel: 'string', maxGroups: { int: 'int64' }, minGroups: { int: 'int64' } } } },
        replicaScheduling: {
          fields: {
            replicaSchedulingType: 'string',
            replicaDivisionPreference: 'string',
            weightPreference: { fields: { staticWeightList: { list: { fields: { targetCluster: affinity, weight: { int: 'int64', min: 1 } } } }, dynamicWeight: 'string' } },
          },
        },
      },
    },
  },
};
const patches: Shape = { list: { fields: { subPath: 'string', operator: 'string', value: 'any' } } };
const commandArgs: Shape = { list: { fields: { containerName: 'string', operator: 'string', value: strings } } };
const labelsAnnotations: Shape = { list: { fields: { operator: 'string', value: { map: 'string' } } } };
const overriders: Shape = {
  fields: {
    plaintext: { list: { fields: { path: 'string', operator: 'string', value: 'any' } } },
    imageOverrider: { list: { fields: { predicate: { fields: { path: 'string' } }, component: 'string', operator: 'string', value: 'string' } } },
    commandOverrider: commandArgs,
    argsOverrider: commandArgs,
    labelsOverrider: labelsAnnotations,
    annotationsOverrider: labelsAnnotations,
    fieldOverrider: { list: { fields: { fieldPath: 'string', json: patches, yaml: patches } } },
  },
};
const OVERRIDE_SPEC: Shape = { fields: { resourceSelectors, overrideRules: { list: { fields: { targetCluster: affinity, overriders } } }, targetCluster: affinity, overriders } };

/**
 * The spec with its declared null fields dropped (as the API server drops them), or undefined
 * after reporting its type errors as the API server's schema validation would.
 */
function typedSpec(src: SourceObject, shape: Shape, diagnostics: Diagnostic[]): Obj | undefined {
  const raw = src.obj.spec ?? {};
  const problems = shapeProblems(raw, shape, ['spec']);
  for (const p of problems) diagnostics.push(diag(src, 'Schema', p.message, p.path));
  return problems.length === 0 ? (withoutNulls(raw, shape) as Obj) : undefined;
}

export function isPolicyDocument(src: SourceObject): boolean {
  return src.obj.apiVersion === POLICY_API_VERSION && ['PropagationPolicy', 'ClusterPropagationPolicy', 'OverridePolicy', 'ClusterOverridePolicy'].includes(src.obj.kind);
}

class Checker {
  readonly problems: { path: Path; message: string }[] = [];
  fail(path: Path, message: string): void {
    this.problems.push({ path, message });
  }
  selector(path: Path, sel: unknown): void {
    if (sel === undefined || sel === null) return;
    if (!isObj(sel)) return this.fail(path, 'must be a label selector');
    try {
      matchesSelector(sel as LabelSelector, {});
    } catch (err) {
      if (!(err instanceof SelectorError)) throw err;
      this.fail(path, err.message);
    }
  }
  resourceSelectors(path: Path, list: unknown, policyNs: string): ResourceSelector[] {
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list)) {
      this.fail(path, 'must be a list');
      return [];
    }
    return list.map((rs: unknown, i) => {
      const p = [...path, i];
      if (!isObj(rs) || typeof rs.apiVersion !== 'string' || typeof rs.kind !== 'string' || !rs.apiVersion || !rs.kind) {
        this.fail(p, 'a resource selector needs apiVersion and kind');
        return { apiVersion: '', kind: '' };
      }
      this.selector([...p, 'labelSelector'], rs.labelSelector);
      const out = { ...rs } as unknown as ResourceSelector;
      if (policyNs) {
        // A namespaced policy only ever selects in its own namespace: the webhook fills it in and rejects others.
        if (out.namespace && out.namespace !== policyNs) this.fail([...p, 'namespace'], `must be empty or the policy's own namespace ${policyNs}`);
        out.namespace = policyNs;
      }
      return out;
    });
  }
  affinity(path: Path, a: unknown): void {
    if (a === undefined || a === null) return;
    if (!isObj(a)) return this.fail(path, 'must be a cluster affinity');
    this.selector([...path, 'labelSelector'], a.labelSelector);
    for (const f of ['clusterNames', 'exclude'] as const) {
      if (a[f] !== undefined && (!Array.isArray(a[f]) || (a[f] as unknown[]).some((n) => typeof n !== 'string'))) this.fail([...path, f], 'must be a list of cluster names');
    }
    const exprs = isObj(a.fieldSelector) ? a.fieldSelector.matchExpressions : undefined;
    if (exprs !== undefined && !Array.isArray(exprs)) return this.fail([...path, 'fieldSelector', 'matchExpressions'], 'must be a list');
    (exprs ?? []).forEach((e: unknown, i: number) => {
      const p = [...path, 'fieldSelector', 'matchExpressions', i];
      if (!isObj(e)) return this.fail(p, 'must be a requirement');
      if (!['provider', 'region', 'zone'].includes(e.key as string)) this.fail([...p, 'key'], `unsupported key ${JSON.stringify(e.key)}: provider, region or zone`);
      if (!['In', 'NotIn'].includes(e.operator as string)) this.fail([...p, 'operator'], `unsupported operator ${JSON.stringify(e.operator)}: In or NotIn`);
    });
  }
}

function diag(src: SourceObject, code: ErrorCode, message: string, path: Path): Diagnostic {
  return { severity: 'error', code, message, ...where(src, path) };
}

function where(src: SourceObject, path: readonly (string | number)[]) {
  return { file: src.pos.file, line: src.lineOf(path), object: `policy.karmada.io/${src.obj.kind}/${src.obj.metadata.namespace ?? ''}/${src.obj.metadata.name}` };
}

/** Unknown fields are errors; fields upstream has and a render does not honour are warnings. */
function checkPolicyFields(src: SourceObject, diagnostics: Diagnostic[]): void {
  for (const f of policyFieldFindings(src)) {
    if (f.kind === 'unknown') diagnostics.push(diag(src, 'UnknownField', f.message, [...f.path]));
    else diagnostics.push({ severity: 'warning', code: 'FieldIgnored', message: f.message, ...where(src, f.path) });
  }
}

/** What both policy families start with: identity, the spec, and the selectors checked and defaulted. */
function begin(src: SourceObject, spec: Obj) {
  const namespaced = src.obj.kind === 'PropagationPolicy' || src.obj.kind === 'OverridePolicy';
  const namespace = namespaced ? src.obj.metadata.namespace || 'default' : '';
  const c = new Checker();
  return {
    namespace,
    ref: policyRef({ kind: src.obj.kind, namespace, name: src.obj.metadata.name }),
    c,
    spec,
    selectors: c.resourceSelectors(['spec', 'resourceSelectors'], spec.resourceSelectors, namespace),
  };
}

function report(src: SourceObject, ref: string, c: Checker, diagnostics: Diagnostic[]): boolean {
  for (const p of c.problems) diagnostics.push(diag(src, 'InvalidPolicy', `${ref}: ${p.message}`, p.path));
  return c.problems.length === 0;
}

export function validatePropagationPolicy(src: SourceObject, diagnostics: Diagnostic[]): PropagationPolicy | undefined {
  checkPolicyFields(src, diagnostics);
  const typed = typedSpec(src, PROPAGATION_SPEC, diagnostics);
  if (!typed) return undefined;
  const kind = src.obj.kind as PropagationKind;
  const { namespace, ref, c, spec, selectors } = begin(src, typed);
  if (selectors.length === 0) c.fail(['spec', 'resourceSelectors'], 'at least one resource selector is required (an empty list does not mean all)');
  if (spec.preemption === 'Always' && selectors.some((s) => !s.name)) c.fail(['spec', 'preemption'], 'preemption Always needs a name in every resource selector');
  const placement = normalisePlacement(c, isObj(spec.placement) ? spec.placement : {});
  const out: PropagationSpec = { ...(spec as PropagationSpec), resourceSelectors: selectors, placement };
  if (selectors.some((s) => s.apiVersion === 'multicluster.x-k8s.io/v1alpha1' && s.kind === 'ServiceImport')) out.propagateDeps = true;

  if (!report(src, ref, c, diagnostics)) return undefined;
  return { kind, name: src.obj.metadata.name, namespace, spec: out, src, unsupported: unsupportedParts(out) };
}

function normalisePlacement(c: Checker, raw: Obj): Placement {
  const base: Path = ['spec', 'placement'];
  const placement = structuredClone(raw) as Placement & Obj;
  if (placement.clusterAffinity && placement.clusterAffinities) c.fail([...base, 'clusterAffinities'], 'clusterAffinity and clusterAffinities cannot be used together');
  c.affinity([...base, 'clusterAffinity'], placement.clusterAffinity);
  if (placement.clusterAffinities !== undefined) {
    if (!Array.isArray(placement.clusterAffinities)) c.fail([...base, 'clusterAffinities'], 'must be a list');
    else {
      const seen = new Set<string>();
      placement.clusterAffinities.forEach((t, i) => {
        const p = [...base, 'clusterAffinities', i];
        if (!isObj(t) || typeof t.affinityName !== 'string' || !t.affinityName) return c.fail(p, 'each term needs an affinityName');
        if (seen.has(t.affinityName)) c.fail([...p, 'affinityName'], `duplicate affinityName ${t.affinityName}`);
        seen.add(t.affinityName);
        c.affinity(p, t);
      });
    }
  }
  (Array.isArray(placement.clusterTolerations) ? placement.clusterTolerations : []).forEach((t, i) => {
    if (!isObj(t) || (t.operator !== undefined && t.operator !== 'Exists' && t.operator !== 'Equal')) {
      c.fail([...base, 'clusterTolerations', i, 'operator'], 'operator must be Exists or Equal');
    }
  });
  if (placement.spreadConstraints !== undefined) {
    if (!Array.isArray(placement.spreadConstraints)) c.fail([...base, 'spreadConstraints'], 'must be a list');
    else normaliseSpread(c, placement);
  }
  const rsRaw: unknown = placement.replicaScheduling;
  if (rsRaw !== undefined) {
    if (!isObj(rsRaw)) c.fail([...base, 'replicaScheduling'], 'must be an object');
    else {
      const rs = placement.replicaScheduling!;
      rs.replicaSchedulingType ??= 'Divided';
      if (!['Duplicated', 'Divided'].includes(rs.replicaSchedulingType)) c.fail([...base, 'replicaScheduling', 'replicaSchedulingType'], 'must be Duplicated or Divided');
      if (rs.replicaSchedulingType === 'Divided') rs.replicaDivisionPreference ||= 'Weighted';
      if (rs.replicaDivisionPreference && !['Weighted', 'Aggregated'].includes(rs.replicaDivisionPreference)) {
        c.fail([...base, 'replicaScheduling', 'replicaDivisionPreference'], 'must be Weighted or Aggregated');
      }
      (rs.weightPreference?.staticWeightList ?? []).forEach((w, i) => {
        const p = [...base, 'replicaScheduling', 'weightPreference', 'staticWeightList', i];
        if (w.weight === undefined || w.weight === null) c.fail([...p, 'weight'], 'is required');
        if (!isObj(w.targetCluster)) c.fail([...p, 'targetCluster'], 'is required');
        else c.affinity([...p, 'targetCluster'], w.targetCluster);
      });
    }
  }
  if (Array.isArray(placement.clusterAffinities)) placement.clusterAffinities.forEach((t, i) => isObj(t) && checkOverflow(c, placement, t, [...base, 'clusterAffinities', i]));
  return placement;
}

const isEmptyAffinity = (a: ClusterAffinity) => !a.labelSelector && !a.fieldSelector && !a.clusterNames?.length && !a.exclude?.length;

/** Karmada's webhook checks of overflowAffinities (`ValidateOverflowAffinities`, `IsOverflowSchedulingAllowed`). */
function checkOverflow(c: Checker, placement: Placement, term: ClusterAffinityTerm, p: Path): void {
  if (term.overflowAffinities === undefined) return;
  const rs = placement.replicaScheduling;
  const byCapacity = rs?.replicaSchedulingType === 'Divided' && (rs.replicaDivisionPreference === 'Aggregated' || (rs.replicaDivisionPreference === 'Weighted' && !!rs.weightPreference?.dynamicWeight));
  if (!byCapacity) c.fail([...p, 'overflowAffinities'], 'overflowAffinities can only be used together with dynamic weight or aggregated scheduling');
  if (isEmptyAffinity(term)) c.fail([...p, 'overflowAffinities'], 'overflowAffinities can only be used together with the inline ClusterAffinity');
  const names = new Set([term.affinityName]);
  (Array.isArray(term.overflowAffinities) ? term.overflowAffinities : []).forEach((o, j) => {
    const q = [...p, 'overflowAffinities', j];
    if (!isObj(o) || typeof o.affinityName !== 'string' || !o.affinityName) return c.fail(q, 'each overflow affinity needs an affinityName');
    if (names.has(o.affinityName)) c.fail([...q, 'affinityName'], "overflow affinity name must be unique and must not duplicate the primary group's affinityName");
    names.add(o.affinityName);
    c.affinity(q, o);
  });
}

function normaliseSpread(c: Checker, placement: Placement): void {
  const path: Path = ['spec', 'placement', 'spreadConstraints'];
  const fields = new Set<string>();
  placement.spreadConstraints!.forEach((sc, i) => {
    if (sc.spreadByField && sc.spreadByLabel) c.fail([...path, i], 'spreadByLabel should not co-exist with spreadByField');
    if (!sc.spreadByField && !sc.spreadByLabel) sc.spreadByField = 'cluster';
    sc.minGroups ||= 1;
    if (sc.minGroups < 0) c.fail([...path, i, 'minGroups'], 'minGroups lower than 0 is not allowed');
    if ((sc.maxGroups ?? 0) < 0) c.fail([...path, i, 'maxGroups'], 'maxGroups lower than 0 is not allowed');
    if ((sc.maxGroups ?? 0) > 0 && sc.maxGroups! < sc.minGroups) c.fail([...path, i, 'maxGroups'], 'maxGroups lower than minGroups is not allowed');
    if (sc.spreadByField) {
      if (!['cluster', 'region', 'zone', 'provider'].includes(sc.spreadByField)) c.fail([...path, i, 'spreadByField'], 'must be cluster, region, zone or provider');
      if (fields.has(sc.spreadByField)) c.fail(path, `multiple ${sc.spreadByField} spread constraints are not allowed`);
      fields.add(sc.spreadByField);
    }
  });
  if (fields.size > 0 && !fields.has('cluster')) c.fail(path, 'the cluster spread constraint must be enabled in one of the constraints in case of SpreadByField is enabled');
}

/** Fields whose upstream meaning needs the live control plane. Each becomes an error where the policy wins. */
function unsupportedParts(spec: PropagationSpec): Unsupported[] {
  const out: Unsupported[] = [];
  const rs = spec.placement?.replicaScheduling;
  const p = ['spec', 'placement', 'replicaScheduling'];
  if (rs?.replicaSchedulingType === 'Divided' && rs.replicaDivisionPreference === 'Aggregated') {
    out.push({ code: 'UnsupportedLiveState', path: [...p, 'replicaDivisionPreference'], message: 'replicaDivisionPreference Aggregated packs replicas by each cluster\'s free capacity, which a render does not know; use static weights (weightPreference.staticWeightList) instead' });
  }
  if (rs?.replicaSchedulingType === 'Divided' && rs.weightPreference?.dynamicWeight) {
    out.push({ code: 'UnsupportedLiveState', path: [...p, 'weightPreference', 'dynamicWeight'], message: `dynamicWeight ${rs.weightPreference.dynamicWeight} weighs clusters by their free capacity, which a render does not know; use staticWeightList instead` });
  }
  spec.placement?.clusterAffinities?.forEach((t, i) => {
    if (t.overflowAffinities?.length) {
      out.push({ code: 'UnsupportedLiveState', path: ['spec', 'placement', 'clusterAffinities', i, 'overflowAffinities'], message: `overflowAffinities of ${t.affinityName} overflow by capacity, which a render does not know` });
    }
  });
  const sus = spec.suspension;
  if (sus?.dispatching || sus?.dispatchingOnClusters?.clusterNames?.length) {
    out.push({ code: 'UnsupportedLiveState', path: ['spec', 'suspension'], message: 'suspension keeps whatever the member clusters hold now, which a render does not know; remove it, or stop the apply side for those clusters instead' });
  }
  if (spec.placement?.workloadAffinity !== undefined && spec.placement.workloadAffinity !== null) {
    out.push({ code: 'UnsupportedField', path: ['spec', 'placement', 'workloadAffinity'], message: 'workloadAffinity places workloads with or apart from each other by label, which gitfed does not implement; place them with clusterAffinity instead' });
  }
  if (spec.preserveResourcesOnDeletion === true) {
    out.push({
      code: 'UnsupportedField',
      path: ['spec', 'preserveResourcesOnDeletion'],
      message: 'preserveResourcesOnDeletion keeps the members\' copies when the template is deleted; gitfed prunes an object that leaves the branch. Annotate the template gitfed.io/prune: disabled instead, which the apply side honours',
    });
  }
  if (spec.schedulerName && spec.schedulerName !== 'default-scheduler') {
    out.push({ code: 'UnsupportedScheduler', path: ['spec', 'schedulerName'], message: `schedulerName ${spec.schedulerName}: gitfed renders only the default scheduler's decisions` });
  }
  return out;
}

const OVERRIDER_FIELDS = ['plaintext', 'imageOverrider', 'commandOverrider', 'argsOverrider', 'labelsOverrider', 'annotationsOverrider', 'fieldOverrider'] as const;

export function validateOverridePolicy(src: SourceObject, diagnostics: Diagnostic[]): OverridePolicy | undefined {
  checkPolicyFields(src, diagnostics);
  const typed = typedSpec(src, OVERRIDE_SPEC, diagnostics);
  if (!typed) return undefined;
  const kind = src.obj.kind as OverrideKind;
  const { namespace, ref, c, spec, selectors } = begin(src, typed);
  let rules: OverrideRule[] = [];
  if (spec.overrideRules !== undefined && (spec.targetCluster !== undefined || spec.overriders !== undefined)) {
    c.fail(['spec', 'overrideRules'], 'overrideRules cannot be used together with the deprecated targetCluster/overriders');
  } else if (spec.overrideRules !== undefined) {
    if (!Array.isArray(spec.overrideRules)) c.fail(['spec', 'overrideRules'], 'must be a list');
    else rules = spec.overrideRules as OverrideRule[];
    rules.forEach((r, i) => {
      if (!isObj(r)) return c.fail(['spec', 'overrideRules', i], 'must be a rule');
      c.affinity(['spec', 'overrideRules', i, 'targetCluster'], r.targetCluster);
      checkOverriders(c, ['spec', 'overrideRules', i, 'overriders'], r.overriders);
    });
  } else {
    c.affinity(['spec', 'targetCluster'], spec.targetCluster);
    checkOverriders(c, ['spec', 'overriders'], spec.overriders);
    rules = [{ ...(spec.targetCluster ? { targetCluster: spec.targetCluster as ClusterAffinity } : {}), overriders: (spec.overriders ?? {}) as Overriders }];
  }
  if (!report(src, ref, c, diagnostics)) return undefined;
  return { kind, name: src.obj.metadata.name, namespace, selectors, rules, src };
}

function checkOverriders(c: Checker, path: Path, raw: unknown): void {
  if (raw === undefined) return;
  if (!isObj(raw)) return c.fail(path, 'must be an object');
  for (const f of OVERRIDER_FIELDS) if (raw[f] !== undefined && !Array.isArray(raw[f])) c.fail([...path, f], 'must be a list');
  const ov = raw as Overriders;
  const op = (p: Path, v: unknown, allowed: string[]): void => {
    if (!allowed.includes(v as string)) c.fail(p, `operator must be one of ${allowed.join(', ')}`);
  };
  ov.plaintext?.forEach((x, i) => {
    if (typeof x.path !== 'string' || !x.path.startsWith('/')) c.fail([...path, 'plaintext', i, 'path'], 'must be a JSON pointer starting with /');
    op([...path, 'plaintext', i, 'operator'], x.operator, ['add', 'remove', 'replace']);
  });
  ov.imageOverrider?.forEach((x, i) => {
    const p = [...path, 'imageOverrider', i];
    if (!['Registry', 'Repository', 'Tag'].includes(x.component)) c.fail([...p, 'component'], 'component must be Registry, Repository or Tag');
    op([...p, 'operator'], x.operator, ['add', 'remove', 'replace']);
    if (x.predicate !== undefined && (typeof x.predicate?.path !== 'string' || !x.predicate.path.startsWith('/'))) c.fail([...p, 'predicate', 'path'], 'must start with /');
  });
  for (const f of ['commandOverrider', 'argsOverrider'] as const) {
    ov[f]?.forEach((x, i) => {
      if (typeof x.containerName !== 'string' || !x.containerName) c.fail([...path, f, i, 'containerName'], 'is required');
      op([...path, f, i, 'operator'], x.operator, ['add', 'remove']);
    });
  }
  for (const f of ['labelsOverrider', 'annotationsOverrider'] as const) {
    ov[f]?.forEach((x, i) => {
      op([...path, f, i, 'operator'], x.operator, ['add', 'remove', 'replace']);
      if (x.value !== undefined && (!isObj(x.value) || Object.values(x.value).some((v) => typeof v !== 'string'))) c.fail([...path, f, i, 'value'], 'must be a map of strings');
    });
  }
  ov.fieldOverrider?.forEach((x, i) => {
    const p = [...path, 'fieldOverrider', i];
    if (typeof x.fieldPath !== 'string' || !x.fieldPath.startsWith('/')) c.fail([...p, 'fieldPath'], 'must be a JSON pointer starting with /');
    if ((x.json === undefined) === (x.yaml === undefined)) c.fail(p, 'exactly one of json and yaml is required');
    for (const which of ['json', 'yaml'] as const) {
      x[which]?.forEach((sub, j) => {
        op([...p, which, j, 'operator'], sub.operator, ['add', 'remove', 'replace']);
        if (sub.operator === 'remove' && sub.value !== undefined) c.fail([...p, which, j, 'value'], 'remove takes no value');
        if (sub.operator !== 'remove' && sub.value === undefined) c.fail([...p, which, j, 'value'], `${sub.operator} needs a value`);
      });
    }
  });
}
