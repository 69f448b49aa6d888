/**
 * @module state-store
 * The last propagation report, kept in a local file so `gitfed status` can print it without
 * touching any member, and so a member that cannot be reached is reported with its last good
 * state. Written to a temporary file and renamed: a kill mid-write leaves the old report whole.
 * The file belongs to the repository the branch is read from (stateFileFor), not to the
 * directory gitfed was started in. In a cluster the report lives in the management cluster
 * instead (src/controller/status-object.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApplyError } from '../../errors.js';
import { gitdirOf } from '../../git/branch-read.js';
import { isRemote, mirrorDir } from '../../git/mirror.js';
import type { PropagationReport } from './report.js';

/** The file of a plain directory with the branch layout, relative to it; also the fallback of readState/writeState. */
export const DEFAULT_STATE_FILE = path.join('.gitfed', 'status.json');

/**
 * Where the report of a repository's branch is kept: inside its git directory (`gitfed/status.json`,
 * beside refs and objects, shared by every worktree), in the local mirror of a remote, or under
 * `.gitfed/` of a plain directory. Never in the current directory.
 */
export function stateFileFor(repo: string): string {
  if (isRemote(repo)) return path.join(mirrorDir(repo), 'gitfed', 'status.json');
  const gitdir = fs.existsSync(repo) ? gitdirOf(repo) : undefined;
  return gitdir ? path.join(gitdir, 'gitfed', 'status.json') : path.join(repo, DEFAULT_STATE_FILE);
}

export function readState(file: string = DEFAULT_STATE_FILE): PropagationReport | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PropagationReport;
  } catch (err) {
    throw new ApplyError('StateInvalid', `cannot read the status file: ${(err as Error).message}`, { file }, { cause: err });
  }
}

export function writeState(report: PropagationReport, file: string = DEFAULT_STATE_FILE): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(report, null, 2) + '\n');
  fs.renameSync(tmp, file);
}
