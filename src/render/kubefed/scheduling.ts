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
import { describeWorkload, isReady, stateName, workloadOn, type FleetState } from '../live.js';
import { hpaOverflow } from './hpa-overflow.js';
import { scheduleReplicas, withReplicaOverrides, type LiveInputs, type Rsp } from './rsp.js';

export interface Scheduled {
  readonly rsp: Rsp;
  /** The scheduling sentences, written when explain reads them. */
  readonly lines: () => string[];
  /** Absent when the RSP had no cluster to schedule on and changed nothing. */
  readonly replicas?: ReadonlyMap<string, number>;
  /** The RSP's own division (before any member HPA's overflow): what an HPA's bounds are divided by (hpa-division.ts). */
  readonly planned?: ReadonlyMap<string, number>;
  /** Receiving cluster -> the replicas it runs for another cluster's HPA (hpa-overflow.ts). */
  readonly added?: ReadonlyMap<string, number>;
}

export interface SchedulingContext {
  readonly clusters: readonly Cluster[];
  readonly config: FleetConfig;
  /** FederatedNamespace by the namespace it federates. */
  readonly namespaces: ReadonlyMap<string, FederatedDoc>;
  /** Observed member state (`render --state`); absent: every cluster Ready, nothing observed. */
  readonly state?: FleetState;
}

/** The member object an RSP's target becomes: FederatedDeployment -> apps/Deployment. */
function memberKey(rsp: Rsp, key: string): string {
  return `apps/${rsp.targetKind.replace(/^Federated/, '')}/${key}`;
}

/**
 * Upstream's live inputs (replicascheduler.go): current replicas where the member has the object,
 * and where pods have been unschedulable for 60 s, capacity = desired - unschedulable. Where none
 * are, gitfed also caps a cluster at the replicas its nodes took (desired - pending) plus what the
 * estimator says still fits, so a full member is not asked for the same replicas again while its
 * pods wait out upstream's 60 s, nor after (upstream probes it anew each time).
 */
function liveInputs(state: FleetState, rsp: Rsp, available: readonly string[], key: string): LiveInputs {
  const current = new Map<string, number>();
  const capacity = new Map<string, number>();
  const member = memberKey(rsp, key);
  const lines = [`Live inputs from ${stateName(state)}, for ${member}:`];
  for (const c of available) {
    const w = workloadOn(state, c, member);
    lines.push('  ' + describeWorkload(c, w, state.members.get(c)?.free));
    if (!w) continue;
    if (w.desired > 0) current.set(c, w.current);
    capacity.set(c, w.unschedulable > 0 ? Math.max(0, w.desired - w.unschedulable) : Math.max(0, w.desired - w.pending) + w.fit);
  }
  if (current.size + capacity.size > 0) {
    lines.push(`Current: ${[...current].map(([c, n]) => `${c} ${n}`).join(', ') || 'none'}; capacity: ${[...capacity].map(([c, n]) => `${c} ${n}`).join(', ') || 'none'}.`);
  }
  return { current, capacity, lines };
}

/** The clusters the planner may use, and the sentence saying which and why. */
function availableClusters(rsp: Rsp, target: FederatedDoc, ctx: SchedulingContext): { names: string[]; line: string } {
  const all = ctx.clusters.map((c) => c.name).filter((n) => isReady(ctx.state, n));
  const notReady = ctx.clusters.map((c) => c.name).filter((n) => !isReady(ctx.state, n));
  const readyNote = notReady.length > 0 ? ` Not ready in ${stateName(ctx.state!)}, so not available: ${notReady.join(', ')}.` : '';
  if (!rsp.intersectWithClusterSelector) {
    return { names: all, line: `Available clusters: every ${ctx.state ? 'Ready ' : ''}inventory cluster (${all.join(', ') || 'none'}); the target's own placement does not narrow them (set intersectWithClusterSelector to use its clusterSelector).${readyNote}` };
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
  return { names, line: line + '.' + readyNote };
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
    const schedule = scheduleReplicas(rsp, available.names, key, ctx.state ? liveInputs(ctx.state, rsp, available.names, key) : undefined);
    const hpa = ctx.state ? hpaOverflow(rsp, available.names, key, memberKey(rsp, key), ctx.state, schedule.replicas) : undefined;
    const replicas = hpa?.replicas ?? schedule.replicas;
    // In inventory order, so placement and explanations read the same on every run.
    const scheduledNames = available.names.filter((n) => replicas.has(n));
    target.placement = { missing: false, clusters: scheduledNames, selector: target.placement.selector };
    target.overrides = withReplicaOverrides(target.overrides, replicas, rsp);
    out.set(target, { rsp, lines: () => [available.line, ...schedule.explain(), ...(hpa?.lines ?? [])], replicas, planned: schedule.replicas, ...(hpa ? { added: hpa.added } : {}) });
  }
  return out;
}
