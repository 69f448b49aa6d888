/**
 * The preview directory of `gitfed render --out`: exactly the branch's layout. With one output
 * branch DIR is its root; with several, DIR/<branch>/ each. Written to a sibling temporary
 * directory and swapped in by rename, so an error or a kill leaves DIR as it was.
 */
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { GitfedError } from '../errors.js';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { BranchOutput } from '../render/types.js';

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

/**
 * The preview replaces its directory wholesale, so it must never be pointed at anything else: not
 * at the fleet repo or a directory holding it, not at a directory of other files. An existing
 * target is replaced only when empty or when it is an earlier preview (a gitfed.metadata in it).
 */
async function assertReplaceable(target: string, repo: string | undefined): Promise<void> {
  if (repo !== undefined) {
    const rel = relative(target, resolve(repo));
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
      throw new GitfedError('UnsafeOutput', `the preview directory ${target} is or contains the fleet repo ${resolve(repo)}; choose a directory of its own, e.g. ${join(resolve(repo), '.gitfed-preview')}`);
    }
  }
  let entries: string[];
  try {
    entries = await readdir(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (entries.length === 0 || (await holdsMetadata(target, 3))) return;
  throw new GitfedError('UnsafeOutput', `refusing to replace ${target}: it is not empty and is not a gitfed preview (no gitfed.metadata in it)`);
}

async function holdsMetadata(dir: string, depth: number): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  if (entries.some((e) => e.isFile() && e.name === 'gitfed.metadata')) return true;
  if (depth === 0) return false;
  for (const e of entries) if (e.isDirectory() && (await holdsMetadata(join(dir, e.name), depth - 1))) return true;
  return false;
}

export async function writePreview(outDir: string, files: ReadonlyMap<string, string>, opts: { repo?: string } = {}): Promise<void> {
  const target = resolve(outDir);
  await assertReplaceable(target, opts.repo);
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const tmp = join(parent, `.${basename(target)}.gitfed-tmp-${process.pid}`);
  const old = join(parent, `.${basename(target)}.gitfed-old-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  try {
    const dirs = new Set<string>([tmp]);
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
