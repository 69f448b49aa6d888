/**
 * @module git/branch-names
 * Output branch names, by `git check-ref-format --branch`'s rules for `refs/heads/<name>`, and the
 * pairs of names one repository cannot hold at once (a ref is a file, so refs/heads/a and
 * refs/heads/a/b cannot both exist). A branch name is also a directory of the preview (with several
 * branches) and a file under .git/refs, so checking it is checking a path. Render checks gitfed.yaml
 * with these rules (ref-names.ts, pure), with its lines; checkOutputBranches is for every caller of commitOutputs.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GitError } from '../errors.js';
import { readRef } from './refs.js';
import type { Repo } from './repo.js';
import { branchConflict, branchNameProblem } from './ref-names.js';
import { clashes } from './tree-paths.js';

export { branchConflict, branchNameProblem } from './ref-names.js';

/** Before any object is written: each name valid, none twice, none nesting in another or in a branch the repository has. */
export function checkOutputBranches(repo: Repo, branches: readonly string[]): void {
  for (const b of branches) {
    const problem = branchNameProblem(b);
    if (problem) throw new GitError('InvalidBranch', `"${b}" is not a valid branch name: it ${problem} (see git check-ref-format)`);
  }
  for (const c of clashes(branches, (b) => b)) {
    if (c.how === 'same') throw new GitError('InvalidOutput', `branch "${c.first}" is given twice`);
    throw new GitError('BranchConflict', branchConflict(c.first, c.second)!);
  }
  for (const b of branches) {
    const parts = b.split('/');
    for (let n = 1; n < parts.length; n++) {
      const parent = parts.slice(0, n).join('/');
      if (readRef(repo, `refs/heads/${parent}`) !== null) {
        throw new GitError('BranchConflict', `cannot create branch ${b}: branch ${parent} exists, and a branch cannot also be a directory of branches`);
      }
    }
    const under = refUnder(repo, b);
    if (under !== undefined) throw new GitError('BranchConflict', `cannot create branch ${b}: ${under} exists under it, and a branch cannot also be a directory of branches`);
  }
}

/** A ref below refs/heads/<branch>/ (loose or packed), or the directory that stands in its way. */
function refUnder(repo: Repo, branch: string): string | undefined {
  const dir = join(repo.commondir, 'refs', 'heads', branch);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // Absent, or a file (the branch itself): nothing below it.
  }
  if (isDir) {
    const found = firstFile(dir);
    return found === undefined ? `the empty directory ${dir}` : `branch ${branch}/${found}`;
  }
  let packed = '';
  try {
    packed = readFileSync(join(repo.commondir, 'packed-refs'), 'utf8');
  } catch {
    return undefined;
  }
  const prefix = ` refs/heads/${branch}/`;
  const line = packed.split('\n').find((l) => !l.startsWith('#') && l.includes(prefix));
  return line === undefined ? undefined : `branch ${line.slice(line.indexOf(prefix) + ' refs/heads/'.length)}`;
}

function firstFile(dir: string, rel = ''): string | undefined {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const name = rel ? `${rel}/${e.name}` : e.name;
    if (e.isFile()) return name;
    if (e.isDirectory()) {
      const found = firstFile(join(dir, e.name), name);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
