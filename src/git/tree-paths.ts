/**
 * @module git/tree-paths
 * Paths inside an output branch: what a relative path may hold, and when two paths are one on a
 * case-insensitive checkout (macOS, Windows). Every file gitfed writes, to a git tree or to a
 * preview, passes treePathProblem first.
 */
import { GitfedError } from '../errors.js';

/** The longest name most file systems accept for one path segment, in bytes. */
export const MAX_SEGMENT_BYTES = 255;

/** Two names are one file on a case-insensitive file system when they fold to the same string. */
export function foldCase(s: string): string {
  // Rendered file names are ASCII (render encodes the rest): no Unicode tables needed for those.
  return /^[\x00-\x7f]*$/.test(s) ? s.toLowerCase() : s.normalize('NFC').toLowerCase().normalize('NFC');
}

// Code points HFS+ ignores in names, so ".g\u200cit" is ".git" on a Mac (git's own fsck knows this).
const IGNORABLE = /[\u200b-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g;

/** Whether a segment is, or a checkout would take it for, the `.git` directory. */
function isGitDir(segment: string): boolean {
  // Windows drops trailing dots and spaces, and knows .git by its 8.3 name too.
  const s = foldCase(segment.replace(IGNORABLE, '')).replace(/[. ]+$/, '');
  return s === '.git' || s === 'git~1';
}

// Every cluster's directory repeats the same names (namespaces, object files): each is checked once.
const acceptedSegments = new Set<string>();

/** What is wrong with one segment of a relative path, or undefined. */
export function segmentProblem(segment: string): string | undefined {
  if (acceptedSegments.has(segment)) return undefined;
  const problem = checkSegment(segment);
  if (problem === undefined) {
    if (acceptedSegments.size >= 100_000) acceptedSegments.clear();
    acceptedSegments.add(segment);
  }
  return problem;
}

function checkSegment(segment: string): string | undefined {
  if (segment === '') return 'has an empty segment';
  if (segment === '.' || segment === '..') return `has a "${segment}" segment`;
  if (isGitDir(segment)) return `has a segment git reserves (${JSON.stringify(segment)})`;
  // NUL ends a name for the OS; other control characters are refused too, nothing legitimate holds them.
  if (/[\x00-\x1f\x7f]/.test(segment)) return 'holds a control character';
  if (segment.includes('\\')) return 'holds a backslash (a separator on Windows)';
  if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) return `has a segment longer than ${MAX_SEGMENT_BYTES} bytes`;
  return undefined;
}

/**
 * What is wrong with a path relative to a branch root (slash-separated), or undefined: it must
 * stay inside the root and never touch git's own directory, whatever wrote it.
 */
export function treePathProblem(path: string): string | undefined {
  if (path === '') return 'is empty';
  if (path.startsWith('/')) return 'is absolute';
  if (/^[A-Za-z]:/.test(path)) return 'starts with a drive letter';
  for (const seg of path.split('/')) {
    const p = segmentProblem(seg);
    if (p) return p;
  }
  return undefined;
}

/** Throws unless `path` is a safe path relative to an output root; for every writer of output files. */
export function assertTreePath(path: string): void {
  const p = treePathProblem(path);
  if (p !== undefined) throw new GitfedError('UnsafePath', `refusing to write ${JSON.stringify(path)}: the path ${p}`);
}

/** How two paths collide: the same, the same but for case, or one a directory holding the other. */
export type PathConflict = 'same' | 'case' | 'nested';

export function pathConflict(a: string, b: string): PathConflict | undefined {
  if (a === b) return 'same';
  const fa = foldCase(a);
  const fb = foldCase(b);
  if (fa === fb) return 'case';
  if (fb.startsWith(fa + '/') || fa.startsWith(fb + '/')) return 'nested';
  return undefined;
}

/** A pair of paths that cannot both exist: `first` came earlier in the list, or holds `second`. */
export interface Clash<T> {
  readonly first: T;
  readonly second: T;
  readonly how: PathConflict;
}

/**
 * Every pair of paths that are one file or one inside the other on a case-insensitive checkout,
 * in one pass over the folded paths and one over their parent directories (skipped with
 * `nesting: false`, for paths known to be files at one depth). `foldedOf` gives an item's folded
 * path where the caller has it already.
 */
export function clashes<T>(items: readonly T[], pathOf: (item: T) => string, opts: { nesting?: boolean; foldedOf?: (item: T) => string } = {}): Clash<T>[] {
  const byFold = new Map<string, T>();
  const out: Clash<T>[] = [];
  for (const item of items) {
    const folded = opts.foldedOf ? opts.foldedOf(item) : foldCase(pathOf(item));
    const first = byFold.get(folded);
    if (first !== undefined) out.push({ first, second: item, how: pathOf(first) === pathOf(item) ? 'same' : 'case' });
    else byFold.set(folded, item);
  }
  if (opts.nesting === false) return out;
  for (const item of byFold.values()) {
    const parts = foldCase(pathOf(item)).split('/');
    for (let n = 1; n < parts.length; n++) {
      const parent = byFold.get(parts.slice(0, n).join('/'));
      if (parent !== undefined) out.push({ first: parent, second: item, how: 'nested' });
    }
  }
  return out;
}
