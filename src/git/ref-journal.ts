/**
 * @module git/ref-journal
 * Makes a multi-ref update all-or-nothing across a kill. Before it takes any lock, an update
 * writes a journal, `gitfed-txn-<pid>-<id>.prepared`, into the git directory: its process and
 * every ref with its old and new value. Once every lock is held, checked and written, the
 * journal is renamed to `.committed` (the commit point), the locks are renamed over their refs,
 * and the journal is removed.
 *
 * A process killed in between leaves its journal and some `<ref>.lock` files, which native git
 * (and gitfed) would otherwise report as held forever. The next gitfed update in the repository
 * finishes the work of a journal whose process is gone: a prepared one is rolled back (its
 * locks removed), a committed one rolled forward (its remaining locks renamed into place), so
 * the refs end as all old or all new. A lock no journal names is someone else's: gitfed never
 * removes it and says which file to remove if no git process is running.
 */
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isMove, lockContent, lockPath, moveIntoPlace, readLock, type ReflogOptions, type RefUpdate } from './ref-lock.js';
import { GitError } from '../errors.js';
import type { Repo } from './repo.js';

const JOURNAL = /^gitfed-txn-(\d+)-[0-9a-z]+\.(prepared|committed)$/;

interface JournalBody {
  readonly pid: number;
  readonly host: string;
  /** The process's start time (Linux), so a recycled pid is not taken for the writer. */
  readonly start: string | null;
  readonly reflog: ReflogOptions | null;
  readonly updates: readonly RefUpdate[];
}

/** Journals of this process that are in use right now; never recovered. */
const active = new Set<string>();

function startTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether the process that wrote a journal can no longer finish it. */
function ownerGone(pid: number, host: string, start: string | null): boolean {
  if (host !== hostname()) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  const now = startTime(pid);
  return start !== null && now !== null && now !== start;
}

export class RefJournal {
  private constructor(private path: string) {}

  /** Writes the prepared journal; nothing else is on disk yet. */
  static begin(repo: Repo, updates: readonly RefUpdate[], reflog: ReflogOptions | undefined): RefJournal {
    const id = Math.random().toString(36).slice(2, 10) || '0';
    const path = join(repo.commondir, `gitfed-txn-${process.pid}-${id}.prepared`);
    const body: JournalBody = { pid: process.pid, host: hostname(), start: startTime(process.pid), reflog: reflog ?? null, updates };
    active.add(path);
    try {
      fs.writeFileSync(path, JSON.stringify(body) + '\n', { flag: 'wx' });
    } catch (err) {
      active.delete(path);
      throw err;
    }
    return new RefJournal(path);
  }

  /** The commit point: from here on, a kill is finished forward by the next gitfed. */
  commit(): void {
    const next = this.path.replace(/\.prepared$/, '.committed');
    active.add(next);
    fs.renameSync(this.path, next);
    active.delete(this.path);
    this.path = next;
  }

  /** Removes the journal: after a rollback (prepared) or once every ref is in place (committed). */
  close(): void {
    fs.rmSync(this.path, { force: true });
    active.delete(this.path);
  }

  /** Stops tracking the journal without removing it, so the next gitfed finishes it. */
  abandon(): void {
    active.delete(this.path);
  }
}

function readBody(path: string): JournalBody | null {
  try {
    const b = JSON.parse(fs.readFileSync(path, 'utf8')) as JournalBody;
    return Array.isArray(b.updates) ? b : null;
  } catch {
    return null;
  }
}

/** Finishes one journal whose process is gone; see the module comment. */
function finish(repo: Repo, body: JournalBody | null, committed: boolean): void {
  for (const u of body?.updates ?? []) {
    const lock = lockPath(repo, u.ref);
    const content = readLock(lock);
    if (content === null) continue;
    if (committed && isMove(u)) {
      // Before the commit every lock was written, so only a whole value is ours to finish.
      if (content === lockContent(u)) moveIntoPlace(repo, u, body?.reflog ?? undefined);
    } else if (content === '' || content === lockContent(u)) {
      fs.rmSync(lock, { force: true });
    }
  }
}

function journals(repo: Repo): { path: string; pid: number; committed: boolean }[] {
  let names: string[];
  try {
    names = fs.readdirSync(repo.commondir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const m = JOURNAL.exec(name);
    return m ? [{ path: join(repo.commondir, name), pid: Number(m[1]), committed: m[2] === 'committed' }] : [];
  });
}

/**
 * Finishes every update left by a gitfed process that is gone (see the module comment); returns
 * how many. A journal cut short while it was written held no lock yet and is only removed.
 */
export function recoverRefUpdates(repo: Repo): number {
  let n = 0;
  for (const j of journals(repo)) {
    if (active.has(j.path)) continue;
    const body = readBody(j.path);
    if (!ownerGone(body?.pid ?? j.pid, body?.host ?? hostname(), body?.start ?? null)) continue;
    try {
      finish(repo, body, j.committed);
      fs.rmSync(j.path, { force: true });
    } catch (err) {
      throw new GitError('RefUpdateIncomplete', `cannot finish the ref update gitfed process ${j.pid} left in ${j.path}: ${(err as Error).message}`, { file: j.path }, { cause: err });
    }
    n++;
  }
  return n;
}

/** The live gitfed process whose journal names `ref`, for a message about its lock. */
export function lockOwner(repo: Repo, ref: string): { pid: number; host: string; journal: string } | null {
  for (const j of journals(repo)) {
    if (active.has(j.path)) continue;
    const body = readBody(j.path);
    if (body?.updates.some((u) => u.ref === ref)) return { pid: body.pid, host: body.host, journal: j.path };
  }
  return null;
}
