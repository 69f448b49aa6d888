/**
 * The preview directory of `gitfed render --out`: exactly the branch's layout. With one output
 * branch DIR is its root; with several, DIR/<branch>/ each. Written to a sibling temporary
 * directory and swapped in by rename, so an error or a kill leaves DIR as it was.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { BranchOutput } from './types.js';

/** Every file of one branch as committed (src/git's branchFiles), so the preview is the branch. */
export type BranchFiles = (branch: BranchOutput) => ReadonlyMap<string, string>;

export function previewFiles(branches: readonly BranchOutput[], filesOf: BranchFiles): Map<string, string> {
  const files = new Map<string, string>();
  const prefix = branches.length > 1;
  for (const b of branches) {
    const root = prefix ? b.branch + '/' : '';
    for (const [p, c] of filesOf(b)) files.set(root + p, c);
  }
  return files;
}

/** Files written at once: tens of thousands in one Promise.all run out of file descriptors (EMFILE). */
const WRITE_BATCH = 256;

async function inBatches<T>(items: readonly T[], fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += WRITE_BATCH) await Promise.all(items.slice(i, i + WRITE_BATCH).map(fn));
}

export async function writePreview(outDir: string, files: ReadonlyMap<string, string>): Promise<void> {
  const target = resolve(outDir);
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const tmp = join(parent, `.${basename(target)}.gitfed-tmp-${process.pid}`);
  const old = join(parent, `.${basename(target)}.gitfed-old-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  try {
    const dirs = new Set<string>();
    for (const p of files.keys()) dirs.add(dirname(join(tmp, p)));
    for (const d of [...dirs].sort()) await mkdir(d, { recursive: true });
    await inBatches([...files], ([p, c]) => writeFile(join(tmp, p), c));
    // rename() cannot replace a non-empty directory: move the old one aside first, then drop it.
    let hadOld = true;
    try {
      await rename(target, old);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      hadOld = false;
    }
    try {
      await rename(tmp, target);
    } catch (e) {
      if (hadOld) await rename(old, target);
      throw e;
    }
    if (hadOld) await rm(old, { recursive: true, force: true });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Bring an existing preview from `before` to `after` by writing only what changed: what `watch`
 * does on every save, where rewriting tens of thousands of files would blow the one-second budget.
 */
export async function updatePreview(outDir: string, before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): Promise<number> {
  let written = 0;
  const dirs = new Set<string>();
  const writes: [string, string][] = [];
  for (const [p, c] of after) {
    if (before.get(p) === c) continue;
    writes.push([join(outDir, p), c]);
    dirs.add(dirname(join(outDir, p)));
  }
  for (const d of dirs) await mkdir(d, { recursive: true });
  await inBatches(writes, ([p, c]) => writeFile(p, c));
  written += writes.length;
  const removals = [...before.keys()].filter((p) => !after.has(p));
  await inBatches(removals, (p) => rm(join(outDir, p), { force: true }));
  return written + removals.length;
}
