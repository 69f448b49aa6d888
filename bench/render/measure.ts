/**
 * Timing gitfed's render from outside the pipeline. The total is what `gitfed render` pays before
 * writing: read the working tree, renderFleet (parse, place, emit every file's YAML). The
 * breakdown re-runs the pipeline's own parse (loadFile) and emit (emitBranches) steps on the same
 * input and takes place = render - parse - emit, so nothing inside src/ needs timers.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFIG_FILE } from '../../src/render/config.js';
import { diffOutputs } from '../../src/render/diff.js';
import { emitBranches, YamlCache } from '../../src/render/emit.js';
import { loadFile, ParseCache } from '../../src/render/load.js';
import { renderFleet, type RenderResult } from '../../src/render/render.js';
import { readWorkingTree } from '../../src/workspace/source.js';

export interface RenderTiming {
  readonly totalMs: number;
  /** User + system CPU of this process over the same span (GC and fs threads included). */
  readonly cpuMs: number;
  readonly readMs: number;
  readonly renderMs: number;
  readonly parseMs: number;
  readonly placeMs: number;
  readonly emitMs: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function medianTiming(ts: readonly RenderTiming[]): RenderTiming {
  const pick = (k: keyof RenderTiming) => median(ts.map((t) => t[k]));
  return { totalMs: pick('totalMs'), cpuMs: pick('cpuMs'), readMs: pick('readMs'), renderMs: pick('renderMs'), parseMs: pick('parseMs'), placeMs: pick('placeMs'), emitMs: pick('emitMs') };
}

/** One full render of the fleet directory, timed, with the breakdown. */
export async function timeRender(fleetDir: string): Promise<{ timing: RenderTiming; result: RenderResult; files: Map<string, string> }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const files = await readWorkingTree(fleetDir);
  const t1 = performance.now();
  const result = renderFleet(files);
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);

  const p0 = performance.now();
  for (const [path, text] of files) if (path !== CONFIG_FILE) loadFile(path, text);
  const parseMs = performance.now() - p0;
  const e0 = performance.now();
  emitBranches(result.rendered, result.clusters, result.config);
  const emitMs = performance.now() - e0;

  const renderMs = t2 - t1;
  return {
    timing: { totalMs: t2 - t0, cpuMs: (cpu.user + cpu.system) / 1000, readMs: t1 - t0, renderMs, parseMs, emitMs, placeMs: Math.max(0, renderMs - parseMs - emitMs) },
    result,
    files,
  };
}

export function outputSize(result: RenderResult): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const b of result.branches) {
    for (const c of b.clusters) {
      for (const text of c.files.values()) {
        files++;
        bytes += Buffer.byteLength(text);
      }
    }
  }
  return { files, bytes };
}

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

/** A FederatedDeployment placed everywhere, so one edit touches as many clusters as any edit can. */
function watchTarget(files: ReadonlyMap<string, string>): string {
  let fallback: string | undefined;
  for (const [path, text] of files) {
    if (!text.startsWith('apiVersion: types.kubefed.io/v1beta1\nkind: FederatedDeployment')) continue;
    fallback ??= path;
    if (/placement:\n\s+clusterSelector: \{\}/.test(text)) return path;
  }
  if (!fallback) throw new Error('no FederatedDeployment in the fleet to edit');
  return fallback;
}

/**
 * Times re-rendering after one object changed (a new image tag), `runs` times with a different tag
 * each time. Full re-render: gitfed has no incremental path yet. The file on disk is restored after.
 */
export async function timeWatch(fleetDir: string, files: ReadonlyMap<string, string>, previous: RenderResult, runs: number): Promise<WatchTiming> {
  const file = watchTarget(files);
  const original = files.get(file)!;
  const edited = (k: number) => original.replace(/(image: \S+?):(\S+)/, `$1:$2-hotfix${k}`);
  const rerender: number[] = [];
  const cycle: number[] = [];
  let changedFiles = 0;
  let last = previous;
  // The caches `gitfed watch` keeps between renders, warmed by one render as its first render is.
  const caches = { parse: new ParseCache(), yaml: new YamlCache() };
  renderFleet(files, caches);
  try {
    for (let k = 1; k <= runs; k++) {
      const mem = new Map(files);
      mem.set(file, edited(k));
      const r0 = performance.now();
      renderFleet(mem, caches);
      rerender.push(performance.now() - r0);

      await writeFile(join(fleetDir, file), edited(k));
      const c0 = performance.now();
      const next = renderFleet(await readWorkingTree(fleetDir), caches);
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
