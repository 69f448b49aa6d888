/**
 * A file that stops parsing must not get its objects pruned: they vanish from the desired set, and
 * pruning a Namespace would take everything in it. A member in memory stands in for the API server
 * (the real-member prune tests are in test/e2e/apply).
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/apply/config.js';
import { parseClusterFiles } from '../../../src/apply/source/manifests.js';
import { MemberSession } from '../../../src/apply/member/member-session.js';
import { reconcileMember } from '../../../src/apply/reconcile.js';
import { FakeMember } from './support/fake-member.js';

const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: shop\ndata:\n  k: v\n';

describe('prune with a file that does not parse', () => {
  it('deletes nothing, keeps the inventory, and fails the member naming the file', async () => {
    const client = new FakeMember('m1');
    const { deleted } = client;
    const config = parseConfig('');
    const target = (files: Map<string, string>) => ({ cluster: 'm1', context: 'm1', parsed: parseClusterFiles(files) });
    const good = new Map([['clusters/m1/_cluster/namespace-shop.yaml', namespace], ['clusters/m1/shop/configmap-a.yaml', configMap]]);
    expect((await reconcileMember(new MemberSession(client, false), target(good), { config })).state).toBe('Synced');

    const broken = new Map(good).set('clusters/m1/_cluster/namespace-shop.yaml', namespace + '  labels: {a: [\n');
    const r = await reconcileMember(new MemberSession(client, false), target(broken), { config });
    expect(deleted).toEqual([]);
    expect(r.state).toBe('Failed');
    expect(r.objects.find((o) => o.action === 'failed')?.object).toContain('namespace-shop.yaml');

    // Fixed again: still nothing deleted, and the member is back in sync.
    const again = await reconcileMember(new MemberSession(client, false), target(good), { config });
    expect(deleted).toEqual([]);
    expect(again.state).toBe('Synced');

    // The inventory was read all along: an object that really left the branch is pruned.
    const without = new Map(good);
    without.delete('clusters/m1/shop/configmap-a.yaml');
    expect((await reconcileMember(new MemberSession(client, false), target(without), { config })).counts.pruned).toBe(1);
    expect(deleted).toEqual(['/ConfigMap/shop/a']);
  });
});
