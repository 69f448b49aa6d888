/**
 * @module reconcile
 * One member made to match its directory, for one fleet: read the fleet inventories, widen the
 * fleet's own to cover what is about to be applied, apply stage by stage (waiting for CRDs
 * between), prune what left the branch in reverse order, narrow the inventory, and return the
 * member's report. Objects another fleet owns are neither applied over nor pruned. The
 * algorithm reads top to bottom in reconcileMember; each step is a function below it.
 */
import type { KubeObject } from '../object.js';
import { applyObject, objectStatus } from './member/apply-object.js';
import type { ApplyConfig } from './config.js';
import { DEFAULT_FLEET, describeFleet, fleetIdentity, type FleetIdentity } from './fleet.js';
import { healthOf } from './status/health.js';
import {
  decodeInventory, encodeInventory, fleetInventories, INVENTORY_NAMESPACE, INVENTORY_SELECTOR, inventoryChanged, inventoryNamespace, inventoryRef,
  staleRefs, unionRefs, type Inventory,
} from './member/inventory.js';
import { KubeApiError } from './member/kube-client.js';
import { mapLimit } from './member/limit.js';
import type { FileFailure, ParsedCluster } from './source/manifests.js';
import type { MemberSession } from './member/member-session.js';
import { formatRef, groupKindOf, refKey, type ObjectRef } from '../object.js';
import { byStage, byStageForDelete, Stage } from './member/order.js';
import { DRIFT_ANNOTATION, pruneBlocker } from './member/ownership.js';
import { managersOf } from './plan/managers.js';
import { decide, prepare, scopesFromCrds, type Claim, type Owner, type PreparedObject } from './plan/plan.js';
import { countActions, healthOfSet, memberState, type MemberReport, type ObjectStatus } from './status/report.js';

export interface MemberTarget {
  readonly cluster: string;
  readonly context: string;
  readonly parsed: ParsedCluster;
  /** The fleet the branch belongs to (fleetOfBranch). @default the fleet named `default` */
  readonly fleet?: FleetIdentity;
  readonly branchCommit?: string;
  readonly sourceCommit?: string;
  /** The branch's history (BranchSnapshot.inHistory): recognises inventories of the fleet's earlier names. */
  readonly inHistory?: (commit: string) => Promise<boolean>;
}

export interface ReconcileOptions {
  readonly config: ApplyConfig;
  /** Server-side dry-run only; no write at all, inventory included. */
  readonly dryRun?: boolean;
  /** Use the session's copy of the inventories if it has one (drift passes of the daemon). */
  readonly cachedInventory?: boolean;
  /** The member's inventories as `prefetch` just read them. */
  readonly inventories?: readonly Inventory[];
  /** The member's previous report, for lastSynced. */
  readonly previous?: MemberReport;
  readonly now?: () => string;
}

const CONFIG_MAP = { group: '', version: 'v1', kind: 'ConfigMap' } as const;
const DEFAULT_IDENTITY = fleetIdentity(DEFAULT_FLEET);

export async function reconcileMember(session: MemberSession, target: MemberTarget, opts: ReconcileOptions): Promise<MemberReport> {
  const now = opts.now ?? (() => new Date().toISOString());
  const startRequests = session.client.stats.requests;
  const fleet = target.fleet ?? DEFAULT_IDENTITY;
  const all = opts.inventories ?? (opts.cachedInventory && session.inventories ? session.inventories : await readInventories(session, fleet));
  const { own, earlier, tracked } = await fleetInventories(all, fleet, target.inHistory);
  const claim = claimOf(fleet, earlier, opts.config);
  const prepared = await prepareAll(session, target, opts.config, fleet);
  const desiredRefs = prepared.map((p) => p.ref);

  const current = opts.dryRun ? own : await widenInventory(session, fleet, own, unionRefs(tracked, desiredRefs));
  const { statuses: applied, foreign } = await applyStages(session, prepared, claim, opts);
  // A file that does not parse hides its objects from the desired set; pruning then would delete
  // them (a Namespace with everything in it). Nothing is pruned until every file parses again.
  const unparsed = target.parsed.failures.length > 0;
  const pruned = unparsed ? [] : await pruneStale(session, staleRefs(tracked, desiredRefs), claim, opts);

  const failed = applied.some((s) => s.action === 'failed') || pruned.some((s) => s.action === 'failed') || unparsed;
  const keep = unparsed ? tracked : pruned.filter((s) => s.action === 'failed').map((s) => s.ref);
  const complete = !failed;
  const next: Inventory = {
    // Another fleet's object was never this fleet's to list.
    objects: unionRefs(desiredRefs.filter((r) => !foreign.has(refKey(r))), keep),
    branchCommit: complete ? target.branchCommit : current.branchCommit,
    sourceCommit: complete ? target.sourceCommit : current.sourceCommit,
    ...(current.resourceVersion ? { resourceVersion: current.resourceVersion } : {}),
  };
  if (!opts.dryRun && inventoryChanged(current, next)) await writeInventory(session, fleet, next);
  // Only once everything of the earlier names is this fleet's (relabelled, pruned or listed here).
  if (!opts.dryRun && complete) await retire(session, earlier);

  const objects = [...fileFailures(target.parsed.failures), ...applied, ...pruned.map((s) => s.status)];
  const state = memberState(objects, { atHead: true });
  const at = now();
  return {
    cluster: target.cluster,
    context: target.context,
    fleet: fleet.name,
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
 * Starts what a reconcile waits on before the branch's files are even parsed: the inventories, and
 * a LIST of every kind the fleet's own names. A re-sync then parses while the member answers, not after.
 * The LISTs are not awaited here: ensure() shares them with the apply stages that need them, and
 * a failed one is listed again there.
 */
export async function prefetch(session: MemberSession, fleet: FleetIdentity = DEFAULT_IDENTITY): Promise<Inventory[]> {
  const all = await readInventories(session, fleet);
  const own = all.find((i) => i.fleet?.id === fleet.id);
  session.cache.ensure(uniqueKinds(own?.objects ?? [])).catch(() => undefined);
  return all;
}

/**
 * Every inventory on the member, in one LIST: the fleet's own, its earlier names', other fleets'.
 * Another fleet's that cannot be read is left out (it is not this fleet's to claim); the fleet's
 * own must read, or nothing it lists could be pruned.
 */
export async function readInventories(session: MemberSession, fleet: FleetIdentity): Promise<Inventory[]> {
  const { items } = await session.client.list(CONFIG_MAP, INVENTORY_SELECTOR, INVENTORY_NAMESPACE);
  const out: Inventory[] = [];
  for (const cm of items) {
    try {
      out.push(decodeInventory(cm, session.cluster));
    } catch (err) {
      if (cm.metadata.name === fleet.inventory) throw err;
    }
  }
  return (session.inventories = out);
}

function replaceInventory(session: MemberSession, fleet: FleetIdentity, inv: Inventory | undefined): void {
  const rest = (session.inventories ?? []).filter((i) => i.fleet?.id !== fleet.id);
  session.inventories = inv ? [...rest, inv] : rest;
}

async function writeInventory(session: MemberSession, fleet: FleetIdentity, inv: Inventory): Promise<Inventory> {
  const ref = inventoryRef(fleet.inventory);
  session.inventories = undefined;
  let written: KubeObject;
  try {
    written = (await session.client.apply(ref, encodeInventory(inv, session.cluster, fleet), { force: true })).body;
  } catch (err) {
    if (!(err instanceof KubeApiError && err.status === 404)) throw err;
    // First run on this member: the namespace is not there yet.
    await session.client.apply({ group: '', version: 'v1', kind: 'Namespace', namespace: '', name: INVENTORY_NAMESPACE }, inventoryNamespace(session.cluster), { force: true });
    written = (await session.client.apply(ref, encodeInventory(inv, session.cluster, fleet), { force: true })).body;
  }
  const stored = decodeInventory(written, session.cluster);
  replaceInventory(session, fleet, stored);
  return stored;
}

/** Before any apply, the inventory must already list every object this run may create or take over. */
async function widenInventory(session: MemberSession, fleet: FleetIdentity, inv: Inventory, objects: readonly ObjectRef[]): Promise<Inventory> {
  const known = new Set(inv.objects.map(refKey));
  if (objects.every((r) => known.has(refKey(r)))) return inv;
  return writeInventory(session, fleet, { ...inv, objects: unionRefs(inv.objects, objects) });
}

/** Deletes the inventories of the fleet's earlier names, now that its own lists what they did. */
async function retire(session: MemberSession, earlier: readonly Inventory[]): Promise<void> {
  for (const inv of earlier) {
    await session.client.delete(inventoryRef(inv.fleet!.inventory), inv.uid ? { uid: inv.uid } : {});
    replaceInventory(session, inv.fleet!, undefined);
  }
}

/** Settles each object's namespace from discovery, or from a CRD of the branch for kinds not served yet. */
async function prepareAll(session: MemberSession, target: MemberTarget, config: ApplyConfig, fleet: FleetIdentity): Promise<PreparedObject[]> {
  if (session.prepared?.parsed === target.parsed && session.prepared.fleet === fleet.id) return session.prepared.list;
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
  const list = prepare(target.parsed.objects, target.cluster, config.ignore, (ref) => scopes.get(groupKindOf(ref)), fleet);
  // Kept only when discovery knew every kind: a scope guessed from a CRD is checked again next time.
  if (!guessed) session.prepared = { parsed: target.parsed, fleet: fleet.id, list };
  return list;
}

function driftPolicy(p: PreparedObject, config: ApplyConfig): 'correct' | 'report' {
  const a = p.desired.metadata.annotations?.[DRIFT_ANNOTATION];
  return a === 'report' || a === 'correct' ? a : config.drift;
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

async function applyStages(session: MemberSession, prepared: readonly PreparedObject[], claim: Claim, opts: ReconcileOptions): Promise<{ statuses: ObjectStatus[]; foreign: Set<string> }> {
  const { config } = opts;
  const out: ObjectStatus[] = [];
  const foreign = new Set<string>();
  for (const { stage, items } of byStage(prepared, (p) => p.ref)) {
    await session.cache.ensure(uniqueKinds(items.map((p) => p.ref)));
    const results = await mapLimit(items, config.requestConcurrency * 2, async (p) => {
      const live = session.cache.get(p.ref);
      const decision = decide(p, live, claim, session.verified.get(p.key));
      if (decision.kind === 'foreign') {
        foreign.add(p.key);
        return objectStatus(p, 'failed', live, { message: foreignMessage(decision.owner, p.ref) });
      }
      if (decision.kind === 'suspect-drift' && driftPolicy(p, config) === 'report') {
        return reportDrift(session, p, live as KubeObject, decision.paths);
      }
      return applyObject(session, p, live, decision, { conflicts: config.conflicts, dryRun: opts.dryRun ?? false, waitMs: config.waitSeconds * 1000 });
    });
    if (stage === Stage.Definitions && !opts.dryRun) await waitForCrds(session, items, results, config.waitSeconds * 1000);
    out.push(...results);
  }
  return { statuses: out, foreign };
}

/** Drift under the report policy: confirmed by a dry-run, then only reported. */
async function reportDrift(session: MemberSession, p: PreparedObject, live: KubeObject, paths: readonly string[]): Promise<ObjectStatus> {
  const result = await applyObject(session, p, live, { kind: 'suspect-drift', paths }, { conflicts: 'force', dryRun: true, waitMs: 0 });
  if (result.action === 'unchanged' || result.action === 'failed') return result;
  const by = managersOf(live, paths);
  const who = by.length ? `; changed by ${by.map((m) => `"${m}"`).join(', ')}` : '';
  return objectStatus(p, 'unchanged', live, { drift: paths, message: `drifted; not corrected (drift policy report)${who}` });
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

async function pruneStale(session: MemberSession, stale: readonly ObjectRef[], owners: Claim, opts: ReconcileOptions): Promise<PruneResult[]> {
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
      const blocker = pruneBlocker(live, owners);
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

