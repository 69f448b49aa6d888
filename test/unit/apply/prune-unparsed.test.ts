/**
 * A file that stops parsing must not get its objects pruned: they vanish from the desired set, and
 * pruning a Namespace would take everything in it. A scripted member stands in for the API server
 * (the real-member prune tests are in test/e2e/apply).
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/apply/config.js';
import type { MemberClient } from '../../../src/apply/member/kube-client.js';
import { parseClusterFiles } from '../../../src/apply/source/manifests.js';
import { MemberSession } from '../../../src/apply/member/member-session.js';
import { refKey, type ObjectRef } from '../../../src/object.js';
import { reconcileMember } from '../../../src/apply/reconcile.js';
import type { KubeObject } from '../../../src/object.js';

function scriptedMember() {
  const store = new Map<string, KubeObject>();
  const deleted: string[] = [];
  let rv = 1;
  const client = {
    cluster: 'm1',
    stats: { requests: 0, connections: 0, byVerb: {} },
    resourceFor: async (ref: ObjectRef) => ({ plural: ref.kind.toLowerCase() + 's', namespaced: ref.kind !== 'Namespace' }),
    get: async (ref: ObjectRef) => store.get(refKey(ref)),
    list: async (k: ObjectRef, selector: string, namespace = '') => {
      const [key, value] = selector.split('=') as [string, string];
      const items = [...store.values()].filter((o) => o.kind === k.kind && o.metadata.labels?.[key] === value && (!namespace || o.metadata.namespace === namespace));
      return { items, resourceVersion: String(rv) };
    },
    apply: async (ref: ObjectRef, payload: KubeObject, o: { dryRun?: boolean }) => {
      const obj = structuredClone(payload);
      obj.metadata.resourceVersion = String(++rv);
      const exists = store.has(refKey(ref));
      if (!o.dryRun) store.set(refKey(ref), obj);
      return { status: exists ? 200 : 201, body: obj };
    },
    delete: async (ref: ObjectRef) => {
      deleted.push(refKey(ref));
      store.delete(refKey(ref));
      return true;
    },
  } as unknown as MemberClient;
  return { client, deleted };
}

const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: shop\ndata:\n  k: v\n';

describe('prune with a file that does not parse', () => {
  it('deletes nothing, keeps the inventory, and fails the member naming the file', async () => {
    const { client, deleted } = scriptedMember();
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
