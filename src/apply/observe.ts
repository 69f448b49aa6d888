/**
 * @module observe
 * What a member's plan is made from, read from the member: its inventories, the scope of every
 * kind the branch names, and the live objects gitfed labels (one LIST per kind, through the
 * session's cache). Then planMember decides; nothing here decides anything.
 */
import type { ApplyConfig } from './config.js';
import { DEFAULT_FLEET, fleetIdentity, type FleetIdentity } from './fleet.js';
import { fleetInventories, type Inventory } from './member/inventory.js';
import { readInventories } from './member/inventory-store.js';
import type { MemberSession } from './member/member-session.js';
import type { ParsedCluster } from './source/manifests.js';
import { groupKindOf, type ObjectRef } from '../object.js';
import { planMember, type MemberPlan } from './plan/member-plan.js';
import { prepare, scopesFromCrds, type PreparedObject } from './plan/plan.js';

export const DEFAULT_IDENTITY = fleetIdentity(DEFAULT_FLEET);

/** What a member is to get, and from which fleet. */
export interface PlanTarget {
  readonly cluster: string;
  readonly parsed: ParsedCluster;
  /** The fleet the branch belongs to (fleetOfBranch). @default the fleet named `default` */
  readonly fleet?: FleetIdentity;
  /** The branch's history (BranchSnapshot.inHistory): recognises inventories of the fleet's earlier names. */
  readonly inHistory?: (commit: string) => Promise<boolean>;
}

export interface ObserveOptions {
  readonly config: ApplyConfig;
  readonly dryRun?: boolean;
  /** Use the session's copy of the inventories if it has one (drift passes of the daemon). */
  readonly cachedInventory?: boolean;
  /** The member's inventories as `prefetch` just read them. */
  readonly inventories?: readonly Inventory[];
}

export function uniqueKinds(refs: readonly ObjectRef[]): ObjectRef[] {
  const m = new Map<string, ObjectRef>();
  for (const r of refs) m.set(groupKindOf(r), r);
  return [...m.values()];
}

/**
 * Starts what a reconcile waits on before the branch's files are even parsed: the inventories, and
 * a LIST of every kind the fleet's own names. A re-sync then parses while the member answers, not after.
 * The LISTs are not awaited here: ensure() shares them with the plan that needs them, and
 * a failed one is listed again there.
 */
export async function prefetch(session: MemberSession, fleet: FleetIdentity = DEFAULT_IDENTITY): Promise<Inventory[]> {
  const all = await readInventories(session, fleet);
  const own = all.find((i) => i.fleet?.id === fleet.id);
  session.cache.ensure(uniqueKinds(own?.objects ?? [])).catch(() => undefined);
  return all;
}

/** Settles each object's namespace from discovery, or from a CRD of the branch for kinds not served yet. */
async function prepareAll(session: MemberSession, target: PlanTarget, config: ApplyConfig, fleet: FleetIdentity): Promise<PreparedObject[]> {
  if (session.prepared?.parsed === target.parsed && session.prepared.fleet === fleet.id) return session.prepared.list;
  const crdScopes = scopesFromCrds(target.parsed.objects);
  const scopes = new Map<string, boolean | undefined>();
  let guessed = false;
  await Promise.all(
    uniqueKinds(target.parsed.objects.map((o) => o.ref)).map(async (ref) => {
      try {
        scopes.set(groupKindOf(ref), await session.client.namespaced(ref));
      } catch (err) {
        if ((err as { code?: string }).code !== 'NoKindMatch') throw err;
        guessed = true;
        scopes.set(groupKindOf(ref), crdScopes.get(groupKindOf(ref)));
      }
    }),
  );
  const list = prepare(target.parsed.objects, target.cluster, config.ignore, (ref) => scopes.get(groupKindOf(ref)), fleet);
  // Kept only when discovery knew every kind: a scope guessed from a CRD is checked again next time.
  if (!guessed) session.prepared = { parsed: target.parsed, fleet: fleet.id, list };
  return list;
}

/** Reads what the member holds for the target and plans it. */
export async function observeAndPlan(session: MemberSession, target: PlanTarget, opts: ObserveOptions): Promise<MemberPlan> {
  const fleet = target.fleet ?? DEFAULT_IDENTITY;
  const all = opts.inventories ?? (opts.cachedInventory && session.inventories ? session.inventories : await readInventories(session, fleet));
  const inventories = await fleetInventories(all, fleet, target.inHistory);
  const objects = await prepareAll(session, target, opts.config, fleet);
  // Kinds the member does not serve yet (a CRD of this branch) list as empty: nothing of them can exist.
  await session.cache.ensure(uniqueKinds([...objects.map((p) => p.ref), ...inventories.tracked]));
  return planMember({
    fleet,
    objects,
    failures: target.parsed.failures,
    inventories,
    live: session.cache,
    verified: session.verified,
    config: opts.config,
    dryRun: opts.dryRun ?? false,
  });
}
