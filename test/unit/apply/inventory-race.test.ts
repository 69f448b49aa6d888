/**
 * Two runs for one fleet on one member at once (two daemons without a lease, an apply beside a
 * daemon): each inventory write names the version it replaces, so the run that comes second
 * fails instead of narrowing away what the other one just listed. A member in memory stands in
 * for the API server, which checks the same precondition (resourceVersion in an apply).
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/apply/config.js';
import { fleetIdentity } from '../../../src/apply/fleet.js';
import { decodeInventory, inventoryRef } from '../../../src/apply/member/inventory.js';
import { MemberSession } from '../../../src/apply/member/member-session.js';
import { parseClusterFiles } from '../../../src/apply/source/manifests.js';
import { reconcileMember } from '../../../src/apply/reconcile.js';
import { refKey, type KubeObject, type ObjectRef } from '../../../src/object.js';
import { FakeMember } from './support/fake-member.js';

const fleet = fleetIdentity('shop');
const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: shop\ndata:\n  k: v\n`;
const target = (names: string[], branchCommit: string) => ({
  cluster: 'm1',
  context: 'm1',
  fleet,
  branchCommit,
  parsed: parseClusterFiles(new Map(names.map((n) => [`clusters/m1/shop/configmap-${n}.yaml`, configMap(n)]))),
});

/** A member on which another run of the fleet rewrites the inventory while this one applies. */
class Contested extends FakeMember {
  contest = false;
  override async apply(ref: ObjectRef, payload: KubeObject, opts: { force: boolean }) {
    const res = await super.apply(ref, payload, opts);
    const inv = this.store.get(refKey(inventoryRef(fleet.inventory)));
    if (this.contest && inv) {
      this.contest = false;
      this.put({ ...inv, data: { ...(inv.data as Record<string, string>), branchCommit: 'other-run' } });
    }
    return res;
  }
}

describe('inventory writes under a concurrent run', () => {
  it('refuses to narrow over a version another run wrote, and leaves that record as it was', async () => {
    const member = new Contested();
    const config = parseConfig('');
    expect((await reconcileMember(new MemberSession(member, false), target(['a'], 'c1'), { config })).state).toBe('Synced');

    member.contest = true;
    const run = reconcileMember(new MemberSession(member, false), target(['a', 'b'], 'c2'), { config });
    await expect(run).rejects.toMatchObject({ status: 409 });
    const stored = decodeInventory(member.store.get(refKey(inventoryRef(fleet.inventory)))!, 'm1');
    expect(stored.branchCommit).toBe('other-run');
    // Widened before the apply and never narrowed by the refused write: both objects stay listed.
    expect(stored.objects.map((r) => r.name)).toEqual(['a', 'b']);

    // The next run reads the member again and goes through.
    expect((await reconcileMember(new MemberSession(member, false), target(['b'], 'c3'), { config })).state).toBe('Synced');
    expect(member.deleted).toEqual(['/ConfigMap/shop/a']);
  });
});
