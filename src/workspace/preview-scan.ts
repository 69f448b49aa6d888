/**
 * What an existing `--out` directory is, before render replaces or updates it: missing, empty, a
 * gitfed preview (and then exactly which files gitfed wrote there), or anything else, which is
 * never touched. A preview is what the branch layout holds and nothing more: `gitfed.metadata`
 * and `.gitattributes` at a branch root, and YAML files inside the cluster directories that
 * metadata names. With several output branches the root holds one such directory per branch,
 * named after it. A directory that merely contains a preview somewhere below is not one.
 */
import { readdirSync, readFileSync, statSync, lstatSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { ATTRIBUTES_FILE, METADATA_FILE, parseMetadata } from '../git/metadata.js';

export interface PreviewLayout {
  /** Branch root within the preview ('' when there is one branch) -> its cluster directories, sorted. */
  readonly branches: ReadonlyMap<string, readonly string[]>;
  /** Every file of the preview, relative to its root, '/'-separated. */
  readonly files: readonly string[];
}

export type PreviewScan =
  | { readonly kind: 'missing' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'preview'; readonly layout: PreviewLayout }
  | { readonly kind: 'foreign'; readonly reason: string };

/** Branch names may hold '/', so a branch root can sit a few directories down; no deeper than this. */
const MAX_BRANCH_DEPTH = 8;

class Foreign extends Error {}

function entries(abs: string): Dirent[] {
  return readdirSync(abs, { withFileTypes: true });
}

function join2(a: string, b: string): string {
  return a === '' ? b : `${a}/${b}`;
}

/** A branch root: the metadata names the cluster directories, and only they and the two root files may exist. */
function scanBranch(root: string, rel: string, files: string[]): string[] {
  const meta = parseMetadata(readFileSync(join(root, rel, METADATA_FILE), 'utf8'));
  if (!meta) throw new Foreign(`${join2(rel, METADATA_FILE)} is not a metadata file gitfed wrote`);
  if (rel !== '' && meta.branch !== rel) throw new Foreign(`${join2(rel, METADATA_FILE)} belongs to branch ${meta.branch}, not ${rel}`);
  const clusterDirs = [...new Set(meta.clusters.map((c) => c.dir))].sort();
  const inCluster = (p: string) => clusterDirs.some((d) => d === '' || p.startsWith(d + '/'));
  const onTheWay = (p: string) => clusterDirs.some((d) => d === p || d.startsWith(p + '/'));
  const walk = (sub: string): void => {
    for (const e of entries(join(root, rel, sub))) {
      const p = join2(sub, e.name);
      const rootFile = sub === '' && (e.name === METADATA_FILE || e.name === ATTRIBUTES_FILE);
      if (e.isDirectory() && (inCluster(p + '/') || onTheWay(p))) walk(p);
      else if (e.isFile() && (rootFile || (inCluster(p) && isYaml(p)))) files.push(join2(rel, p));
      else throw new Foreign(`${join2(rel, p)} is not something gitfed writes there`);
    }
  };
  walk('');
  return clusterDirs;
}

function isYaml(p: string): boolean {
  return p.endsWith('.yaml') || p.endsWith('.yml');
}

/** A directory above branch roots (several branches): only directories, each leading to a branch root. */
function scanLevel(root: string, rel: string, depth: number, branches: Map<string, readonly string[]>, files: string[]): void {
  const list = entries(join(root, rel));
  if (list.some((e) => e.isFile() && e.name === METADATA_FILE)) {
    branches.set(rel, scanBranch(root, rel, files));
    return;
  }
  if (depth >= MAX_BRANCH_DEPTH) throw new Foreign(`${rel} holds no ${METADATA_FILE}`);
  for (const e of list) {
    const p = join2(rel, e.name);
    if (!e.isDirectory()) throw new Foreign(`${p} is not part of a preview (no ${METADATA_FILE} beside it)`);
    scanLevel(root, p, depth + 1, branches, files);
  }
}

export function scanPreview(dir: string): PreviewScan {
  let isDir: boolean;
  try {
    if (lstatSync(dir).isSymbolicLink()) return { kind: 'foreign', reason: 'it is a symbolic link; name the directory itself' };
    isDir = statSync(dir).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw e;
  }
  if (!isDir) return { kind: 'foreign', reason: 'it is not a directory' };
  if (readdirSync(dir).length === 0) return { kind: 'empty' };
  const branches = new Map<string, readonly string[]>();
  const files: string[] = [];
  try {
    scanLevel(dir, '', 0, branches, files);
  } catch (e) {
    if (e instanceof Foreign) return { kind: 'foreign', reason: e.message };
    throw e;
  }
  if (branches.size === 0) return { kind: 'foreign', reason: `no ${METADATA_FILE} at its root` };
  return { kind: 'preview', layout: { branches, files } };
}

/** The layout a set of preview files makes: its metadata files name the branch roots and cluster directories. */
export function layoutOf(files: ReadonlyMap<string, string>): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const [p, content] of files) {
    if (p !== METADATA_FILE && !p.endsWith('/' + METADATA_FILE)) continue;
    const meta = parseMetadata(content);
    if (meta) out.set(p.slice(0, Math.max(0, p.length - METADATA_FILE.length - 1)), [...new Set(meta.clusters.map((c) => c.dir))].sort());
  }
  return out;
}
