import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { branchFiles } from '../../src/git/metadata.js';
import { watchFleet, type FleetWatcher, type WatchUpdate } from '../../src/workspace/watch.js';

const example = new URL('../../examples/fleet-repo/', import.meta.url).pathname;

/** Collects watcher events and lets a test wait for the next one. */
function recorder() {
  const events: ({ kind: 'update'; u: WatchUpdate } | { kind: 'error'; err: unknown })[] = [];
  let wake: (() => void) | undefined;
  const push = (e: (typeof events)[number]) => {
    events.push(e);
    wake?.();
  };
  const next = async (count: number) => {
    while (events.length < count) await new Promise<void>((r) => (wake = r));
    return events[count - 1]!;
  };
  return { events, push, next };
}

let watcher: FleetWatcher | undefined;
afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
});

describe('watchFleet', () => {
  it('re-renders on save, names what changed, and keeps the last good preview on a broken file', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'gitfed-watch-'));
    const repo = join(tmp, 'repo');
    const out = join(repo, '.preview'); // inside the repo: must not trigger itself
    await cp(example, repo, { recursive: true });
    const rec = recorder();
    watcher = watchFleet({
      repo, out,
      filesOf: (b) => branchFiles(b, { repo: '.', commit: 'working-tree' }, 'test'),
      onUpdate: (u) => rec.push({ kind: 'update', u }),
      onError: (err) => rec.push({ kind: 'error', err }),
    });
    await watcher.ready;
    const first = await rec.next(1);
    expect(first.kind).toBe('update');
    const cmPath = join(out, 'clusters/cloud-eu-1/shop/configmap-web-config.yaml');
    expect(await readFile(cmPath, 'utf8')).toContain('CURRENCY: EUR');

    const src = join(repo, 'kubefed/shop-config.yaml');
    const text = await readFile(src, 'utf8');
    await writeFile(src, text.replace('CURRENCY: EUR', 'CURRENCY: CHF'));
    const second = await rec.next(2);
    if (second.kind !== 'update') throw second.err;
    expect(second.u.diff.clusters.map((c) => c.cluster)).toEqual(['cloud-eu-1', 'onprem-dc1']);
    expect(second.u.diff.clusters[0]!.changes.map((c) => c.object)).toEqual(['ConfigMap/shop/web-config']);
    expect(await readFile(cmPath, 'utf8')).toContain('CURRENCY: CHF');

    await writeFile(src, text.replace('CURRENCY: EUR', 'CURRENCY: [oops'));
    const third = await rec.next(3);
    expect(third.kind).toBe('error');
    expect(String((third as { err: Error }).err.message)).toContain('kubefed/shop-config.yaml');
    expect(await readFile(cmPath, 'utf8')).toContain('CURRENCY: CHF');

    await writeFile(src, text);
    const fourth = await rec.next(4);
    expect(fourth.kind).toBe('update');
    expect(await readFile(cmPath, 'utf8')).toContain('CURRENCY: EUR');
    // The preview's own writes must never trigger a render: give a stray event time to arrive.
    await new Promise((r) => setTimeout(r, 300));
    expect(rec.events).toHaveLength(4);
  });
});
