/**
 * @module karmada
 * The Karmada half of the render engine: resource templates plus PropagationPolicy,
 * ClusterPropagationPolicy, OverridePolicy and ClusterOverridePolicy (policy.karmada.io/v1alpha1)
 * in, the objects each member cluster gets out, with upstream's semantics (reference/karmada.md,
 * Karmada v1.16+ replica division).
 *
 * Where upstream depends on live state, gitfed decides as follows (README material):
 *
 * - Sticky claims and preemption. Live Karmada keeps a template with the first policy that
 *   claimed it, unless a newcomer has `preemption: Always` and the alpha gate is on. A render has
 *   no history: every run picks the policy as if the template were new, which equals "every policy
 *   preempts". A fleet migrated from a live control plane may see another winner than the cluster
 *   did (Karmada issue #4697). `activationPreference: Lazy` likewise takes effect at once.
 * - Scores and ordering. The only score source is "already scheduled there", so every cluster
 *   scores 0 and ties go by cluster name, upstream's last tie-break.
 * - Taints. Upstream skips the taint filter for clusters already in the previous result; a render
 *   always applies it. The APIEnablement filter is skipped: the inventory does not list each
 *   cluster's APIs, so every kind is assumed served everywhere.
 * - clusterAffinities. Live Karmada resumes from the term it observed last; a render tries the
 *   terms from the first every time and uses the first one that schedules.
 * - Capacity. Inventories carry no free capacity, so every cluster counts as having room. That
 *   is faithful wherever upstream ignores capacity (Duplicated, static weights) and is the
 *   documented substitute for region spread scores. Strategies that divide by capacity cannot be
 *   honoured and are errors (code UnsupportedLiveState, naming the policy file and line):
 *   `replicaDivisionPreference: Aggregated`, `weightPreference.dynamicWeight`,
 *   `clusterAffinities[].overflowAffinities` (unless the render has observed state, `--state`:
 *   then they divide by the members' estimates, schedule.ts).
 * - Static-weight ties. Upstream breaks equal Webster quotients by name order taken from the
 *   template's UID (FNV-32a parity); git templates have none, which upstream treats as ascending
 *   name order. gitfed always uses ascending order.
 * - Replicas. Raw YAML has not been defaulted by an API server: a missing Deployment, ReplicaSet or
 *   StatefulSet `replicas` counts as 1 and a missing Job `parallelism` as 1, as Kubernetes would.
 * - suspension (dispatching) keeps whatever the members hold now: an error (UnsupportedLiveState).
 *   A `schedulerName` other than default-scheduler is an error (UnsupportedScheduler).
 * - failover, conflictResolution, activationPreference and schedulePriority act at apply,
 *   failure or queue time and do not change what a render produces: a policy that sets them gets a
 *   warning (FieldIgnored, fields.ts). preserveResourcesOnDeletion: true and workloadAffinity would
 *   change what the members hold, so they are errors (UnsupportedField). Karmada's bookkeeping labels and
 *   annotations (karmada.io/managed, work.karmada.io/...) are not written either: gitfed's apply
 *   side adds its own ownership labels. What Karmada's field pruning strips is stripped, after
 *   the overrides, as upstream (prune.ts).
 * - Webster division past 2^30 replicas on one cluster: upstream computes 2*seats+1 in int32,
 *   which overflows at 2^30 seats and keeps that cluster from gaining more (the rest go to the
 *   others); gitfed computes it exactly. Only a division of over a billion replicas differs.
 * - A scheduling failure (spread constraints that cannot be met) leaves live Karmada on its
 *   previous result; a render has none, so it is an error (SchedulingFailed). No cluster passing
 *   the filters is a warning (NoClusterFit): upstream then removes the object everywhere.
 * - An override that fails drops the template on that cluster upstream (the others go on); in
 *   gitfed it is an error of the render (OverrideFailed) naming the policy, rule and cluster.
 *   Overrides that change apiVersion, kind, name or namespace are refused (OverrideChangesIdentity).
 * - Resource interpreter customizations (config.karmada.io) are not run: custom kinds have no
 *   replicas and no dependencies, and such documents are reported (InterpreterIgnored).
 * - A cluster name in clusterNames or exclude that the inventory lacks is a warning
 *   (UnknownCluster): upstream matches nothing for it silently.
 * - A template no policy selects is a warning (NotPropagated); so is a template in a namespace
 *   Karmada never propagates from (its own, or `config.reservedNamespaces`). Namespace templates go
 *   to every cluster unless reserved, `default`, or labelled
 *   namespace.karmada.io/skip-auto-propagation=true. A namespaced template or policy without a
 *   namespace lives in `default`, as `kubectl apply` would put it; the rendered copy says so.
 * - Rendered objects share unchanged subtrees with their template and with each other (only what
 *   a cluster changes is copied): treat them as read-only.
 */
import { objectKey } from '../../object.js';
import type { Diagnostic, EngineInput, EngineOutput, Explanation, ObjectKey, RenderedObject, SourceObject } from '../types.js';
import { unknownClusterWarnings } from './cluster-names.js';
import { withReadinessTaints } from '../live.js';
import { materialise } from './materialise.js';
import type { OverridePolicy, PropagationPolicy } from './model.js';
import { NamespaceRules } from './namespaces.js';
import { OverrideIndex } from './overrides/select.js';
import { planAll, toTemplate, type Template } from './plan.js';
import { PropagationIndex } from './policy-match.js';
import { ScopeTable } from './scope.js';
import { unsupportedKind } from './unsupported-kinds.js';
import { isPolicyDocument, validateOverridePolicy, validatePropagationPolicy } from './validate.js';

export function renderKarmada(input: EngineInput): EngineOutput {
  const diagnostics: Diagnostic[] = [];
  const consumed = new Set<SourceObject>();
  // Readiness observed in the state becomes the taint Karmada's cluster controller would add.
  const clusters = withReadinessTaints(input.clusters, input.state).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const propagation: PropagationPolicy[] = [];
  const overrides: OverridePolicy[] = [];
  const templateSources: SourceObject[] = [];
  const seenPolicies = new Map<string, SourceObject>();
  const knownClusters = new Set(clusters.map((c) => c.name));
  for (const src of input.objects) {
    if (src.obj.apiVersion.startsWith('config.karmada.io/')) {
      consumed.add(src);
      diagnostics.push({
        severity: 'warning',
        code: 'InterpreterIgnored',
        message: `${src.obj.kind}/${src.obj.metadata.name}: gitfed does not run Karmada resource interpreters; custom kinds keep the built-in behaviour (no replicas, no dependencies)`,
        file: src.pos.file,
        line: src.pos.line,
      });
      continue;
    }
    const refused = unsupportedKind(src);
    if (refused) {
      consumed.add(src);
      diagnostics.push(refused);
      continue;
    }
    if (!isPolicyDocument(src)) {
      templateSources.push(src);
      for (const { path, ...finding } of input.schemas?.check(src.obj) ?? []) diagnostics.push({ ...finding, file: src.pos.file, line: src.lineOf(path), object: objectKey(src.obj) });
      continue;
    }
    consumed.add(src);
    const id = `${src.obj.kind}/${src.obj.metadata.namespace ?? ''}/${src.obj.metadata.name}`;
    const first = seenPolicies.get(id);
    if (first) {
      diagnostics.push(duplicate(src, `policy.karmada.io/${id}`, first));
      continue;
    }
    seenPolicies.set(id, src);
    diagnostics.push(...unknownClusterWarnings(src, knownClusters, `policy.karmada.io/${id}`));
    if (src.obj.kind.endsWith('PropagationPolicy')) {
      const p = validatePropagationPolicy(src, diagnostics);
      if (p) propagation.push(p);
    } else {
      const p = validateOverridePolicy(src, diagnostics);
      if (p) overrides.push(p);
    }
  }

  const scope = new ScopeTable(templateSources.map((s) => s.obj));
  const templates: Template[] = [];
  const byKey = new Map<ObjectKey, Template>();
  for (const src of templateSources) {
    const t = toTemplate(src, scope);
    const first = byKey.get(t.key);
    if (first) {
      consumed.add(src);
      diagnostics.push(duplicate(src, t.key, first.src));
      continue;
    }
    byKey.set(t.key, t);
    templates.push(t);
  }

  const overrideIndex = new OverrideIndex(overrides);
  const plans = planAll(templates, {
    clusters,
    namespaces: new NamespaceRules(input.config.reservedNamespaces),
    propagation: new PropagationIndex(propagation),
    overrides,
    diagnostics,
    ...(input.state ? { state: input.state } : {}),
  });

  const clustersByName = new Map(clusters.map((c) => [c.name, c]));
  const rendered: RenderedObject[] = [];
  const explanations: Explanation[] = [];
  for (const plan of plans.values()) {
    const { src, key } = plan.template;
    consumed.add(src);
    const m = materialise(plan, clustersByName, overrideIndex, diagnostics, input.schemas, input.copies);
    rendered.push(...m.rendered);
    const replicas: Record<string, number> = {};
    for (const [c, r] of plan.targets) if (r !== undefined) replicas[c] = r;
    let overrides: Record<string, string[]> | undefined;
    explanations.push({
      object: key,
      pos: src.pos,
      engine: 'karmada',
      placement: plan.placement,
      ...(Object.keys(replicas).length > 0 ? { replicas } : {}),
      scheduling: [...plan.scheduling, ...m.scheduling],
      get overrides() {
        return (overrides ??= m.describeOverrides());
      },
      clusters: m.rendered.map((r) => r.cluster),
    });
  }
  // Stable, so findings on one line keep the order they were found in.
  diagnostics.sort((a, b) => ((a.file ?? '') < (b.file ?? '') ? -1 : (a.file ?? '') > (b.file ?? '') ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  return { rendered, diagnostics, explanations, consumed };
}

function duplicate(src: SourceObject, key: string, first: SourceObject): Diagnostic {
  return {
    severity: 'error',
    code: 'DuplicateObject',
    message: `${key} is defined twice: here and at ${first.pos.file}:${first.pos.line}`,
    file: src.pos.file,
    line: src.pos.line,
    object: key,
  };
}
