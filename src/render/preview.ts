/**
 * The preview directory of `gitfed render --out`: exactly the branch's layout. With one output
 * branch DIR is its root; with several, DIR/<branch>/ each. Written to a sibling temporary
 * directory and swapped in by rename, so an error or a kill leaves DIR as it was.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { BranchOutput } from './types.js';

/** Files of one branch beyond the cluster directories (the metadata file, .gitattributes). */
export type ExtraFiles = (branch: BranchOutput) => ReadonlyMap<string, string>;

export function previewFiles(branches: readonly BranchOutput[], extra: ExtraFiles): Map<string, string> {
  const files = new Map<string, string>();
  const prefix = branches.length > 1;
  for (const b of branches) {
    const root = prefix ? b.branch + '/' : '';
    for (const [p, c] of extra(b)) files.set(root + p, c);
    for (const c of b.clusters) for (const [p, content] of c.files) files.set(root + p, content);
  }
  return files;
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
    await Promise.all([...files].map(([p, c]) => writeFile(join(tmp, p), c)));
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
