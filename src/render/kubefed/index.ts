/**
 * The KubeFed engine: `Federated<Kind>` objects (types.kubefed.io/v1beta1), FederatedNamespace,
 * ReplicaSchedulingPreference and FederatedTypeConfig in, member objects per cluster out, with
 * upstream's semantics (reference/kubefed.md §1 to §4) and an explanation for each object.
 *
 * The stages, in upstream's order: read the documents (classify.ts) -> let each RSP rewrite its
 * target's placement and replica overrides (scheduling.ts) -> compute each object's placement,
 * narrowed to its FederatedNamespace's (placement.ts) -> build the member object and apply the
 * cluster's overrides (member.ts, overrides.ts).
 *
 * Never throws for bad input: problems are error diagnostics and the object is left out where it
 * cannot be built. Member objects of clusters without overrides share one object: read-only.
 */
import type { Cluster, EngineInput, EngineOutput, Explanation, KubeObject, RenderedObject } from '../types.js';
import { readKubeFedDocuments } from './classify.js';
import { isNamespaceType, type FederatedDoc } from './federated.js';
import { Findings } from './findings.js';
import { divideKubeFedHpas } from './hpa-division.js';
import { replicaCountProblems } from '../numbers.js';
import { memberForCluster } from './member.js';
import { describeOverride, type Override } from './overrides.js';
import type { CopyMemo } from '../copy-memo.js';
import type { TemplateSchemas } from '../schema/templates.js';
import { writtenPaths } from '../schema/validate.js';
import { selectClusters } from './placement.js';
import { applyReplicaScheduling, type Scheduled } from './scheduling.js';

const NOTHING: readonly unknown[] = [];

/** Namespaces every cluster has and KubeFed never propagates (upstream `isSystemNamespace`). */
const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'default']);

interface Placed {
  readonly selected: ReadonlySet<string>;
  readonly reasons: readonly string[];
}

function namespacesOf(federated: readonly FederatedDoc[]): Map<string, FederatedDoc> {
  const out = new Map<string, FederatedDoc>();
  for (const f of federated) if (isNamespaceType(f.type)) out.set(f.src.obj.metadata.name, f);
  return out;
}

export function renderKubeFed(input: EngineInput): EngineOutput {
  const findings = new Findings();
  const { federated, rsps, consumed } = readKubeFedDocuments(input.objects, findings, input.schemas);
  const namespaces = namespacesOf(federated);
  const scheduled = applyReplicaScheduling(rsps, federated, { clusters: input.clusters, config: input.config, namespaces, ...(input.state ? { state: input.state } : {}) }, findings);

  const known = new Set(input.clusters.map((c) => c.name));
  const placements = new Map<FederatedDoc, Placed>();
  const placementOf = (f: FederatedDoc): Placed => {
    let p = placements.get(f);
    if (!p) {
      p = place(f, input, findings);
      placements.set(f, p);
    }
    return p;
  };

  // Every object's clusters first: an HPA's bounds are divided by where both it and its workload go.
  const final = new Map<FederatedDoc, { readonly selected: ReadonlySet<string>; readonly reasons: string[] }>();
  for (const f of federated) {
    const own = placementOf(f);
    const reasons = [...own.reasons];
    let selected = own.selected;
    if (f.namespace !== undefined) {
      const ns = namespaces.get(f.namespace);
      selected = ns ? narrowToNamespace(f, ns, selected, placementOf(ns).selected, reasons) : notFederated(f, reasons, findings);
    }
    if (!f.type.propagation) {
      reasons.push(`The type config for ${f.type.federatedKind} (${f.type.source?.pos.file ?? 'built-in'}) sets propagation: Disabled, so the object goes nowhere.`);
      selected = new Set();
    }
    final.set(f, { selected, reasons });
  }
  const hpaLines = divideKubeFedHpas(federated, scheduled, (f) => final.get(f)!.selected);

  const rendered: RenderedObject[] = [];
  const explanations: Explanation[] = [];
  for (const f of federated) {
    const { selected, reasons } = final.get(f)!;
    for (const c of f.overrides.keys()) {
      if (!known.has(c)) findings.warning('UnknownCluster', `spec.overrides names cluster ${c}, which is not in the inventory`, { src: f.src, field: overrideEntryField(f, c), cluster: c });
      else if (!selected.has(c)) reasons.push(`The overrides for ${c} are not used: the object does not go there.`);
    }
    const schedule = scheduled.get(f);
    if (schedule?.replicas && f.type.propagation && (f.namespace === undefined || namespaces.has(f.namespace))) lostReplicas(schedule, selected, findings);
    const emitted = emit(f, input.clusters, selected, findings, rendered, reasons, input.schemas, input.copies);
    explanations.push(explain(f, reasons, schedule, emitted, hpaLines.get(f)));
  }
  return { rendered, diagnostics: findings.diagnostics, explanations, consumed };
}

/** The object's own placement (after any RSP rewrite), with warnings for what is likely a mistake. */
function place(f: FederatedDoc, input: EngineInput, findings: Findings): Placed {
  const result = selectClusters(f.placement, input.clusters, { missing: input.config.missingPlacement });
  if (result.error) {
    findings.error('InvalidClusterSelector', result.error, { src: f.src, field: ['spec', 'placement', 'clusterSelector'] });
    return { selected: new Set(), reasons: [...result.reasons, result.error] };
  }
  if (f.placement.missing && input.config.missingPlacement === 'none') {
    findings.warning('NoPlacement', 'spec.placement is missing, so this object goes to no cluster (upstream KubeFed semantics). Add spec.placement, or set placement.whenMissing: all in gitfed.yaml to place such objects everywhere', { src: f.src, field: ['spec'] });
  }
  const listed = f.placement.clusters ?? [];
  for (const name of result.unknown) {
    // After an RSP rewrite the list holds inventory names only, so an unknown name is the author's.
    const i = listed.indexOf(name);
    findings.warning('UnknownCluster', `spec.placement.clusters names ${name}, which is not in the inventory; it is ignored`, { src: f.src, field: ['spec', 'placement', 'clusters', i], cluster: name });
  }
  return { selected: result.selected, reasons: result.reasons };
}

function overrideEntryField(f: FederatedDoc, cluster: string): (string | number)[] {
  const entries = (f.src.obj.spec as { overrides?: { clusterName?: unknown }[] }).overrides ?? [];
  const i = entries.findIndex((e) => e?.clusterName === cluster);
  return i < 0 ? ['spec', 'overrides'] : ['spec', 'overrides', i, 'clusterName'];
}

/** Upstream plans over every Ready cluster, so replicas may be planned where the namespace is not placed, and never run. */
function lostReplicas(schedule: Scheduled, selected: ReadonlySet<string>, findings: Findings): void {
  for (const [cluster, n] of schedule.replicas ?? []) {
    if (n > 0 && !selected.has(cluster)) {
      findings.warning('ReplicasNotPlaced', `${n} replicas are planned for cluster ${cluster}, where the object does not go (its FederatedNamespace is not placed there), so they never run; upstream does the same. Set intersectWithClusterSelector on the RSP, or place the namespace there`, { src: schedule.rsp.src, cluster });
    }
  }
}

function narrowToNamespace(f: FederatedDoc, ns: FederatedDoc, own: ReadonlySet<string>, nsSelected: ReadonlySet<string>, reasons: string[]): Set<string> {
  const selected = new Set([...own].filter((c) => nsSelected.has(c)));
  const dropped = [...own].filter((c) => !nsSelected.has(c));
  reasons.push(
    `Namespaced: limited to where FederatedNamespace ${f.namespace} (${ns.src.pos.file}:${ns.src.pos.line}) is placed` +
      (dropped.length > 0 ? `; dropped ${dropped.join(', ')}, where the namespace is not placed.` : '; nothing dropped.'),
  );
  return selected;
}

function notFederated(f: FederatedDoc, reasons: string[], findings: Findings): Set<string> {
  findings.warning('NamespaceNotFederated', `namespace ${f.namespace} has no FederatedNamespace, so this object goes to no cluster (as upstream); add a FederatedNamespace ${f.namespace} in namespace ${f.namespace}`, { src: f.src, field: ['metadata', 'namespace'] });
  reasons.push(`Namespaced, but namespace ${f.namespace} has no FederatedNamespace, so the object goes to no cluster (NamespaceNotFederated).`);
  return new Set();
}

/** Member objects for the selected clusters, in inventory order. Returns the clusters emitted. */
function emit(f: FederatedDoc, clusters: readonly Cluster[], selected: ReadonlySet<string>, findings: Findings, out: RenderedObject[], reasons: string[], schemas?: TemplateSchemas, copies?: CopyMemo): RenderedObject[] {
  if (isNamespaceType(f.type) && SYSTEM_NAMESPACES.has(f.src.obj.metadata.name)) {
    reasons.push(`Namespace ${f.src.obj.metadata.name} exists in every cluster and is never emitted; this FederatedNamespace only decides where objects in it go.`);
    return [];
  }
  // A copy depends on the object before overrides, its kind's schema and the cluster's operations.
  const earlier = copies?.document<undefined>(f.src, { same: [schemas?.schemaIdentity(f.base)], equal: [f.base] });
  // The object before overrides: the earlier render's when equal, so that its copies share their
  // subtrees with the earlier copies, and clusters without overrides get the very same object (a
  // diff or watch then finds it unchanged by identity).
  const base = (earlier?.from.equal[0] as KubeObject | undefined) ?? f.base;
  const emitted: RenderedObject[] = [];
  for (const c of clusters) {
    if (!selected.has(c.name)) continue;
    const ops = f.overrides.get(c.name);
    // The operations compared as they are, no key built: those of an unchanged document hold its parsed values and itself.
    const from = earlier && ops && ops.length > 0 ? { same: NOTHING, equal: [ops] } : undefined;
    const kept = from && earlier!.find(c.name, from);
    if (kept) {
      emitted.push({ cluster: c.name, obj: kept.obj, origin: f.key, pos: f.src.pos, engine: 'kubefed', base: kept.base });
      continue;
    }
    const member = ops && ops.length > 0 ? memberForCluster(base, ops) : { obj: base };
    if ('failed' in member) {
      const o = member.failed;
      findings.error('OverridePathNotFound', `override ${o.op} ${o.path} for cluster ${c.name} cannot be applied: ${member.reason}`, { src: o.src, field: o.field, cluster: c.name });
      continue;
    }
    // The template's counts were checked; one an override writes would be refused by the member.
    const bad = ops && ops.length > 0 ? replicaCountProblems(member.obj)[0] : undefined;
    if (bad) {
      const o = writerOf(ops!, bad.path);
      findings.error('Schema', `override ${o.op} ${o.path} for cluster ${c.name}: ${bad.message}`, { src: o.src, field: o.field, cluster: c.name });
      continue;
    }
    // What the overrides wrote meets the template's schema too, as the member's API server would check it.
    const wrong = ops && ops.length > 0 && schemas ? schemas.checkOverridden(member.obj, base, writtenPaths(ops!.map((o) => o.path))) : [];
    for (const w of wrong) {
      const o = writerOf(ops!, w.path);
      findings.add(w, `override ${o.op} ${o.path} for cluster ${c.name}: ${w.message}`, { src: o.src, field: o.field, cluster: c.name });
    }
    if (wrong.length > 0) continue;
    if (from) earlier!.keep(c.name, from, { obj: member.obj, base, extra: undefined });
    emitted.push({ cluster: c.name, obj: member.obj, origin: f.key, pos: f.src.pos, engine: 'kubefed', base });
  }
  out.push(...emitted);
  return emitted;
}

function explain(f: FederatedDoc, placement: string[], scheduled: Scheduled | undefined, emitted: readonly RenderedObject[], hpaLines: readonly string[] = []): Explanation {
  let replicas: Record<string, number> | undefined;
  for (const r of emitted) {
    const n = (r.obj.spec as { replicas?: unknown } | undefined)?.replicas;
    if (typeof n === 'number') (replicas ??= {})[r.cluster] = n;
  }
  if (scheduled?.replicas) {
    placement.unshift(
      `ReplicaSchedulingPreference ${scheduled.rsp.src.pos.file}:${scheduled.rsp.src.pos.line} rewrote spec.placement.clusters to every scheduled cluster (${(f.placement.clusters ?? []).join(', ')}); clusters planned 0 are still placed, with 0 replicas.`,
    );
  }
  // Sentences are written when someone reads them (explain asks for one object), not on every
  // render: override sentences resolve source lines, which parses the document again, and the
  // replica arithmetic is planned again with a trace.
  let overrides: Record<string, string[]> | undefined;
  const describeOverrides = (): Record<string, string[]> => {
    const out: Record<string, string[]> = {};
    for (const r of emitted) {
      const ops = f.overrides.get(r.cluster);
      if (ops && ops.length > 0) out[r.cluster] = ops.map(describeOverride);
    }
    return out;
  };
  let scheduling: string[] | undefined;
  const describeScheduling = (): string[] => {
    const lines = [...(scheduled ? scheduled.lines() : []), ...hpaLines];
    if ((f.src.obj.spec as { retainReplicas?: unknown }).retainReplicas === true) {
      lines.push("spec.retainReplicas is set: upstream keeps a member's live spec.replicas when it updates the object (an override still wins). A render has no live state, so the files carry the template's or the override's value.");
    }
    return lines;
  };
  return {
    object: f.key,
    pos: f.src.pos,
    engine: 'kubefed',
    placement,
    ...(replicas ? { replicas } : {}),
    get scheduling() {
      return (scheduling ??= describeScheduling());
    },
    get overrides() {
      return (overrides ??= describeOverrides());
    },
    clusters: emitted.map((r) => r.cluster).sort(),
  };
}

/** The operation that wrote `path` (or a field above or below it), the last one if none did. */
function writerOf(ops: readonly Override[], path: readonly (string | number)[]): Override {
  const pointer = '/' + path.join('/');
  return ops.findLast((x) => pointer === x.path || pointer.startsWith(x.path + '/') || x.path.startsWith(pointer + '/')) ?? ops[ops.length - 1]!;
}
