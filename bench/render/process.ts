/**
 * One whole process, timed as a user feels it: wall time from spawn to exit, and its peak
 * resident memory. The peak comes from GNU time (`%M`) when /usr/bin/time is GNU time; otherwise
 * from the child's VmHWM in /proc, read every few milliseconds while it runs (a high-water mark,
 * so a late read still sees the peak unless the last moments set it). Either way the number is
 * the child's own, never this process's.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProcessRun {
  readonly ms: number;
  /** Peak resident set size in KiB; undefined when neither way could see it. */
  readonly maxRssKiB?: number;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  /** Keep stdout (kustomize's output is compared); otherwise it is read and dropped. */
  readonly captureStdout?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Writes back what earlier steps left in the page cache before the next timed process starts.
 * Removing and copying tens of thousands of files leaves seconds of writeback behind, which the
 * kernel makes whichever process writes next wait for: a `cp -r` or a `render --commit` then
 * paid for the step before it. Untimed, and the same for gitfed and its peers.
 */
export function settleDisk(): void {
  spawnSync('sync', [], { stdio: 'ignore' });
}

const GNU_TIME = '/usr/bin/time';
let gnuTime: boolean | undefined;

/** Whether /usr/bin/time is GNU time (busybox and BSD time have no -f/-o). */
export function hasGnuTime(): boolean {
  if (gnuTime === undefined) {
    const r = spawnSync(GNU_TIME, ['-f', '%M', '-o', '/dev/null', 'true'], { stdio: 'ignore' });
    gnuTime = r.status === 0;
  }
  return gnuTime;
}

export function memoryMethod(): string {
  return hasGnuTime() ? 'GNU time %M' : '/proc/<pid>/status VmHWM, polled';
}

function vmHwm(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function runProcess(command: string, args: readonly string[], opts: RunOptions = {}): Promise<ProcessRun> {
  const timed = hasGnuTime();
  const dir = timed ? mkdtempSync(join(tmpdir(), 'gitfed-bench-time-')) : undefined;
  const report = dir ? join(dir, 'time') : undefined;
  const [cmd, argv] = timed ? [GNU_TIME, ['-f', '%M', '-o', report!, command, ...args]] : [command, [...args]];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, argv, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => {
      if (opts.captureStdout) out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let peak: number | undefined;
    const poll = timed ? undefined : setInterval(() => {
      const v = child.pid === undefined ? undefined : vmHwm(child.pid);
      if (v !== undefined) peak = Math.max(peak ?? 0, v);
    }, 5);
    child.on('error', (e) => {
      if (poll) clearInterval(poll);
      reject(e);
    });
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (poll) clearInterval(poll);
      let maxRssKiB = peak;
      if (report) {
        try {
          const lines = readFileSync(report, 'utf8').trim().split('\n');
          maxRssKiB = Number(lines[lines.length - 1]);
        } catch {
          maxRssKiB = undefined;
        }
        rmSync(dir!, { recursive: true, force: true });
      }
      resolve({ ms, ...(maxRssKiB !== undefined && Number.isFinite(maxRssKiB) ? { maxRssKiB } : {}), code: code ?? -1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
  });
}

/** Runs and insists on exit 0, naming the command and its stderr otherwise. */
export async function runOk(command: string, args: readonly string[], opts: RunOptions = {}): Promise<ProcessRun> {
  const r = await runProcess(command, args, opts);
  if (r.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.code}: ${r.stderr.trim().slice(0, 2000)}`);
  return r;
}
