/**
 * @module state-store
 * The last propagation report, kept in a local file so `gitfed status` can print it without
 * touching any member, and so a member that cannot be reached is reported with its last good
 * state. Written to a temporary file and renamed: a kill mid-write leaves the old report whole.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApplyError } from '../../errors.js';
import type { PropagationReport } from './report.js';

/** @default `.gitfed/status.json` under the working directory. */
export const DEFAULT_STATE_FILE = path.join('.gitfed', 'status.json');

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
