/**
 * Inventory writes carry the resourceVersion they were read at: a writer acting on an old view of
 * the inventory (a replica that lost the member's Lease while its reconcile ran on) gets 409
 * Conflict from the member and applies nothing, instead of overwriting a newer record.
 */
import { describe, expect, it } from 'vitest';
import { readSource } from '../../../src/git/branch-read.js';
import { MemberSession } from '../../../src/apply/member/member-session.js';
import { inventoryRef } from '../../../src/apply/member/inventory.js';
import { reconcileMember } from '../../../src/apply/reconcile.js';
import { parseClusterFiles } from '../../../src/apply/source/manifests.js';
import { fleetOfBranch } from '../../../src/apply/fleet.js';
import { loadKubeConfig } from '../../../src/apply/member/kube-client.js';
import { admin, config, configMap, E2E_FLEET, gitBranch, live, memberKubeconfig, memberNames, namespace, uniq } from './fixtures.js';

describe('inventory writes with a resourceVersion precondition', () => {
  it('refuse a write from an old view of the inventory, and apply nothing', async () => {
    const m = memberNames()[0]!;
    const ns = uniq('rv');
    const repo = gitBranch();
    const session = await MemberSession.open(loadKubeConfig(memberKubeconfig()), m, m, config());
    const reconcile = async (cached: boolean) => {
      const snap = await readSource(repo.dir, 'rendered', { clusters: [m] });
      const c = snap.clusters[0]!;
      return reconcileMember(session, { cluster: m, context: m, parsed: parseClusterFiles(c.files), fleet: fleetOfBranch(snap.metadata), branchCommit: snap.branchCommit }, { config: config(), cachedInventory: cached });
    };
    try {
      repo.commit({ [m]: [namespace(ns), configMap(ns, 'a', { v: '1' })] }, 'v1');
      expect((await reconcile(false)).state).toBe('Synced');

      // Someone else writes the inventory meanwhile (another replica, now the holder).
      await (await admin(m)).request('PATCH', `/api/v1/namespaces/${inventoryRef(E2E_FLEET.inventory).namespace}/configmaps/${E2E_FLEET.inventory}`, {
        query: { fieldManager: 'other-replica' },
        body: { metadata: { annotations: { 'e2e/touched': 'yes' } } },
        contentType: 'application/merge-patch+json',
      });

      // This session still holds the inventory as it wrote it, and a new object needs it widened.
      const b = configMap(ns, 'b', { v: '1' });
      repo.commit({ [m]: [namespace(ns), configMap(ns, 'a', { v: '1' }), b] }, 'v2');
      const err = await reconcile(true).then(() => undefined, (e: unknown) => e as { status?: number; message: string });
      expect(err?.status).toBe(409);
      expect(await live(m, b)).toBeUndefined();

      // Read afresh, the same reconcile goes through.
      expect((await reconcile(false)).state).toBe('Synced');
      expect(await live(m, b)).toBeDefined();
    } finally {
      session.close();
    }
  });
});
