/**
 * @module git/ref-layout
 * Git keeps a ref as a file under refs/, so `refs/heads/rendered` and `refs/heads/rendered/eu`
 * cannot both exist: one name would be a file and a directory at once (git calls this a D/F
 * conflict). These checks run before anything is written, against the refs of one update and
 * against the repository's loose and packed refs.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { GitError } from '../errors.js';
import { readPackedRefs, refPath } from './refs.js';
import type { Repo } from './repo.js';

export interface RefClash {
  /** The ref that cannot be written. */
  readonly ref: string;
  /** The existing ref, file or directory in its way. */
  readonly with: string;
}

/** `refs/heads/a` and `refs/heads/a/b` for `refs/heads/a/b/c`: every shorter name that would have to be a directory. */
function parents(ref: string): string[] {
  const parts = ref.split('/');
  const out: string[] = [];
  for (let i = 2; i < parts.length; i++) out.push(parts.slice(0, i).join('/'));
  return out;
}

/** Pairs `[outer, inner]` of names among `refs` where `inner` lies inside `outer`. */
export function nestedRefs(refs: readonly string[]): [string, string][] {
  const all = new Set(refs);
  const out: [string, string][] = [];
  for (const ref of [...all].sort()) for (const p of parents(ref)) if (all.has(p)) out.push([p, ref]);
  return out;
}

/** The first file below `dir` (depth first, sorted), as a path relative to `base`; null when there is none. */
function firstFileBelow(dir: string, name: string): string | null {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return null;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.isDirectory()) {
      const found = firstFileBelow(join(dir, e.name), `${name}/${e.name}`);
      if (found) return found;
    } else return `${name}/${e.name}`;
  }
  return null;
}

function kindAt(path: string): 'file' | 'dir' | null {
  try {
    const st = fs.lstatSync(path);
    return st.isDirectory() ? 'dir' : 'file';
  } catch {
    return null;
  }
}

/**
 * What stands where `refs` would go: an existing ref (loose or packed) named like one of their
 * parent directories, or refs (or any file) below a directory named like one of them. A directory
 * with no file in it is no clash: git removes it when it writes the ref, and so does gitfed.
 */
export function refClashes(repo: Repo, refs: readonly string[]): RefClash[] {
  const packed = readPackedRefs(repo);
  const clashes: RefClash[] = [];
  for (const ref of refs) {
    const parent = parents(ref).find((p) => kindAt(refPath(repo, p)) === 'file' || packed.has(p));
    if (parent) {
      clashes.push({ ref, with: parent });
      continue;
    }
    const below = kindAt(refPath(repo, ref)) === 'dir' ? firstFileBelow(refPath(repo, ref), ref) : null;
    const packedBelow = [...packed.keys()].filter((k) => k.startsWith(`${ref}/`)).sort()[0];
    const inside = [below, packedBelow].filter((x): x is string => !!x).sort()[0];
    if (inside) clashes.push({ ref, with: inside });
  }
  return clashes;
}

/** The error for one clash, worded for a branch gitfed was asked to write. */
export function clashMessage(c: RefClash): string {
  return `cannot create ${c.ref}: ${c.with} exists, and git keeps each ref as a file, so a name cannot be a ref and a directory of refs at once; ` +
    'rename the output branch, or delete the other ref if it is not needed';
}

/** Throws GitError RefConflict when `refs` clash with each other or with what the repository holds. */
export function checkRefLayout(repo: Repo, refs: readonly string[]): void {
  const nested = nestedRefs(refs)[0];
  if (nested) {
    throw new GitError('RefConflict', `cannot write both ${nested[0]} and ${nested[1]}: git keeps each ref as a file, so a name cannot be a ref and a directory of refs at once; rename one of them`);
  }
  const clash = refClashes(repo, refs)[0];
  if (clash) throw new GitError('RefConflict', clashMessage(clash));
}
