/**
 * What `gitfed watch` does after one saved change, timed inside one process with the caches
 * watch keeps between renders: a long-running process is what watch is, so in-process is how a
 * user meets it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diffOutputs } from '../../src/render/diff.js';
import { renderFleet } from '../../src/render/render.js';
import { readWorkingTree } from '../../src/workspace/source.js';
import { watchCaches } from '../../src/workspace/watch.js';
import { editOnce, editTarget } from './cli-runs.js';
import { median } from './stats.js';

export interface WatchTiming {
  /** The changed file's path in the fleet repo. */
  readonly file: string;
  /** renderFleet on the in-memory files with one object changed. */
  readonly rerenderMs: number;
  /** What `gitfed watch` does per save, minus writing the preview: read the tree, render, diff against the last output. */
  readonly cycleMs: number;
  /** Rendered files the change touched (per cluster, summed). */
  readonly changedFiles: number;
}

/**
 * Times re-rendering after one object changed (its log level), `runs` times with a different value
 * each time, with what watch keeps between renders (watchCaches, and the last render's branches).
 * The file on disk is restored after.
 */
export async function timeWatch(fleetDir: string, files: ReadonlyMap<string, string>, runs: number): Promise<WatchTiming> {
  const file = editTarget(files);
  const original = files.get(file)!;
  const edited = (k: number) => editOnce(original, k);
  const rerender: number[] = [];
  const cycle: number[] = [];
  let changedFiles = 0;
  // What `gitfed watch` keeps between renders, warmed by one render as its first render is; one
  // set for each series, so that each edit meets what the one before it left, as in watch.
  const inMemory = watchCaches();
  let lastInMemory = renderFleet(files, inMemory);
  const onDisk = watchCaches();
  let last = renderFleet(files, onDisk);
  try {
    for (let k = 1; k <= runs; k++) {
      const mem = new Map(files);
      mem.set(file, edited(k));
      const r0 = performance.now();
      lastInMemory = renderFleet(mem, { ...inMemory, previous: lastInMemory.branches });
      rerender.push(performance.now() - r0);

      await writeFile(join(fleetDir, file), edited(k));
      const c0 = performance.now();
      const next = renderFleet(await readWorkingTree(fleetDir), { ...onDisk, previous: last.branches });
      const diff = diffOutputs(last.branches, next.branches, { base: 'previous', head: 'now' });
      cycle.push(performance.now() - c0);
      changedFiles = diff.clusters.reduce((n, c) => n + c.added + c.changed + c.removed, 0);
      last = next;
    }
  } finally {
    await writeFile(join(fleetDir, file), original);
  }
  return { file, rerenderMs: median(rerender), cycleMs: median(cycle), changedFiles };
}
