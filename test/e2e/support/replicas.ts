/**
 * Controller replicas as real processes: `gitfed daemon` from dist/, with JSON logs read line by
 * line, so a test can say what each replica did to which member, and when.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface LogLine {
  readonly time: string;
  readonly level: string;
  readonly replica?: string;
  readonly member?: string;
  readonly object?: string;
  readonly action?: string;
  readonly msg: string;
  readonly [key: string]: unknown;
}

export interface Replica {
  readonly id: string;
  readonly child: ChildProcess;
  readonly lines: LogLine[];
  /** stderr lines that are not JSON (start-up errors). */
  readonly other: string[];
  exited(): Promise<number | null>;
  /** `http://host:port` the replica serves on, once it said so. */
  url(): Promise<string>;
}

export function startReplica(cli: string, id: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Replica {
  return startLogged(id, process.execPath, [cli, 'daemon', '--replica', id, '--log-format', 'json', ...args], opts);
}

/** Any command whose stderr is the daemon's JSON log (the daemon behind a wrapper). */
export function startLogged(id: string, command: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Replica {
  const child = spawn(command, [...args], { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] });
  const lines: LogLine[] = [];
  const other: string[] = [];
  let buffered = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      try {
        lines.push(JSON.parse(line) as LogLine);
      } catch {
        other.push(line);
      }
    }
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = async () => {
    for (let i = 0; i < 400; i++) {
      const serving = lines.find((l) => l.action === 'serve');
      if (serving) return `http://${String(serving.address).replace(/^0\.0\.0\.0:|^\[::\]:/, '127.0.0.1:')}`;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`replica ${id} never said where it serves: ${other.join('\n')}`);
  };
  return { id, child, lines, other, exited: () => exit, url };
}

/** [start, end] of every reconcile of `member` by each replica; one still open ends at `openUntil` (its replica was killed then). */
export function reconcileIntervals(replicas: readonly Replica[], member: string, openUntil: (r: Replica) => number): { replica: string; start: number; end: number }[] {
  const out: { replica: string; start: number; end: number }[] = [];
  for (const r of replicas) {
    let start: number | undefined;
    for (const l of r.lines) {
      if (l.member !== member) continue;
      if (l.action === 'reconcile-start') start = Date.parse(l.time);
      if (l.action === 'reconcile-end' && start !== undefined) {
        out.push({ replica: r.id, start, end: Date.parse(l.time) });
        start = undefined;
      }
    }
    if (start !== undefined) out.push({ replica: r.id, start, end: openUntil(r) });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Pairs of reconciles of one member by two replicas that overlap in time. */
export function overlaps(intervals: readonly { replica: string; start: number; end: number }[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < intervals.length; i++) {
    for (let j = i + 1; j < intervals.length; j++) {
      const a = intervals[i]!;
      const b = intervals[j]!;
      if (a.replica !== b.replica && b.start <= a.end && a.start <= b.end) found.push(`${a.replica} [${a.start}, ${a.end}] and ${b.replica} [${b.start}, ${b.end}]`);
    }
  }
  return found;
}
