/**
 * Applies each ReplicaSchedulingPreference to the federated object of the same namespace and name
 * (upstream's scheduling controller): chooses the clusters the planner may use, runs it, and
 * rewrites the target's placement and replica overrides. Runs before placement is computed, as
 * upstream's controller writes the federated object before the sync controller reads it.
 */
import type { Cluster, FleetConfig } from '../types.js';
import type { FederatedDoc } from './federated.js';
import type { Findings } from './findings.js';
import { selectClusters } from './placement.js';
import { scheduleReplicas, withReplicaOverrides, type Rsp } from './rsp.js';

export interface Scheduled {
  readonly rsp: Rsp;
  /** The scheduling sentences, written when explain reads them. */
  readonly lines: () => string[];
  /** Absent when the RSP had no cluster to schedule on and changed nothing. */
  readonly replicas?: ReadonlyMap<string, number>;
}

export interface SchedulingContext {
  readonly clusters: readonly Cluster[];
  readonly config: FleetConfig;
  /** FederatedNamespace by the namespace it federates. */
  readonly namespaces: ReadonlyMap<string, FederatedDoc>;
}

/** The clusters the planner may use, and the sentence saying which and why. */
function availableClusters(rsp: Rsp, target: FederatedDoc, ctx: SchedulingContext): { names: string[]; line: string } {
  const all = ctx.clusters.map((c) => c.name);
  if (!rsp.intersectWithClusterSelector) {
    return { names: all, line: `Available clusters: every inventory cluster (${all.join(', ') || 'none'}); the target's own placement does not narrow them (set intersectWithClusterSelector to use its clusterSelector).` };
  }
  const opts = { selectorOnly: true, missing: ctx.config.missingPlacement };
  const own = selectClusters(target.placement, ctx.clusters, opts).selected;
  let names = all.filter((n) => own.has(n));
  let line = `intersectWithClusterSelector: the clusters the target's clusterSelector selects: ${names.join(', ') || 'none'}`;
  if (target.namespace !== undefined) {
    const ns = ctx.namespaces.get(target.namespace);
    const nsSelected = ns ? selectClusters(ns.placement, ctx.clusters, opts).selected : new Set<string>();
    names = names.filter((n) => nsSelected.has(n));
    line += ns ? `, within those FederatedNamespace ${target.namespace} selects: ${names.join(', ') || 'none'}` : `, but namespace ${target.namespace} has no FederatedNamespace: none`;
  }
  return { names, line: line + '.' };
}

export function applyReplicaScheduling(rsps: readonly Rsp[], federated: readonly FederatedDoc[], ctx: SchedulingContext, findings: Findings): Map<FederatedDoc, Scheduled> {
  const byIdentity = new Map(federated.map((f) => [`${f.src.obj.kind}/${f.src.obj.metadata.namespace ?? ''}/${f.src.obj.metadata.name}`, f]));
  const known = new Set(ctx.clusters.map((c) => c.name));
  const out = new Map<FederatedDoc, Scheduled>();
  for (const rsp of rsps) {
    const { name, namespace } = rsp.src.obj.metadata;
    for (const c of rsp.clusters.keys()) {
      if (c !== '*' && !known.has(c)) findings.warning('UnknownCluster', `spec.clusters names ${c}, which is not in the inventory`, { src: rsp.src, field: ['spec', 'clusters', c], cluster: c });
    }
    const target = byIdentity.get(`${rsp.targetKind}/${namespace ?? ''}/${name}`);
    if (!target) {
      findings.warning('RSPTargetNotFound', `no ${rsp.targetKind} ${namespace ?? ''}/${name} to schedule: an RSP applies to the federated object of its own namespace and name`, { src: rsp.src, field: ['spec', 'targetKind'] });
      continue;
    }
    const key = `${namespace ?? ''}/${name}`;
    const available = availableClusters(rsp, target, ctx);
    if (available.names.length === 0) {
      out.set(target, { rsp, lines: () => [available.line, 'No cluster to schedule on, so the RSP changes nothing (as upstream) and the object keeps its own placement and overrides.'] });
      continue;
    }
    const schedule = scheduleReplicas(rsp, available.names, key);
    // In inventory order, so placement and explanations read the same on every run.
    const scheduledNames = available.names.filter((n) => schedule.replicas.has(n));
    target.placement = { missing: false, clusters: scheduledNames, selector: target.placement.selector };
    target.overrides = withReplicaOverrides(target.overrides, schedule.replicas, rsp);
    out.set(target, { rsp, lines: () => [available.line, ...schedule.explain()], replicas: schedule.replicas });
  }
  return out;
}
