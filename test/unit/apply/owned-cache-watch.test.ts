/**
 * The owned-object cache's watches over time: a periodic relist must replace the kind's watch,
 * not add one, and a failed relist must not wedge the kind. A scripted client stands in for the
 * member; the watch lifecycle against real members is covered by the daemon's e2e tests.
 */
import { describe, expect, it } from 'vitest';
import type { MemberClient } from '../../../src/apply/member/kube-client.js';
import { OwnedCache } from '../../../src/apply/member/owned-cache.js';

const configMaps = { group: '', version: 'v1', kind: 'ConfigMap' };

describe('OwnedCache watches', () => {
  it('keeps exactly one watch per kind across relists', async () => {
    let live = 0;
    const client = {
      list: async () => ({ items: [], resourceVersion: '1' }),
      watch: async (_k: unknown, _o: unknown, _ev: unknown, onEnd: (e?: Error) => void) => {
        live++;
        let ended = false;
        // Like a real stream: destroying it ends it, and the end is reported asynchronously.
        return { stop: () => { if (!ended) { ended = true; live--; setImmediate(() => onEnd()); } } };
      },
    } as unknown as MemberClient;
    const cache = new OwnedCache(client, true);
    await cache.ensure([configMaps]);
    for (let i = 0; i < 5; i++) {
      await cache.relist();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(live).toBe(1);
    cache.stop();
    expect(live).toBe(0);
  });

  it('lists a kind again after a relist failed, instead of rethrowing that failure', async () => {
    let fail = false;
    const client = {
      list: async () => {
        if (fail) throw new Error('etcdserver: leader changed');
        return { items: [], resourceVersion: '1' };
      },
      watch: async () => ({ stop: () => undefined }),
    } as unknown as MemberClient;
    const cache = new OwnedCache(client, false);
    await cache.ensure([configMaps]);
    fail = true;
    await expect(cache.relist()).rejects.toThrow('leader changed');
    fail = false;
    await expect(cache.ensure([configMaps])).resolves.toBeUndefined();
  });
});
