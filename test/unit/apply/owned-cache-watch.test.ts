/**
 * The owned-object cache's watches over time: a periodic relist must replace the kind's watch,
 * not add one, and a failed relist must not wedge the kind. A typed fake stands in for the
 * member; the watch lifecycle against real members is covered by the daemon's e2e tests.
 */
import { describe, expect, it } from 'vitest';
import type { KindRef, ListResult, WatchEventType } from '../../../src/apply/member/member-client.js';
import { OwnedCache } from '../../../src/apply/member/owned-cache.js';
import type { KubeObject } from '../../../src/object.js';
import { FakeMember } from './support/fake-member.js';

const configMaps = { group: '', version: 'v1', kind: 'ConfigMap' };

describe('OwnedCache watches', () => {
  it('keeps exactly one watch per kind across relists', async () => {
    let live = 0;
    class Watched extends FakeMember {
      override async watchOwned(_k: KindRef, _rv: string, _ev: (type: WatchEventType, obj: KubeObject) => void, onEnd: (e?: Error) => void) {
        live++;
        let ended = false;
        // Like a real stream: destroying it ends it, and the end is reported asynchronously.
        return { stop: () => { if (!ended) { ended = true; live--; setImmediate(() => onEnd()); } } };
      }
    }
    const cache = new OwnedCache(new Watched(), true);
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
    class Flaky extends FakeMember {
      override async listOwned(kind: KindRef): Promise<ListResult> {
        if (fail) throw new Error('etcdserver: leader changed');
        return super.listOwned(kind);
      }
    }
    const cache = new OwnedCache(new Flaky(), false);
    await cache.ensure([configMaps]);
    fail = true;
    await expect(cache.relist()).rejects.toThrow('leader changed');
    fail = false;
    await expect(cache.ensure([configMaps])).resolves.toBeUndefined();
  });
});
