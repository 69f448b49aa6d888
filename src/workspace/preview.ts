/**
 * The preview directory of `gitfed render --out`: exactly the branch's layout. With one output
 * branch DIR is its root; with several, DIR/<branch>/ each.
 *
 * Only a directory that is missing, empty or a gitfed preview is ever written (preview-scan.ts);
 * anything else is refused before a byte is written. A new preview is written to a sibling
 * temporary directory and renamed into place. An existing preview with the same branches and
 * cluster directories is brought up to date in place, writing only the files whose content
 * changed and removing the ones that are gone, the metadata files last; an interrupted update
 * leaves a preview the next run recognises and completes. A preview whose layout changed is
 * replaced whole, by the same rename.
 */
import { mkdirSync, readFileSync, rmdirSync, unlinkSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { GitfedError } from '../errors.js';
import { METADATA_FILE } from '../git/layout.js';
import type { BranchOutput } from '../render/types.js';
import { layoutOf, scanPreview, type PreviewLayout } from './preview-scan.js';
import { writeFiles } from './write-files.js';

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

export interface PreviewWrite {
  /** created: DIR was missing or empty; replaced: an earlier preview with another layout; updated: in place. */
  readonly mode: 'created' | 'replaced' | 'updated';
  readonly written: number;
  readonly removed: number;
}

function refuseFleetRepo(target: string, repo: string | undefined): void {
  if (repo === undefined) return;
  const rel = relative(target, resolve(repo));
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    throw new GitfedError('UnsafeOutput', `the preview directory ${target} is or contains the fleet repo ${resolve(repo)}; choose a directory of its own, e.g. ${join(resolve(repo), '.gitfed-preview')}`);
  }
}

function isMetadata(path: string): boolean {
  return path === METADATA_FILE || path.endsWith('/' + METADATA_FILE);
}

function sameLayout(a: ReadonlyMap<string, readonly string[]>, b: ReadonlyMap<string, readonly string[]>): boolean {
  if (a.size !== b.size) return false;
  for (const [root, dirs] of a) {
    const other = b.get(root);
    if (!other || other.length !== dirs.length || dirs.some((d, i) => other[i] !== d)) return false;
  }
  return true;
}

export async function writePreview(outDir: string, files: ReadonlyMap<string, string>, opts: { repo?: string } = {}): Promise<PreviewWrite> {
  const target = resolve(outDir);
  refuseFleetRepo(target, opts.repo);
  const scan = scanPreview(target);
  if (scan.kind === 'foreign') {
    throw new GitfedError('UnsafeOutput', `refusing to write into ${target}: it is not empty and is not a gitfed preview (${scan.reason}); nothing was changed`);
  }
  if (scan.kind === 'preview' && sameLayout(scan.layout.branches, layoutOf(files))) return updateInPlace(target, scan.layout, files);
  await replace(target, files);
  return { mode: scan.kind === 'preview' ? 'replaced' : 'created', written: files.size, removed: scan.kind === 'preview' ? scan.layout.files.length : 0 };
}

/** Writes the whole tree beside `target`, then swaps it in: an error or a kill leaves `target` as it was. */
async function replace(target: string, files: ReadonlyMap<string, string>): Promise<void> {
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(target)}.gitfed-tmp-${process.pid}`);
  const old = join(parent, `.${basename(target)}.gitfed-old-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  try {
    mkdirSync(tmp);
    writeFiles(tmp, files);
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

/** Reads each file the earlier preview holds and rewrites it only when its content differs. */
function updateInPlace(target: string, layout: PreviewLayout, files: ReadonlyMap<string, string>): PreviewWrite {
  const present = new Set(layout.files);
  const changed = new Map<string, string>();
  for (const [p, c] of files) {
    if (present.has(p) && readFileSync(join(target, p), 'utf8') === c) continue;
    changed.set(p, c);
  }
  const gone = layout.files.filter((p) => !files.has(p));
  return applyChanges(target, changed, gone);
}

/**
 * Writes `changed` and removes `gone` (paths relative to `root`), metadata files last, then
 * removes the directories that emptied: the branch has no empty directories, so the preview has none.
 */
function applyChanges(root: string, changed: ReadonlyMap<string, string>, gone: readonly string[]): PreviewWrite {
  const entries = [...changed];
  let written = writeFiles(root, entries.filter(([p]) => !isMetadata(p)));
  const emptied = new Set<string>();
  for (const p of gone) {
    try {
      unlinkSync(join(root, p));
    } catch (e) {
      // Someone removed it already; gone is what we wanted.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    emptied.add(dirname(p));
  }
  for (const d of [...emptied].sort().reverse()) removeEmptyUpwards(root, d);
  written += writeFiles(root, entries.filter(([p]) => isMetadata(p)));
  return { mode: 'updated', written, removed: gone.length };
}

function removeEmptyUpwards(root: string, dir: string): void {
  for (let d = dir; d !== '.' && d !== ''; d = dirname(d)) {
    try {
      rmdirSync(join(root, d));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOENT') return;
      throw e;
    }
  }
}

/**
 * Bring an existing preview from `before` to `after` by writing only what changed: what `watch`
 * does on every save, where rewriting tens of thousands of files would blow the one-second budget.
 */
export async function updatePreview(outDir: string, before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): Promise<number> {
  const changed = new Map<string, string>();
  for (const [p, c] of after) if (before.get(p) !== c) changed.set(p, c);
  const gone = [...before.keys()].filter((p) => !after.has(p));
  const r = applyChanges(resolve(outDir), changed, gone);
  return r.written + r.removed;
}
