/**
 * @module reconcile
 * One member made to match its directory, for one fleet: plan (observe.ts reads the member,
 * planMember decides), widen the fleet's inventory to cover what is about to be applied, apply
 * stage by stage (waiting for CRDs between), prune what left the branch in reverse order, narrow
 * the inventory, and return the member's report. Every decision is the plan's; this module only
 * carries it out, for real or as a server-side dry-run.
 */
import type { KubeObject } from '../object.js';
import { applyObject, objectStatus } from './member/apply-object.js';
import { healthOf } from './status/health.js';
import { inventoryChanged } from './member/inventory.js';
import { retire, writeInventory } from './member/inventory-store.js';
import { mapLimit } from './member/limit.js';
import type { FileFailure } from './source/manifests.js';
import { openSecrets } from './source/open-secrets.js';
import type { MemberSession } from './member/member-session.js';
import { formatRef, refKey, type ObjectRef } from '../object.js';
import { Stage } from './member/order.js';
import { inventoryAfter, REPORTED_DRIFT, type MemberPlan, type ObjectStep, type PruneStep } from './plan/member-plan.js';
import { observeAndPlan, uniqueKinds, type ObserveOptions, type PlanTarget } from './observe.js';
import type { PreparedObject } from './plan/plan.js';
import { managersOf } from './plan/managers.js';
import { countActions, healthOfSet, memberState, type MemberReport, type ObjectStatus } from './status/report.js';

export interface MemberTarget extends PlanTarget {
  readonly context: string;
  readonly branchCommit?: string;
  readonly sourceCommit?: string;
}

export interface ReconcileOptions extends ObserveOptions {
  /** Server-side dry-run only; no write at all, inventory included. */
  readonly dryRun?: boolean;
  /** The member's previous report, for lastSynced. */
  readonly previous?: MemberReport;
  readonly now?: () => string;
}

export async function reconcileMember(session: MemberSession, sealedTarget: MemberTarget, opts: ReconcileOptions): Promise<MemberReport> {
  const target: MemberTarget = { ...sealedTarget, parsed: await openSecrets(sealedTarget.parsed, opts.config.decryption) };
  const now = opts.now ?? (() => new Date().toISOString());
  const startRequests = session.client.stats.requests;
  const plan = await observeAndPlan(session, target, opts);
  const { inventory } = plan;

  const written = inventory.widen ? await writeInventory(session, plan.fleet, inventory.widen, inventory.current) : inventory.current;
  const applied = await applyStages(session, plan, opts);
  const pruned = await pruneStages(session, plan, opts);

  const failedPrunes = pruned.filter((s) => s.action === 'failed').map((s) => s.ref);
  const complete = !(applied.some((s) => s.action === 'failed') || failedPrunes.length > 0 || plan.failures.length > 0);
  const next = inventoryAfter(plan, { written, failedPrunes, complete, branchCommit: target.branchCommit, sourceCommit: target.sourceCommit });
  if (!opts.dryRun && inventoryChanged(written, next)) await writeInventory(session, plan.fleet, next, written);
  // Only once everything of the earlier names is this fleet's (relabelled, pruned or listed here).
  if (complete) await retire(session, inventory.retire);

  const objects = [...fileFailures(plan.failures), ...applied, ...pruned.map((s) => s.status)];
  const state = memberState(objects, { atHead: true });
  const at = now();
  return {
    cluster: target.cluster,
    context: target.context,
    fleet: plan.fleet.name,
    branchCommit: next.branchCommit,
    sourceCommit: next.sourceCommit,
    state,
    health: healthOfSet(objects),
    message: complete ? undefined : summarizeFailures(objects),
    lastSynced: state === 'Synced' ? at : opts.previous?.lastSynced,
    lastAttempt: at,
    counts: countActions(objects),
    objects,
    requests: session.client.stats.requests - startRequests,
  };
}

function summarizeFailures(objects: readonly ObjectStatus[]): string {
  const failed = objects.filter((o) => o.action === 'failed');
  const first = failed[0];
  return first ? `${failed.length} object(s) failed; first: ${first.object}: ${first.message ?? ''}` : '';
}

function fileFailures(failures: readonly FileFailure[]): ObjectStatus[] {
  return failures.map((f) => ({ key: f.file, object: f.file, action: 'failed' as const, file: f.file, message: `${f.line ? `line ${f.line}: ` : ''}${f.message}` }));
}

/**
 * The plan's object steps, stage by stage: another fleet's object is reported and left alone,
 * drift under the report policy only confirmed, everything else applied (or dry-run).
 */
async function applyStages(session: MemberSession, plan: MemberPlan, opts: ReconcileOptions): Promise<ObjectStatus[]> {
  const { config } = opts;
  const out: ObjectStatus[] = [];
  for (const { stage, steps } of plan.apply) {
    // Lists the kinds a CRD of an earlier stage just established (and, for the daemon, watches them).
    await session.cache.ensure(uniqueKinds(steps.map((s) => s.object.ref)));
    const results = await mapLimit(steps, config.requestConcurrency * 2, (step) => applyStep(session, step, opts));
    if (stage === Stage.Definitions && !opts.dryRun) await waitForCrds(session, steps.map((s) => s.object), results, config.waitSeconds * 1000);
    out.push(...results);
  }
  return out;
}

function applyStep(session: MemberSession, step: ObjectStep, opts: ReconcileOptions): Promise<ObjectStatus> {
  const { object: p, live, decision } = step;
  if (decision.kind === 'foreign') return Promise.resolve(objectStatus(p, 'failed', live, { message: step.blocked }));
  if (decision.kind === 'suspect-drift' && step.drift === 'report') return reportDrift(session, p, live as KubeObject, decision.paths);
  return applyObject(session, p, live, decision, { conflicts: opts.config.conflicts, dryRun: opts.dryRun ?? false, waitMs: opts.config.waitSeconds * 1000 });
}

/** Drift under the report policy: confirmed by a dry-run, then only reported. */
async function reportDrift(session: MemberSession, p: PreparedObject, live: KubeObject, paths: readonly string[]): Promise<ObjectStatus> {
  const result = await applyObject(session, p, live, { kind: 'suspect-drift', paths }, { conflicts: 'force', dryRun: true, waitMs: 0 });
  if (result.action === 'unchanged' || result.action === 'failed') return result;
  const by = managersOf(live, paths);
  const who = by.length ? `; changed by ${by.map((m) => `"${m}"`).join(', ')}` : '';
  return objectStatus(p, 'unchanged', live, { drift: paths, message: `${REPORTED_DRIFT}${who}` });
}

/** Custom resources of the same branch need their CRD established before the next stage. */
async function waitForCrds(session: MemberSession, items: readonly PreparedObject[], results: ObjectStatus[], waitMs: number): Promise<void> {
  const crds = items.map((p, i) => ({ p, i })).filter(({ p, i }) => p.ref.kind === 'CustomResourceDefinition' && results[i]?.action !== 'failed');
  await Promise.all(
    crds.map(async ({ p, i }) => {
      const deadline = Date.now() + waitMs;
      let live = session.cache.get(p.ref);
      while (!live || healthOf(live).status !== 'Ready') {
        if (live && healthOf(live).status === 'Failed') break;
        if (Date.now() > deadline) {
          results[i] = objectStatus(p, 'failed', live, { message: `not established within ${waitMs / 1000}s` });
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
        live = await session.client.get(p.ref);
        if (live) session.cache.put(live);
      }
      results[i] = { ...(results[i] as ObjectStatus), health: healthOf(live).status };
    }),
  );
}

interface PruneResult {
  readonly ref: ObjectRef;
  readonly action: 'pruned' | 'skipped' | 'failed';
  readonly status: ObjectStatus;
}

function pruneLine(ref: ObjectRef, action: PruneResult['action'], message?: string): PruneResult {
  return { ref, action, status: { key: refKey(ref), object: formatRef(ref), action, ...(message ? { message } : {}) } };
}

/** The plan's prune steps, stage by stage in delete order. */
async function pruneStages(session: MemberSession, plan: MemberPlan, opts: ReconcileOptions): Promise<PruneResult[]> {
  const out: PruneResult[] = [];
  for (const { steps } of plan.prune) out.push(...(await mapLimit(steps, opts.config.requestConcurrency * 2, (step) => pruneStep(session, step, opts.dryRun ?? false))));
  return out;
}

async function pruneStep(session: MemberSession, { ref, decision }: PruneStep, dryRun: boolean): Promise<PruneResult> {
  if (decision.kind === 'gone') return pruneLine(ref, 'skipped', 'already gone, or not owned by gitfed');
  if (decision.kind === 'keep') return pruneLine(ref, 'skipped', `left in place: ${decision.reason}`);
  if (dryRun) return pruneLine(ref, 'pruned', 'would be deleted');
  try {
    await session.client.delete(ref, { uid: decision.live.metadata.uid as string | undefined });
    session.cache.remove(ref);
    return pruneLine(ref, 'pruned');
  } catch (err) {
    if ((err as { code?: string }).code === 'MemberUnreachable') throw err;
    // Kept in the inventory: the next run tries again instead of leaking the object.
    return pruneLine(ref, 'failed', `delete failed: ${(err as Error).message}`);
  }
}
