/**
 * @module member-plan
 * The apply plan of one member, as a value: for each object of the branch what a reconcile does
 * and why (apply it, leave it, or leave it to the fleet that owns it), for each object that left
 * the branch whether it is pruned or what keeps it, and the inventory writes around them. One
 * pure function computes it from plain inputs; reconcile executes it, for real or as a dry-run,
 * and `gitfed diff --live` shows it, so the two never disagree about what a member gets.
 */
import type { KubeObject } from '../../object.js';
import { refKey, type ObjectRef } from '../../object.js';
import type { ApplyConfig, DriftPolicy } from '../config.js';
import { describeFleet, type FleetIdentity } from '../fleet.js';
import type { FleetInventories, Inventory } from '../member/inventory.js';
import { staleRefs, unionRefs } from './ref-sets.js';
import { byStage, byStageForDelete, type Stage } from '../member/order.js';
import { DRIFT_ANNOTATION, pruneBlocker } from '../member/ownership.js';
import type { FileFailure } from '../source/manifests.js';
import { decide, type Claim, type Decision, type Owner, type PreparedObject } from './plan.js';

/** The live objects gitfed's label marks on the member, every fleet's (the owned cache). */
export interface LiveObjects {
  get(ref: ObjectRef): KubeObject | undefined;
}

export interface PlanInput {
  readonly fleet: FleetIdentity;
  /** The branch's objects for this member, prepared (namespace settled, payload built). */
  readonly objects: readonly PreparedObject[];
  /** Files of the member's directory that do not parse. */
  readonly failures: readonly FileFailure[];
  /** The member's inventories as this fleet reads them (fleetInventories). */
  readonly inventories: FleetInventories;
  readonly live: LiveObjects;
  /** refKey -> verifiedStamp of live copies already found in sync. */
  readonly verified?: ReadonlyMap<string, string>;
  readonly config: Pick<ApplyConfig, 'drift' | 'takeOver'>;
  /** A dry-run writes nothing: no inventory either. */
  readonly dryRun?: boolean;
}

export interface ObjectStep {
  readonly object: PreparedObject;
  readonly live: KubeObject | undefined;
  readonly decision: Decision;
  /** For suspected drift: correct it, or only report it (the object's gitfed.io/drift, else the config). */
  readonly drift?: DriftPolicy;
  /** For an object another fleet owns: why it is left alone, and the rule that would change that. */
  readonly blocked?: string;
}

export type PruneDecision =
  | { readonly kind: 'delete'; readonly live: KubeObject }
  /** Not on the member, or no longer carrying gitfed's label. */
  | { readonly kind: 'gone' }
  /** On the member, but not this fleet's to delete: another owner, or an annotation that orphans it. */
  | { readonly kind: 'keep'; readonly live: KubeObject; readonly reason: string };

export interface PruneStep {
  readonly ref: ObjectRef;
  readonly decision: PruneDecision;
}

export interface Staged<T> {
  readonly stage: Stage;
  readonly steps: readonly T[];
}

export interface InventoryPlan {
  /** The fleet's inventory as read. */
  readonly current: Inventory;
  /** Written before any apply, so that it lists every object the run may create or take over; undefined when it already does, and on a dry-run. */
  readonly widen?: Inventory;
  /** The branch's objects that are this fleet's to list (another fleet's never are). */
  readonly desired: readonly ObjectRef[];
  /** Everything the fleet answers for: its own inventory's objects and its earlier names'. */
  readonly tracked: readonly ObjectRef[];
  /** Inventories of the fleet's earlier names, deleted once a run completes; none on a dry-run. */
  readonly retire: readonly Inventory[];
}

export interface MemberPlan {
  readonly fleet: FleetIdentity;
  readonly failures: readonly FileFailure[];
  /** The branch's objects, stage by stage in apply order. */
  readonly apply: readonly Staged<ObjectStep>[];
  /** The inventory's objects the branch no longer has, stage by stage in delete order. */
  readonly prune: readonly Staged<PruneStep>[];
  /** Why nothing is pruned this time, when something holds every prune back. */
  readonly pruneHeld?: string;
  readonly inventory: InventoryPlan;
}

/** Who owns what for this fleet: itself, its earlier names, and what the takeOver rules hand it. */
export function claimOf(fleet: FleetIdentity, earlier: readonly Inventory[], config: Pick<ApplyConfig, 'takeOver'>): Claim {
  return { fleet, predecessors: new Set(earlier.map((i) => i.fleet!.id)), takeOver: config.takeOver };
}

/** The report line of an object another fleet owns: what happened, and the setting that would change it. */
export function foreignMessage(owner: Owner, ref: ObjectRef): string {
  const rule = [`fleet: ${owner.name ? owner.name : '"*"'}`, `kind: ${ref.kind}`, ...(ref.namespace ? [`namespace: ${ref.namespace}`] : []), `name: ${ref.name}`].join(', ');
  return `owned by ${describeFleet(owner)}; not applied. To take it over, add {${rule}} under takeOver in gitfed-apply.yaml`;
}

/** What the report and the live diff say of drift the report policy leaves in place. */
export const REPORTED_DRIFT = 'drifted; not corrected (drift policy report)';

function driftPolicy(p: PreparedObject, config: Pick<ApplyConfig, 'drift'>): DriftPolicy {
  const a = p.desired.metadata.annotations?.[DRIFT_ANNOTATION];
  return a === 'report' || a === 'correct' ? a : config.drift;
}

function objectStep(p: PreparedObject, input: PlanInput, claim: Claim): ObjectStep {
  const live = input.live.get(p.ref);
  const decision = decide(p, live, claim, input.verified?.get(p.key));
  if (decision.kind === 'foreign') return { object: p, live, decision, blocked: foreignMessage(decision.owner, p.ref) };
  if (decision.kind === 'suspect-drift') return { object: p, live, decision, drift: driftPolicy(p, input.config) };
  return { object: p, live, decision };
}

function pruneStep(ref: ObjectRef, input: PlanInput, claim: Claim): PruneStep {
  const live = input.live.get(ref);
  if (!live) return { ref, decision: { kind: 'gone' } };
  const reason = pruneBlocker(live, claim);
  return { ref, decision: reason ? { kind: 'keep', live, reason } : { kind: 'delete', live } };
}

export function planMember(input: PlanInput): MemberPlan {
  const { fleet, inventories } = input;
  const claim = claimOf(fleet, inventories.earlier, input.config);
  const apply = byStage(input.objects, (p) => p.ref).map(({ stage, items }) => ({ stage, steps: items.map((p) => objectStep(p, input, claim)) }));
  const steps = apply.flatMap((s) => s.steps);
  const desired = steps.filter((s) => s.decision.kind !== 'foreign').map((s) => s.object.ref);

  // A file that does not parse hides its objects from the branch's set; pruning then would delete
  // them (a Namespace with everything in it). Nothing is pruned until every file parses again.
  const pruneHeld = input.failures.length > 0 ? `${input.failures.length} file(s) do not parse; nothing is pruned until they do` : undefined;
  const stale = pruneHeld ? [] : staleRefs(inventories.tracked, input.objects.map((p) => p.ref));
  const prune = byStageForDelete(stale, (r) => r).map(({ stage, items }) => ({ stage, steps: items.map((r) => pruneStep(r, input, claim)) }));

  const current = inventories.own;
  const known = new Set(current.objects.map(refKey));
  const cover = unionRefs(inventories.tracked, desired);
  const widen = !input.dryRun && !cover.every((r) => known.has(refKey(r))) ? { ...current, objects: unionRefs(current.objects, cover) } : undefined;
  return {
    fleet,
    failures: input.failures,
    apply,
    prune,
    ...(pruneHeld ? { pruneHeld } : {}),
    inventory: { current, ...(widen ? { widen } : {}), desired, tracked: inventories.tracked, retire: input.dryRun ? [] : inventories.earlier },
  };
}

/** Every object step of the plan, in apply order. */
export function objectSteps(plan: MemberPlan): ObjectStep[] {
  return plan.apply.flatMap((s) => s.steps);
}

/** Every prune step of the plan, in delete order. */
export function pruneSteps(plan: MemberPlan): PruneStep[] {
  return plan.prune.flatMap((s) => s.steps);
}

/**
 * The fleet's inventory once the plan ran: the branch's objects it owns, and what prune could not
 * delete (everything it tracks while prune is held), so the next run tries again instead of
 * leaking them. Only a complete run moves the commits it records.
 */
export function inventoryAfter(plan: MemberPlan, run: { readonly written: Inventory; readonly failedPrunes: readonly ObjectRef[]; readonly complete: boolean; readonly branchCommit?: string; readonly sourceCommit?: string }): Inventory {
  const keep = plan.pruneHeld ? plan.inventory.tracked : run.failedPrunes;
  return {
    objects: unionRefs(plan.inventory.desired, keep),
    branchCommit: run.complete ? run.branchCommit : run.written.branchCommit,
    sourceCommit: run.complete ? run.sourceCommit : run.written.sourceCommit,
  };
}
