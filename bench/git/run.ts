/**
 * Benchmark of the git layer: committing the rendered output of a large fleet with gitfed's
 * writer against native `git add -A && git commit` of the same files, measured in the same run;
 * then an incremental commit after one object changed, and a no-op render.
 *
 *   npm run build && node dist/bench/git/run.js [--clusters 100] [--objects 500] [--runs 1] [--keep]
 *
 * Times exclude Node start-up. Native git runs with gc.auto=0 so a background gc does not eat
 * the CPU of the next measurement.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { textTable as table } from '../../src/format/table.js';
import { branchFiles, commitOutputs, type CommitOutputsResult, type CommitSource } from '../../src/git/index.js';
import type { BranchOutput } from '../../src/render/types.js';
import { syntheticOutput, withOneChange } from './output.js';

interface Args {
  clusters: number;
  objects: number;
  runs: number;
  keep: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { clusters: 100, objects: 500, runs: 1, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--keep') a.keep = true;
    else if (k === '--clusters' || k === '--objects' || k === '--runs') a[k.slice(2) as 'clusters' | 'objects' | 'runs'] = Number(argv[++i]);
    else throw new Error(`unknown argument ${k}; usage: run.js [--clusters N] [--objects M] [--runs R] [--keep]`);
  }
  return a;
}

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.com',
};

function git(dir: string, args: string[], date = 1_700_000_000): string {
  return execFileSync('git', ['-C', dir, '-c', 'gc.auto=0', ...args], {
    encoding: 'utf8', maxBuffer: 1 << 28,
    env: { ...GIT_ENV, GIT_AUTHOR_DATE: `${date} +0000`, GIT_COMMITTER_DATE: `${date} +0000` },
  }).trim();
}

/** A repository with one empty source commit; the same id in every repository the run makes. */
function freshRepo(base: string, name: string): { dir: string; source: CommitSource } {
  const dir = join(base, name);
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  git(dir, ['commit', '-q', '--allow-empty', '-m', 'fleet: initial']);
  return { dir, source: sourceOf(dir) };
}

function sourceOf(dir: string): CommitSource {
  return { repo: 'https://git.example.com/fleet.git', commit: git(dir, ['rev-parse', 'HEAD']), subject: git(dir, ['log', '-1', '--format=%s']) };
}

function newSourceCommit(dir: string, subject: string, date: number): CommitSource {
  git(dir, ['commit', '-q', '--allow-empty', '-m', subject], date);
  return sourceOf(dir);
}

/** CPU seconds of this process's waited-for children (/proc/self/stat cutime + cstime); 0 off Linux. */
function childCpuMs(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    // After the comm field: state is index 0, so utime is 11, stime 12, cutime 13, cstime 14 (clock ticks, 100 Hz).
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return 0;
  }
}

interface Timed<T> {
  /** Wall-clock milliseconds. */
  ms: number;
  /** CPU milliseconds, this process and its children: shows the work apart from waiting on a busy machine. */
  cpu: number;
  value: T;
}

async function timed<T>(f: () => T | Promise<T>): Promise<Timed<T>> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const k0 = childCpuMs();
  const value = await f();
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpu: (c.user + c.system) / 1000 + childCpuMs() - k0, value };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function duBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? duBytes(p) : statSync(p).blocks * 512;
  }
  return n;
}

function writeTree(dir: string, files: ReadonlyMap<string, string>): void {
  const made = new Set<string>();
  for (const [path, content] of files) {
    const d = dirname(join(dir, path));
    if (!made.has(d)) {
      mkdirSync(d, { recursive: true });
      made.add(d);
    }
    writeFileSync(join(dir, path), content);
  }
}

interface Round {
  gitfedFull: Timed<CommitOutputsResult>;
  gitfedLoose: Timed<CommitOutputsResult>;
  nativeWrite: Timed<void>;
  nativeFull: Timed<void>;
  gitfedIncr: Timed<CommitOutputsResult>;
  nativeIncr: Timed<void>;
  gitfedNoop: Timed<CommitOutputsResult>;
  nativeNoop: Timed<string>;
  rehashAll: Timed<void>;
  sameTree: boolean;
  packBytes: number;
  looseBytes: number;
  nativeBytes: number;
}

async function round(base: string, output: BranchOutput, version: string): Promise<Round> {
  // gitfed, default settings: a first commit this large goes into one pack.
  const a = freshRepo(base, 'gitfed-pack');
  const full = await timed(() => commitOutputs({ dir: a.dir, outputs: [output], source: a.source, version }));
  const tree = git(a.dir, ['rev-parse', 'rendered^{tree}']);

  // gitfed forced to loose objects, to show what the pack buys.
  const b = freshRepo(base, 'gitfed-loose');
  const loose = await timed(() => commitOutputs({ dir: b.dir, outputs: [output], source: b.source, version, packThreshold: Infinity }));

  // Native git on the same files: the work tree is written first (not timed in the commit).
  const c = freshRepo(base, 'native');
  const files = branchFiles(output, c.source, version);
  const write = await timed(() => writeTree(c.dir, files));
  const native = await timed(() => {
    git(c.dir, ['add', '-A']);
    git(c.dir, ['commit', '-q', '-m', 'rendered']);
  });
  const sameTree = git(c.dir, ['rev-parse', 'HEAD^{tree}']) === tree;

  // One object changes in one cluster.
  const changed = withOneChange(output, 1);
  const incrSource = newSourceCommit(a.dir, 'bump one config', 1_700_000_100);
  const incr = await timed(() => commitOutputs({ dir: a.dir, outputs: [changed], source: incrSource, version }));
  const changedPath = [...changed.clusters[1]!.files].find(([p, v]) => output.clusters[1]!.files.get(p) !== v)!;
  writeFileSync(join(c.dir, changedPath[0]), changedPath[1]);
  const nativeIncr = await timed(() => {
    git(c.dir, ['add', '-A']);
    git(c.dir, ['commit', '-q', '-m', 'bump']);
  });

  // A source commit that changes no output: gitfed compares digests, native git re-stats the tree.
  const noopSource = newSourceCommit(a.dir, 'docs only', 1_700_000_200);
  const noop = await timed(() => commitOutputs({ dir: a.dir, outputs: [changed], source: noopSource, version }));
  const nativeNoop = await timed(() => {
    git(c.dir, ['add', '-A']);
    return git(c.dir, ['status', '--porcelain']);
  });
  // What a no-op check costs if it rehashes every rendered file instead (node:crypto, no I/O).
  const rehash = await timed(() => {
    for (const cl of changed.clusters) for (const content of cl.files.values()) createHash('sha1').update(`blob ${Buffer.byteLength(content)}\0`).update(content).digest('hex');
  });

  git(a.dir, ['fsck', '--strict', '--no-dangling']);
  return {
    gitfedFull: full, gitfedLoose: loose, nativeWrite: write, nativeFull: native,
    gitfedIncr: incr, nativeIncr, gitfedNoop: noop, nativeNoop, rehashAll: rehash, sameTree,
    packBytes: duBytes(join(a.dir, '.git/objects')), looseBytes: duBytes(join(b.dir, '.git/objects')), nativeBytes: duBytes(join(c.dir, '.git/objects')),
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { VERSION } = await import('../../src/version.js');
  const output = syntheticOutput(args.clusters, args.objects);
  const nFiles = output.clusters.reduce((n, c) => n + c.files.size, 0);
  const bytes = output.clusters.reduce((n, c) => n + [...c.files.values()].reduce((m, s) => m + s.length, 0), 0);
  process.stdout.write(`fleet output: ${args.clusters} clusters x ${args.objects} objects = ${nFiles} files, ${(bytes / 1e6).toFixed(1)} MB; ${args.runs} run(s), median shown\n`);
  process.stdout.write(`node ${process.version}, ${git('.', ['--version'])}\n\n`);

  const rounds: Round[] = [];
  for (let r = 0; r < args.runs; r++) {
    const base = mkdtempSync(join(tmpdir(), 'gitfed-bench-git-'));
    try {
      rounds.push(await round(base, output, VERSION));
    } finally {
      if (args.keep) process.stdout.write(`kept ${base}\n`);
      else rmSync(base, { recursive: true, force: true });
    }
  }
  type Step = 'gitfedFull' | 'gitfedLoose' | 'nativeWrite' | 'nativeFull' | 'gitfedIncr' | 'nativeIncr' | 'gitfedNoop' | 'nativeNoop' | 'rehashAll';
  const m = (k: Step): number => median(rounds.map((r) => r[k].ms));
  const cpu = (k: Step): number => median(rounds.map((r) => r[k].cpu));
  const last = rounds[rounds.length - 1]!;
  const s = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
  const both = (k: Step): string => `${s(m(k))} (${s(cpu(k))})`;
  const ratio = (x: number, y: number): string => `${(x / y).toFixed(1)}x`;
  const mb = (b: number): string => `${(b / 1e6).toFixed(1)} MB`;
  const wrote = (r: Timed<CommitOutputsResult>): string => `${r.value.objectsWritten} objects (${r.value.format})`;

  process.stdout.write('wall time, CPU time in parentheses (this process plus its git children)\n');
  process.stdout.write(table(['step', 'gitfed', 'native git', 'native / gitfed (wall)', 'gitfed wrote'], [
    ['full commit', both('gitfedFull'), both('nativeFull'), ratio(m('nativeFull'), m('gitfedFull')), `${wrote(last.gitfedFull)}, ${mb(last.packBytes)}`],
    ['full commit, loose objects', both('gitfedLoose'), '', ratio(m('nativeFull'), m('gitfedLoose')), `${wrote(last.gitfedLoose)}, ${mb(last.looseBytes)}`],
    ['native: writing the work tree first', '', both('nativeWrite'), '', ''],
    ['incremental (1 object changed)', both('gitfedIncr'), both('nativeIncr'), ratio(m('nativeIncr'), m('gitfedIncr')), wrote(last.gitfedIncr)],
    ['no-op (no output changed)', both('gitfedNoop'), both('nativeNoop'), ratio(m('nativeNoop'), m('gitfedNoop')), `${wrote(last.gitfedNoop)}: the note`],
    ['no-op by rehashing every file', both('rehashAll'), '', '', 'for comparison, not done'],
  ], ['left', 'right', 'right', 'right', 'left']) + '\n\n');
  process.stdout.write(`native objects on disk: ${mb(last.nativeBytes)}; same root tree as native git: ${last.sameTree ? 'yes' : 'NO'}; load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  process.stdout.write(`goals: full commit faster than native git: ${m('gitfedFull') < m('nativeFull') ? 'met' : 'NOT met'}; ` +
    `incremental under 50 ms: ${m('gitfedIncr') < 50 ? 'met' : 'NOT met'}; no-op without rehashing: ${m('gitfedNoop') < m('rehashAll') ? 'met' : 'NOT met'}; ` +
    `no-op made no commit: ${last.gitfedNoop.value.branches.every((b) => !b.committed) ? 'yes' : 'NO'}\n`);
  if (!last.sameTree) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(2);
});
