/**
 * @module reconcile
 * One member made to match its directory: read the inventory, widen it to cover what is about
 * to be applied, apply stage by stage (waiting for CRDs between), prune what left the branch in
 * reverse order, narrow the inventory, and return the member's report. The algorithm reads
 * top to bottom in reconcileMember; each step is a function below it.
 */
import type { KubeObject } from '../render/types.js';
import { applyObject, objectStatus } from './member/apply-object.js';
import type { ApplyConfig } from './config.js';
import { healthOf } from './status/health.js';
import {
  decodeInventory, EMPTY_INVENTORY, encodeInventory, INVENTORY_NAME, INVENTORY_NAMESPACE, inventoryChanged, inventoryNamespace,
  staleRefs, unionRefs, type Inventory,
} from './member/inventory.js';
import { KubeApiError } from './member/kube-client.js';
import { mapLimit } from './member/limit.js';
import type { FileFailure, ParsedCluster } from './source/manifests.js';
import type { MemberSession } from './member/member-session.js';
import { formatRef, groupKindOf, refKey, type ObjectRef } from '../object.js';
import { byStage, byStageForDelete, Stage } from './member/order.js';
import { DRIFT_ANNOTATION, pruneBlocker } from './member/ownership.js';
import { decide, prepare, scopesFromCrds, type PreparedObject } from './plan/plan.js';
import { countActions, healthOfSet, memberState, type MemberReport, type ObjectStatus } from './status/report.js';

export interface MemberTarget {
  readonly cluster: string;
  readonly context: string;
  readonly parsed: ParsedCluster;
  readonly branchCommit?: string;
  readonly sourceCommit?: string;
}

export interface ReconcileOptions {
  readonly config: ApplyConfig;
  /** Server-side dry-run only; no write at all, inventory included. */
  readonly dryRun?: boolean;
  /** Use the session's copy of the inventory if it has one (drift passes of the daemon). */
  readonly cachedInventory?: boolean;
  /** The inventory as `prefetch` just read it. */
  readonly inventory?: Inventory;
  /** The member's previous report, for lastSynced. */
  readonly previous?: MemberReport;
  readonly now?: () => string;
}

const INVENTORY_REF: ObjectRef = { group: '', version: 'v1', kind: 'ConfigMap', namespace: INVENTORY_NAMESPACE, name: INVENTORY_NAME };

export async function reconcileMember(session: MemberSession, target: MemberTarget, opts: ReconcileOptions): Promise<MemberReport> {
  const now = opts.now ?? (() => new Date().toISOString());
  const startRequests = session.client.stats.requests;
  const inventory = opts.inventory ?? (opts.cachedInventory && session.inventory ? session.inventory : await readInventory(session));
  const prepared = await prepareAll(session, target, opts.config);
  const desiredRefs = prepared.map((p) => p.ref);

  if (!opts.dryRun) await widenInventory(session, inventory, desiredRefs);
  const applied = await applyStages(session, prepared, opts);
  // A file that does not parse hides its objects from the desired set; pruning then would delete
  // them (a Namespace with everything in it). Nothing is pruned until every file parses again.
  const unparsed = target.parsed.failures.length > 0;
  const pruned = unparsed ? [] : await pruneStale(session, staleRefs(inventory.objects, desiredRefs), opts);

  const failed = applied.some((s) => s.action === 'failed') || pruned.some((s) => s.action === 'failed') || unparsed;
  const keep = unparsed ? inventory.objects : pruned.filter((s) => s.action === 'failed').map((s) => s.ref);
  const complete = !failed;
  const next: Inventory = {
    objects: unionRefs(desiredRefs, keep),
    branchCommit: complete ? target.branchCommit : inventory.branchCommit,
    sourceCommit: complete ? target.sourceCommit : inventory.sourceCommit,
  };
  if (!opts.dryRun && inventoryChanged(inventory, next)) await writeInventory(session, next);

  const objects = [...fileFailures(target.parsed.failures), ...applied, ...pruned.map((s) => s.status)];
  const state = memberState(objects, { atHead: true });
  const at = now();
  return {
    cluster: target.cluster,
    context: target.context,
    branchCommit: next.branchCommit,
    sourceCommit: next.sourceCommit,
    state,
    health: healthOfSet(objects),
    message: failed ? summarizeFailures(objects) : undefined,
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
 * Starts what a reconcile waits on before the branch's files are even parsed: the inventory, and
 * a LIST of every kind it names. A re-sync then parses while the member answers, not after.
 * The LISTs are not awaited here: ensure() shares them with the apply stages that need them, and
 * a failed one is listed again there.
 */
export async function prefetch(session: MemberSession): Promise<Inventory> {
  const inv = await readInventory(session);
  session.cache.ensure(uniqueKinds(inv.objects)).catch(() => undefined);
  return inv;
}

async function readInventory(session: MemberSession): Promise<Inventory> {
  const cm = await session.client.get(INVENTORY_REF);
  return (session.inventory = cm ? decodeInventory(cm, session.cluster) : EMPTY_INVENTORY);
}

async function writeInventory(session: MemberSession, inv: Inventory): Promise<void> {
  session.inventory = undefined;
  try {
    await session.client.apply(INVENTORY_REF, encodeInventory(inv, session.cluster), { force: true });
  } catch (err) {
    if (!(err instanceof KubeApiError && err.status === 404)) throw err;
    // First run on this member: the namespace is not there yet.
    await session.client.apply({ group: '', version: 'v1', kind: 'Namespace', namespace: '', name: INVENTORY_NAMESPACE }, inventoryNamespace(session.cluster), { force: true });
    await session.client.apply(INVENTORY_REF, encodeInventory(inv, session.cluster), { force: true });
  }
  session.inventory = inv;
}

/** Before any apply, the inventory must already list every object this run may create. */
async function widenInventory(session: MemberSession, inv: Inventory, desired: readonly ObjectRef[]): Promise<void> {
  const known = new Set(inv.objects.map(refKey));
  if (desired.every((r) => known.has(refKey(r)))) return;
  await writeInventory(session, { ...inv, objects: unionRefs(inv.objects, desired) });
}

/** Settles each object's namespace from discovery, or from a CRD of the branch for kinds not served yet. */
async function prepareAll(session: MemberSession, target: MemberTarget, config: ApplyConfig): Promise<PreparedObject[]> {
  if (session.prepared?.parsed === target.parsed) return session.prepared.list;
  const crdScopes = scopesFromCrds(target.parsed.objects);
  const scopes = new Map<string, boolean | undefined>();
  let guessed = false;
  const kinds = new Map<string, ObjectRef>();
  for (const o of target.parsed.objects) kinds.set(groupKindOf(o.ref), o.ref);
  await Promise.all(
    [...kinds].map(async ([gk, ref]) => {
      try {
        scopes.set(gk, (await session.client.resourceFor(ref)).namespaced);
      } catch (err) {
        if ((err as { code?: string }).code !== 'NoKindMatch') throw err;
        guessed = true;
        scopes.set(gk, crdScopes.get(gk));
      }
    }),
  );
  const list = prepare(target.parsed.objects, target.cluster, config.ignore, (ref) => scopes.get(groupKindOf(ref)));
  // Kept only when discovery knew every kind: a scope guessed from a CRD is checked again next time.
  if (!guessed) session.prepared = { parsed: target.parsed, list };
  return list;
}

function driftPolicy(p: PreparedObject, config: ApplyConfig): 'correct' | 'report' {
  const a = p.desired.metadata.annotations?.[DRIFT_ANNOTATION];
  return a === 'report' || a === 'correct' ? a : config.drift;
}

async function applyStages(session: MemberSession, prepared: readonly PreparedObject[], opts: ReconcileOptions): Promise<ObjectStatus[]> {
  const { config } = opts;
  const out: ObjectStatus[] = [];
  for (const { stage, items } of byStage(prepared, (p) => p.ref)) {
    await session.cache.ensure(uniqueKinds(items.map((p) => p.ref)));
    const results = await mapLimit(items, config.requestConcurrency * 2, async (p) => {
      const live = session.cache.get(p.ref);
      const decision = decide(p, live, session.verified.get(p.key));
      if (decision.kind === 'suspect-drift' && driftPolicy(p, config) === 'report') {
        return reportDrift(session, p, live as KubeObject, decision.paths);
      }
      return applyObject(session, p, live, decision, { conflicts: config.conflicts, dryRun: opts.dryRun ?? false, waitMs: config.waitSeconds * 1000 });
    });
    if (stage === Stage.Definitions && !opts.dryRun) await waitForCrds(session, items, results, config.waitSeconds * 1000);
    out.push(...results);
  }
  return out;
}

/** Drift under the report policy: confirmed by a dry-run, then only reported. */
async function reportDrift(session: MemberSession, p: PreparedObject, live: KubeObject, paths: readonly string[]): Promise<ObjectStatus> {
  const result = await applyObject(session, p, live, { kind: 'suspect-drift', paths }, { conflicts: 'force', dryRun: true, waitMs: 0 });
  if (result.action === 'unchanged' || result.action === 'failed') return result;
  return objectStatus(p, 'unchanged', live, { drift: paths, message: 'drifted; not corrected (drift policy report)' });
}

function uniqueKinds(refs: readonly ObjectRef[]): ObjectRef[] {
  const m = new Map<string, ObjectRef>();
  for (const r of refs) m.set(groupKindOf(r), r);
  return [...m.values()];
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

async function pruneStale(session: MemberSession, stale: readonly ObjectRef[], opts: ReconcileOptions): Promise<PruneResult[]> {
  const out: PruneResult[] = [];
  const line = (ref: ObjectRef, action: PruneResult['action'], message?: string): PruneResult => ({
    ref,
    action,
    status: { key: refKey(ref), object: formatRef(ref), action, ...(message ? { message } : {}) },
  });
  for (const { items } of byStageForDelete(stale, (r) => r)) {
    await session.cache.ensure(uniqueKinds(items));
    const results = await mapLimit(items, opts.config.requestConcurrency * 2, async (ref): Promise<PruneResult> => {
      const live = session.cache.get(ref);
      if (!live) return line(ref, 'skipped', 'already gone, or not owned by gitfed');
      const blocker = pruneBlocker(live);
      if (blocker) return line(ref, 'skipped', `left in place: ${blocker}`);
      if (opts.dryRun) return line(ref, 'pruned', 'would be deleted');
      try {
        await session.client.delete(ref, { uid: live.metadata.uid as string | undefined });
        session.cache.remove(ref);
        return line(ref, 'pruned');
      } catch (err) {
        if ((err as { code?: string }).code === 'MemberUnreachable') throw err;
        // Kept in the inventory: the next run tries again instead of leaking the object.
        return line(ref, 'failed', `delete failed: ${(err as Error).message}`);
      }
    });
    out.push(...results);
  }
  return out;
}

