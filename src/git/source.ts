/**
 * @module git/source
 * Reading the fleet repo at any revision without a checkout: resolve a revision to a commit,
 * then read the files of its tree straight from the object store.
 */
import * as fs from 'node:fs';
import { GitError, RenderError, RenderErrors } from '../errors.js';
import { decodeFleetFile } from '../yaml/text.js';
import { parseCommit, subjectOf, type CommitObject } from './object-format.js';
import { ObjectStore } from './object-store.js';
import { readRef } from './refs.js';
import { openRepo, type Repo } from './repo.js';
import { listFiles, type PathFilter } from './tree-read.js';

export type { PathFilter } from './tree-read.js';

function notFound(repo: Repo, rev: string, why = 'no branch, tag or commit by that name'): GitError {
  return new GitError('RefNotFound', `revision "${rev}" not found in ${repo.dir} (${why})`, { file: repo.dir });
}

/** The oid a name stands for, in git's order: as given, then tags, branches, remote branches. */
function resolveName(repo: Repo, name: string): string | null {
  const candidates = name === 'HEAD' || name.startsWith('refs/')
    ? [name]
    : [name, `refs/${name}`, `refs/tags/${name}`, `refs/heads/${name}`, `refs/remotes/${name}`, `refs/remotes/${name}/HEAD`];
  for (const c of candidates) {
    const oid = readRef(repo, c);
    if (oid) return oid;
  }
  return null;
}

/** Follows annotated tags down to the commit they name. */
async function peelToCommit(store: ObjectStore, oid: string, rev: string): Promise<string> {
  for (let i = 0; i < 10; i++) {
    const o = await store.read(oid).catch((err: unknown) => {
      if (err instanceof GitError && err.code === 'ObjectNotFound') {
        throw new GitError('CorruptRef', `revision "${rev}" points at ${oid}, which is not in the object store (a broken or shallow repository)`, {}, { cause: err });
      }
      throw err;
    });
    if (o.type === 'commit') return oid;
    const m = o.type === 'tag' ? /^object ([0-9a-f]{40})$/m.exec(o.content.toString('utf8')) : null;
    if (!m?.[1]) throw new GitError('NotACommit', `revision "${rev}" names a ${o.type}, not a commit`);
    oid = m[1];
  }
  throw new GitError('NotACommit', `revision "${rev}": tags nest too deep`);
}

export async function readCommitObject(store: ObjectStore, oid: string, what: string): Promise<CommitObject> {
  const content = await store.readTyped(oid, 'commit', what);
  try {
    return parseCommit(content);
  } catch (err) {
    throw new GitError('CorruptObject', `${what}: commit ${oid} is malformed: ${(err as Error).message}`, {}, { cause: err });
  }
}

/**
 * Resolves `rev` to a commit id. Accepts a full or abbreviated object id, HEAD, a ref, a branch,
 * tag or remote-branch name, each optionally followed by `~N`, `^` or `^N`.
 */
export async function resolveRevision(repo: Repo, store: ObjectStore, rev: string): Promise<string> {
  const m = /^(.*?)((?:[~^]\d*)*)$/.exec(rev.trim());
  const base = m?.[1] ?? '';
  const suffix = m?.[2] ?? '';
  if (!base) throw notFound(repo, rev, 'empty revision');
  let oid = resolveName(repo, base);
  if (!oid && /^[0-9a-f]{4,40}$/i.test(base)) {
    const lower = base.toLowerCase();
    if (lower.length === 40 && store.has(lower)) oid = lower;
    else {
      try {
        const { default: git } = await import('isomorphic-git');
        oid = await git.expandOid({ fs, gitdir: repo.commondir, oid: lower });
      } catch (err) {
        if ((err as { code?: string }).code === 'AmbiguousError') throw new GitError('AmbiguousRef', `revision "${rev}" is an ambiguous abbreviation; give more digits`);
        throw notFound(repo, rev);
      }
    }
  }
  if (!oid) throw notFound(repo, rev);
  let commit = await peelToCommit(store, oid, rev);
  for (const step of suffix.match(/[~^]\d*/g) ?? []) {
    const n = step.length > 1 ? Number(step.slice(1)) : 1;
    if (step[0] === '^') {
      if (n === 0) continue;
      const parent: string | undefined = (await readCommitObject(store, commit, rev)).parents[n - 1];
      if (!parent) throw notFound(repo, rev, `commit ${commit.slice(0, 7)} has no parent ${n}`);
      commit = parent;
    } else {
      for (let i = 0; i < n; i++) {
        const parent: string | undefined = (await readCommitObject(store, commit, rev)).parents[0];
        if (!parent) throw notFound(repo, rev, `history of ${commit.slice(0, 7)} is shorter than ${n}`);
        commit = parent;
      }
    }
  }
  return commit;
}

function notAFile(file: string, mode: string): RenderError {
  const what = mode === '120000' ? 'a symbolic link' : mode === '160000' ? 'a submodule' : `a tree entry of mode ${mode}`;
  return new RenderError('NotRegularFile', `this is ${what} in the commit, and gitfed reads only regular files (the working tree refuses it too); commit the file itself, or exclude it in gitfed.yaml`, { file });
}

export interface ReadSourceOptions {
  /** The fleet repo (work tree or bare). */
  readonly dir: string;
  /** Any revision git would accept of the forms listed at resolveRevision. @default 'HEAD' */
  readonly ref?: string;
  /**
   * Which paths to read. Called for directories (type 'dir'; false skips the whole directory)
   * and for files; the loader plugs gitfed.yaml's excludes in here.
   */
  readonly filter?: PathFilter;
  /**
   * Texts decoded before, by blob id, and where this read adds its own: a caller reading two
   * revisions (a diff's sides) decodes each blob they share once.
   */
  readonly texts?: Map<string, string>;
}

export interface SourceSnapshot {
  /** Full commit id the ref resolved to. */
  readonly commit: string;
  /** First line of its message. */
  readonly subject: string;
  /** Committer time (unix seconds): what commitOutputs derives the output commits' dates from. */
  readonly time: number;
  /** Repo-relative path -> UTF-8 content, for every file the filter kept. */
  readonly files: Map<string, string>;
}

/** The commit `opts.ref` names, read from the object store. */
async function sourceCommit(opts: ReadSourceOptions): Promise<{ store: ObjectStore; rev: string; commit: string; c: CommitObject }> {
  const repo = openRepo(opts.dir);
  const store = new ObjectStore(repo);
  const rev = opts.ref ?? 'HEAD';
  const commit = await resolveRevision(repo, store, rev);
  return { store, rev, commit, c: await readCommitObject(store, commit, rev) };
}

/** How many files `readSourceAt` would read at `ref`, from the trees alone (no file is read). */
export async function countSourceFiles(opts: ReadSourceOptions): Promise<number> {
  const { store, c } = await sourceCommit(opts);
  return (await listFiles(store, c.tree, '', opts.filter)).size;
}

/** Reads the fleet repo at `ref` from the object store; the work tree is never looked at. */
export async function readSourceAt(opts: ReadSourceOptions): Promise<SourceSnapshot> {
  const { store, rev, commit, c } = await sourceCommit(opts);
  // A link or a submodule where the fleet has a file: the working tree refuses it (a link could
  // bring in a file from outside the repo), so a commit of that tree must not quietly render less.
  const others: RenderError[] = [];
  const blobs = await listFiles(store, c.tree, '', opts.filter, (path, mode) => others.push(notAFile(path, mode)));
  if (others.length === 1) throw others[0]!;
  if (others.length > 1) throw new RenderErrors(others);
  const files = new Map<string, string>();
  for (const [path, oid] of blobs) {
    // A text is the same whatever the path (only a refusal names it, and a refused blob is not kept).
    let text = opts.texts?.get(oid);
    if (text === undefined) {
      text = decodeFleetFile(path, await store.readTyped(oid, 'blob', `${rev}:${path}`));
      opts.texts?.set(oid, text);
    }
    files.set(path, text);
  }
  return { commit, subject: subjectOf(c.message), time: c.committer.timestamp, files };
}
