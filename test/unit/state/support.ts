/** Helpers the state tests share: git in a temporary repo, and a member document. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { MemberState } from '../../../src/state/model.js';

const run = promisify(execFile);
const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' };
export const git = async (cwd: string, ...args: string[]) => (await run('git', args, { cwd, env })).stdout.trim();
export const KEY = 'apps/Deployment/shop/web';
export const member = (cluster: string, w: Partial<MemberState['workloads'][string]>): MemberState => ({
  cluster, ready: true, readySince: '2026-01-01T00:00:00Z', changedAt: '2026-01-01T00:00:00Z', free: { cpu: '0m', pods: '100' },
  workloads: { [KEY]: { desired: 0, ready: 0, current: 0, pending: 0, unschedulable: 0, fit: 0, ...w } },
});
