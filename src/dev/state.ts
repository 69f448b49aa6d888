/**
 * The record of one set of members, so that `down` and `status` work from another process.
 * A set is identified by its kubeconfig file: the state lives in a directory named after the
 * hash of the kubeconfig's absolute path, under a per-user root in the temp directory.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type { ProcessRecord } from './processes.js';

export interface MemberState {
  readonly name: string;
  /** https://127.0.0.1:<port> */
  readonly server: string;
  readonly port: number;
  readonly etcdPrefix: string;
  readonly token: string;
  /** Base64 of the serving certificate chain kube-apiserver made for itself. */
  readonly caData: string;
  readonly dir: string;
  /** Runs kube-scheduler and kwok: Deployments there really roll out. */
  readonly workloads: boolean;
  readonly processes: readonly ProcessRecord[];
}

export interface DevState {
  readonly version: 1;
  readonly kubeconfig: string;
  /** sha256 of the kubeconfig as written, so down never deletes a file someone else rewrote. */
  readonly kubeconfigSha256: string;
  readonly dir: string;
  readonly createdAt: string;
  readonly etcd: { readonly url: string; readonly process: ProcessRecord };
  readonly members: readonly MemberState[];
  /** A process that stops everything when ownerPid exits (test runs), if any. */
  readonly reaper?: ProcessRecord & { readonly ownerPid: number };
}

const STATE_FILE = 'state.json';

export function stateRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.GITFED_DEV_STATE_ROOT || join(tmpdir(), `gitfed-dev-${userInfo().uid}`);
}

export function stateDirFor(kubeconfig: string, env: NodeJS.ProcessEnv = process.env): string {
  const id = createHash('sha256').update(resolve(kubeconfig)).digest('hex').slice(0, 12);
  return join(stateRoot(env), id);
}

export function readState(dir: string): DevState | undefined {
  const p = join(dir, STATE_FILE);
  if (!existsSync(p)) return undefined;
  return JSON.parse(readFileSync(p, 'utf8')) as DevState;
}

/** Written to a temporary name and renamed, so a reader never sees half a file. */
export function writeState(state: DevState): void {
  mkdirSync(state.dir, { recursive: true });
  const tmp = join(state.dir, `${STATE_FILE}.tmp`);
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, join(state.dir, STATE_FILE));
}

/** Every set of members this user has on the machine. */
export function listStates(env: NodeJS.ProcessEnv = process.env): DevState[] {
  const root = stateRoot(env);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((d) => readState(join(root, d)))
    .filter((s): s is DevState => s !== undefined)
    .sort((a, b) => a.kubeconfig.localeCompare(b.kubeconfig));
}

export function allProcesses(s: DevState): ProcessRecord[] {
  return [...s.members.flatMap((m) => m.processes), s.etcd.process];
}
