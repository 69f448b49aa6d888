/**
 * @module git/reflog
 * Reflog entries for the refs gitfed moves, written where and when native git would write them:
 * when core.logAllRefUpdates is `always`, when it is true (the default outside bare
 * repositories) for branches, remote-tracking refs and notes, and whenever the ref already has
 * a log. So `git reflog rendered` shows gitfed's renders next to everyone else's updates.
 *
 * A reflog is a record, not state: an entry that cannot be written (a file where its directory
 * should be) is skipped rather than failing an update whose refs are already right.
 */
import * as fs from 'node:fs';
import { dirname, join } from 'node:path';
import { readGitConfig } from './config.js';
import { GITFED_EMAIL, GITFED_NAME } from './identity.js';
import type { Repo } from './repo.js';

export type LogAllRefUpdates = boolean | 'always';

const ZERO = '0'.repeat(40);

/** core.logAllRefUpdates as git reads it; unset means true except in a bare repository. */
export async function readLogAllRefUpdates(repo: Repo): Promise<LogAllRefUpdates> {
  const v = readGitConfig(repo.commondir, 'core.logAllRefUpdates');
  if (v === undefined) return repo.gitdir !== repo.dir;
  if (v === true) return true;
  const s = v.toLowerCase();
  if (s === 'always') return 'always';
  return ['true', 'yes', 'on', '1'].includes(s);
}

function logPath(repo: Repo, ref: string): string {
  return join(ref.startsWith('refs/') ? repo.commondir : repo.gitdir, 'logs', ref);
}

/** Whether git would log an update of `ref` under `policy`. */
export function shouldLog(repo: Repo, ref: string, policy: LogAllRefUpdates): boolean {
  if (policy === 'always') return true;
  if (policy && (/^refs\/(heads|remotes|notes)\//.test(ref) || ref === 'HEAD')) return true;
  return fs.existsSync(logPath(repo, ref));
}

function lastLine(path: string): string {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, 1024));
    fs.readSync(fd, buf, 0, buf.length, size - buf.length);
    const lines = buf.toString('utf8').split('\n').filter(Boolean);
    return lines[lines.length - 1] ?? '';
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Appends `old -> next` to the ref's log. Skipped when the last entry already records that move,
 * which is how a finished-after-a-kill update avoids logging twice.
 */
export function appendReflog(repo: Repo, ref: string, old: string | null, next: string, message: string, now = Date.now()): void {
  const path = logPath(repo, ref);
  const move = `${old ?? ZERO} ${next} `;
  try {
    if (lastLine(path).startsWith(move)) return;
    fs.mkdirSync(dirname(path), { recursive: true });
    const line = `${move}${GITFED_NAME} <${GITFED_EMAIL}> ${Math.floor(now / 1000)} +0000\t${message.replace(/\s+/g, ' ').trim()}\n`;
    fs.appendFileSync(path, line);
  } catch {
    // A log that cannot be written is no reason to fail an update; see the module comment.
  }
}
