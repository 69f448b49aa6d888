/**
 * Control-plane processes that outlive the command that started them: each runs in its own
 * process group with its output in a log file, and is known afterwards only by the record
 * kept in the state file. Before signalling a pid we check it still runs the same binary,
 * because after a reboot or a crash the pid may belong to something else.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { sleep } from './duration.js';

export type Role = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok' | 'reaper';

export interface ProcessRecord {
  readonly role: Role;
  readonly pid: number;
  /** Resolved path of the executable, to recognise the process later. */
  readonly bin: string;
  readonly log: string;
}

export interface StartOptions {
  readonly role: Role;
  readonly bin: string;
  readonly args: readonly string[];
  readonly log: string;
}

export function startProcess(o: StartOptions): ProcessRecord {
  const fd = openSync(o.log, 'a');
  try {
    const child = spawn(o.bin, [...o.args], { detached: true, stdio: ['ignore', fd, fd] });
    if (child.pid === undefined) throw new Error(`could not start ${o.bin}`);
    child.unref();
    // Without a listener a failed exec (ENOENT, EACCES) would be an unhandled 'error' event.
    child.on('error', () => {});
    return { role: o.role, pid: child.pid, bin: realpathSync(o.bin), log: o.log };
  } finally {
    closeSync(fd);
  }
}

/** True while the pid exists and still runs our binary (not a zombie, not a reused pid). */
export function isRunning(p: ProcessRecord): boolean {
  try {
    process.kill(p.pid, 0);
  } catch {
    return false;
  }
  const proc = `/proc/${p.pid}`;
  if (!existsSync(proc)) return true; // no procfs: the signal probe is all we have
  try {
    const state = /State:\s+(\S)/.exec(readFileSync(`${proc}/status`, 'utf8'))?.[1];
    if (state === 'Z' || state === 'X') return false;
    return readlinkSync(`${proc}/exe`).replace(/ \(deleted\)$/, '') === p.bin;
  } catch {
    return false;
  }
}

/** Resident memory in KiB, from /proc; undefined where there is no procfs. */
export function rssKiB(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function signal(p: ProcessRecord, sig: NodeJS.Signals): void {
  if (!isRunning(p)) return;
  try {
    process.kill(-p.pid, sig);
  } catch {
    try {
      process.kill(p.pid, sig);
    } catch {
      // already gone
    }
  }
}


/**
 * SIGTERM, then SIGKILL for whatever is still running after graceMs. Returns once every
 * process is gone, so the caller can remove data directories and reuse ports.
 */
export async function stopProcesses(procs: readonly ProcessRecord[], graceMs = 10_000): Promise<void> {
  for (const p of procs) signal(p, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (procs.some(isRunning) && Date.now() < deadline) await sleep(100);
  for (const p of procs) signal(p, 'SIGKILL');
  const hardDeadline = Date.now() + 5_000;
  while (procs.some(isRunning) && Date.now() < hardDeadline) await sleep(50);
}

/**
 * Clients first, because kube-apiserver drains open watches for up to a minute before it exits
 * on SIGTERM; then the apiservers; etcd last, so they never lose their store while stopping.
 */
const STOP_RANK: Record<Role, number> = {
  reaper: 0, 'kube-controller-manager': 0, 'kube-scheduler': 0, kwok: 0, 'kube-apiserver': 1, etcd: 2,
};

export async function stopInOrder(procs: readonly ProcessRecord[], graceMs = 5_000): Promise<void> {
  for (const rank of [0, 1, 2]) await stopProcesses(procs.filter((p) => STOP_RANK[p.role] === rank), graceMs);
}

/** The synchronous last resort for 'exit' handlers, where nothing asynchronous runs any more. */
export function killNow(procs: readonly ProcessRecord[]): void {
  for (const p of procs) signal(p, 'SIGKILL');
}

/** The last lines of a log, for error messages. */
export function logTail(path: string, lines = 15): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
