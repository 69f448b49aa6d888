/**
 * @module inventory-store
 * The inventories on one member, read and written through its client, with the session's copy
 * kept current (the daemon's drift passes read that copy instead of asking). Every write names
 * the version it replaces, so two runs for one fleet never overwrite each other's record.
 */
import type { FleetIdentity } from '../fleet.js';
import { decodeInventory, encodeInventory, inventoryRef, type Inventory } from './inventory.js';
import type { MemberSession } from './member-session.js';

/**
 * Every inventory on the member, in one LIST: the fleet's own, its earlier names', other fleets'.
 * Another fleet's that cannot be read is left out (it is not this fleet's to claim); the fleet's
 * own must read, or nothing it lists could be pruned.
 */
export async function readInventories(session: MemberSession, fleet: FleetIdentity): Promise<Inventory[]> {
  const out: Inventory[] = [];
  for (const cm of await session.client.listInventories()) {
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

/** Writes `inv` over `over` (the version last read or written); returns it as stored. */
export async function writeInventory(session: MemberSession, fleet: FleetIdentity, inv: Inventory, over: Inventory): Promise<Inventory> {
  // Forgotten first: after a failed write the next run reads the member again.
  session.inventories = undefined;
  const written = await session.client.writeInventory(encodeInventory(inv, session.cluster, fleet), over.resourceVersion ? { resourceVersion: over.resourceVersion } : {});
  const stored = decodeInventory(written, session.cluster);
  replaceInventory(session, fleet, stored);
  return stored;
}

/** Deletes the inventories of the fleet's earlier names, now that its own lists what they did. */
export async function retire(session: MemberSession, earlier: readonly Inventory[]): Promise<void> {
  for (const inv of earlier) {
    await session.client.delete(inventoryRef(inv.fleet!.inventory), inv.uid ? { uid: inv.uid } : {});
    replaceInventory(session, inv.fleet!, undefined);
  }
}
