/**
 * `gitfed watch`: re-render on every save and keep a preview directory current. A broken file is
 * reported and the last good preview stays as it was.
 */
import { relative, resolve, sep } from 'node:path';
import chokidar from 'chokidar';
import { diffOutputs, type FleetDiff } from '../render/diff.js';
import { previewFiles, updatePreview, writePreview, type BranchFiles } from './preview.js';
import { renderFleet, type RenderResult } from '../render/render.js';
import { CopyMemo } from '../render/copy-memo.js';
import { ParseCache } from '../render/load.js';
import { YamlCache } from '../render/emit.js';
import { isExcluded } from '../render/fleet-paths.js';
import { readWorkingTree } from './source.js';

/** How long after a render the files on disk are compared with what was rendered. */
const VERIFY_AFTER_MS = 150;

export interface WatchUpdate {
  readonly result: RenderResult;
  /** What changed since the previous good render; empty for the first render. */
  readonly diff: FleetDiff;
  /** The first render, which wrote the whole preview. */
  readonly initial: boolean;
  /** Milliseconds from the first file event of this batch to the preview being written. */
  readonly elapsedMs: number;
  readonly filesWritten: number;
}

export interface WatchOptions {
  readonly repo: string;
  readonly out: string;
  readonly filesOf: BranchFiles;
  readonly onUpdate: (u: WatchUpdate) => void;
  readonly onError: (err: unknown) => void;
  /** Quiet period after a file event before rendering, to batch an editor's write+rename. */
  readonly debounceMs?: number;
}

export interface FleetWatcher {
  /** Resolves once the first render is done and the watcher is live. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * What watch keeps between renders: a save re-parses only the edited file, copies and checks
 * again only what it changes per cluster, and re-dumps only changed objects (with the last
 * render's branches as `previous`).
 */
export function watchCaches(): { readonly parse: ParseCache; readonly yaml: YamlCache; readonly copies: CopyMemo } {
  return { parse: new ParseCache(), yaml: new YamlCache(), copies: new CopyMemo() };
}

export function watchFleet(opts: WatchOptions): FleetWatcher {
  const repo = resolve(opts.repo);
  const out = resolve(opts.out);
  const outRel = relative(repo, out).split(sep).join('/');
  const extraExcludes = outRel && !outRel.startsWith('..') ? [outRel + '/**'] : [];
  const caches = watchCaches();
  let last: RenderResult | undefined;
  let lastFiles = new Map<string, string>();
  let lastSource: ReadonlyMap<string, string> | undefined;
  let verifyTimer: NodeJS.Timeout | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let firstEventAt = 0;
  let running: Promise<void> = Promise.resolve();
  let dirty = false;

  const renderOnce = async (initial: boolean): Promise<void> => {
    const started = firstEventAt || performance.now();
    firstEventAt = 0;
    try {
      const source = await readWorkingTree(repo, extraExcludes);
      lastSource = source;
      // The last render's output too: an object that renders as it did keeps its text.
      const result = renderFleet(source, last ? { ...caches, previous: last.branches } : caches);
      const files = previewFiles(result.branches, opts.filesOf);
      let written: number;
      if (initial) {
        await writePreview(out, files, { repo });
        written = files.size;
      } else written = await updatePreview(out, lastFiles, files);
      // The first render has nothing to compare with; diffing every object as added is wasted work.
      const diff = initial ? { base: 'nothing', head: 'now', clusters: [], changed: true } : diffOutputs(last?.branches ?? [], result.branches, { base: 'previous', head: 'now' });
      last = result;
      lastFiles = files;
      opts.onUpdate({ result, diff, initial, elapsedMs: performance.now() - started, filesWritten: written });
    } catch (err) {
      opts.onError(err);
    } finally {
      clearTimeout(verifyTimer);
      verifyTimer = setTimeout(() => void verify(), VERIFY_AFTER_MS);
    }
  };

  // chokidar drops a file's change event that follows the previous one within 50 ms, so a quick
  // second save could leave the preview one save behind. Shortly after each render, compare the
  // files on disk with what was rendered, and render again if they differ.
  const verify = async (): Promise<void> => {
    if (closed || !lastSource) return;
    const now = await readWorkingTree(repo, extraExcludes).catch(() => undefined);
    if (!now || closed) return;
    const same = now.size === lastSource.size && [...now].every(([p, t]) => lastSource!.get(p) === t);
    if (!same) schedule();
  };

  // Renders never overlap: a save during a render marks the state dirty and renders once more after.
  const schedule = () => {
    if (!firstEventAt) firstEventAt = performance.now();
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (dirty) return;
      dirty = true;
      running = running.then(async () => {
        dirty = false;
        await renderOnce(false);
      });
    }, opts.debounceMs ?? 30);
  };

  const watcher = chokidar.watch(repo, {
    ignoreInitial: true,
    ignored: (path: string) => {
      const rel = relative(repo, path).split(sep).join('/');
      if (rel === '' ) return false;
      // The preview's own temporary directories (see writePreview) sit beside it.
      if (rel.includes('.gitfed-tmp-') || rel.includes('.gitfed-old-')) return true;
      return rel.startsWith('../') || isExcluded(rel, extraExcludes) || isExcluded(rel + '/', extraExcludes);
    },
  });
  watcher.on('all', schedule);
  const ready = new Promise<void>((res) => watcher.once('ready', () => res())).then(() => renderOnce(true));
  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(timer);
      clearTimeout(verifyTimer);
      await watcher.close();
      await running;
    },
  };
}
