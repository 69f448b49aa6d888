/**
 * @module git/repo
 * Where a repository keeps its objects and refs. Owns the lookup of the git directory (plain
 * checkout, bare repository, linked worktree); does not own reading or writing anything in it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { GitError } from '../errors.js';

export interface Repo {
  /** The directory named by the caller (a work tree or a bare repository). */
  readonly dir: string;
  /** The git directory of this work tree (HEAD lives here). */
  readonly gitdir: string;
  /** Where objects and shared refs live; differs from gitdir only in a linked worktree. */
  readonly commondir: string;
}

/** Finds the git directory of `dir`; throws GitError NotARepository when there is none. */
export function openRepo(dir: string): Repo {
  const abs = resolve(dir);
  const dotGit = join(abs, '.git');
  let gitdir: string;
  if (existsSync(dotGit) && statSync(dotGit).isDirectory()) {
    gitdir = dotGit;
  } else if (existsSync(dotGit)) {
    // A linked worktree or a submodule: `.git` is a file saying where the git directory is.
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
    if (!m?.[1]) throw new GitError('NotARepository', `${dotGit} is neither a git directory nor a "gitdir:" file`, { file: dotGit });
    gitdir = isAbsolute(m[1]) ? m[1] : resolve(abs, m[1]);
  } else if (existsSync(join(abs, 'HEAD')) && existsSync(join(abs, 'objects'))) {
    gitdir = abs;
  } else {
    throw new GitError('NotARepository', `${abs} is not a git repository (no .git, no HEAD and objects/); run "git init" there`, { file: abs });
  }
  const commonFile = join(gitdir, 'commondir');
  const commondir = existsSync(commonFile) ? resolve(gitdir, readFileSync(commonFile, 'utf8').trim()) : gitdir;
  return { dir: abs, gitdir, commondir };
}
