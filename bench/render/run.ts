/**
 * Render benchmark (issues 3 and 10): gitfed as users run it, one cold CLI process per run,
 * beside its peers measured in the same run on the same machine: `kubectl kustomize` of every
 * overlay of the same fleet, `cp -r` of the finished preview, and `node -e 0`.
 *
 *   npm run build && npm run bench:render [-- --json] [--runs 5] [--scenarios 100x500,100x1000]
 *     [--shapes shared,distinct] [--kustomize-sample 20] [--no-kustomize] [--no-startup] [--keep] [--seed 1] [--tmpfs DIR | --no-tmpfs]
 *     [--work-dir DIR]
 *
 * Fleets are generated into temporary directories and removed afterwards (--keep leaves them).
 * Peak memory needs GNU time at /usr/bin/time (`apt-get install time`) or a /proc file system.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { readWorkingTree } from '../../src/workspace/source.js';
import { timeCli, type CliTimings } from './cli-runs.js';
import type { FleetShape } from './distinct.js';
import { findKubectl, type Kubectl } from './kubectl.js';
import { KustomizeSession } from './kustomize-timing.js';
import { memoryMethod, runOk } from './process.js';
import { progress } from './progress.js';
import { copyRatios, formatReport, goalsFor, summarizeComparisons, type PhaseReport, type ScenarioResult } from './report.js';
import { timeStartup } from './startup.js';
import { generateInto } from './write.js';

interface Options {
  scenarios: { clusters: number; objects: number }[];
  shapes: FleetShape[];
  runs: number;
  kustomizeSample: number;
  kustomize: boolean;
  startup: boolean;
  json: boolean;
  keep: boolean;
  workDir: string;
  /** Where the second --out and cp -r pair writes; false: no such pair. */
  tmpfs: string | boolean;
  seed: number;
}

function count(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

function scenarios(v: string): { clusters: number; objects: number }[] {
  return v.split(',').map((s) => {
    const m = /^(\d+)x(\d+)$/.exec(s.trim());
    if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new InvalidArgumentError(`scenario "${s}" is not CLUSTERSxOBJECTS, e.g. 100x500`);
    return { clusters: Number(m[1]), objects: Number(m[2]) };
  });
}

function shapes(v: string): FleetShape[] {
  return v.split(',').map((s) => {
    if (s !== 'shared' && s !== 'distinct') throw new InvalidArgumentError(`shape "${s}" is not shared or distinct`);
    return s;
  });
}

/** The repository root, found upwards from this file (dist/bench/render or bench/render). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (dir !== dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'gitfed') return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the gitfed repository above ' + fileURLToPath(import.meta.url));
}

/** Scenarios up to the 100 x 500 run kustomize on every overlay; bigger ones on a sample. */
function overlaySample(s: { clusters: number; objects: number }, sample: number): number {
  return s.clusters * s.objects <= 100 * 500 ? 0 : sample;
}

/** Every file of each cluster in a preview, read back from disk (what kustomize's output is compared with). */
function clusterFiles(preview: string): Map<string, string[]> {
  const meta = JSON.parse(readFileSync(join(preview, 'gitfed.metadata'), 'utf8')) as { clusters: { name: string; dir: string }[] };
  const out = new Map<string, string[]>();
  for (const c of meta.clusters) {
    const root = join(preview, c.dir);
    const texts = existsSync(root) ? readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => readFileSync(join(e.parentPath, e.name), 'utf8')) : [];
    out.set(c.name, texts);
  }
  return out;
}

async function phases(gitfedRoot: string, args: string[]): Promise<PhaseReport> {
  const r = await runOk(process.execPath, [join(gitfedRoot, 'dist/bench/render/phases.js'), ...args], { captureStdout: true });
  return JSON.parse(r.stdout) as PhaseReport;
}

async function runScenario(root: string, s: { clusters: number; objects: number }, shape: FleetShape, opts: Options, kubectl: Kubectl | undefined): Promise<ScenarioResult> {
  const name = `${s.clusters}x${s.objects}`;
  const label = `${name} ${shape}`;
  const dir = await mkdtemp(join(opts.workDir, `gitfed-bench-render-${name}-${shape}-`));
  try {
    progress(`[${label}] generating into ${dir}`, true);
    const gen = await generateInto(join(dir, 'gen'), { ...s, seed: opts.seed, shape });
    const fleetFiles = await readWorkingTree(gen.fleetDir);
    const gitfed = join(root, 'dist/cmd/gitfed.js');
    const session = kubectl && opts.kustomize ? new KustomizeSession(kubectl.path, gen.kustomizeDir, gen.clusters, overlaySample(s, opts.kustomizeSample), label) : undefined;
    const memDir = typeof opts.tmpfs === 'string' ? await mkdtemp(join(opts.tmpfs, `gitfed-bench-render-${name}-${shape}-`)) : undefined;
    let cli: CliTimings;
    try {
      cli = await timeCli({ gitfed, fleetDir: gen.fleetDir, workDir: dir, runs: opts.runs, fleetFiles, label, ...(memDir ? { tmpfsDir: memDir } : {}) }, session ? (i, n) => session.runShare(i, n) : undefined);
    } finally {
      if (memDir) await rm(memDir, { recursive: true, force: true });
    }

    progress(`[${label}] where the time goes`, true);
    rmSync(join(gen.fleetDir, '.git'), { recursive: true, force: true });
    await runOk('cp', ['-r', join(dir, 'pristine.git'), join(gen.fleetDir, '.git')]);
    const commit = await phases(root, ['--repo', gen.fleetDir, '--mode', 'commit']);
    const out = await phases(root, ['--repo', gen.fleetDir, '--mode', 'out', '--out', join(dir, 'phases-preview'), '--check-emitter', '--watch-runs', String(Math.max(3, opts.runs))]);

    const countMismatches = gen.clusters.filter((c) => (out.perCluster[c] ?? 0) !== gen.expected.get(c));
    let kustomize: ScenarioResult['kustomize'];
    if (session) {
      const files = clusterFiles(join(dir, 'preview'));
      const k = await session.finish((c) => files.get(c) ?? []);
      const { comparisons, ...timing } = k;
      kustomize = { ...timing, ...summarizeComparisons(comparisons) };
    }
    const ratio = kustomize ? kustomize.totalMs / cli.commit.medianMs : undefined;
    return {
      name,
      shape,
      clusters: s.clusters,
      objects: s.objects,
      fleet: { files: gen.fleetFiles, bytes: gen.fleetBytes },
      countMismatches,
      cli,
      phases: { commit, out },
      ...(kustomize ? { kustomize } : {}),
      ...(ratio !== undefined ? { ratio } : {}),
      ...copyRatios(cli),
      goals: goalsFor({ ...s, shape }, cli, ratio),
    };
  } finally {
    if (opts.keep) progress(`[${label}] kept ${dir}`, true);
    else await rm(dir, { recursive: true, force: true });
  }
}

/** The mount holding `dir`, from /proc/mounts when there is one: [device, mount point, fstype]. */
function mountOf(dir: string): string[] | undefined {
  try {
    const real = realpathSync(dir);
    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')).filter((f) => f.length > 2);
    return mounts.filter(([, at]) => real === at || real.startsWith(at === '/' ? '/' : at + '/')).sort((a, b) => b[1]!.length - a[1]!.length)[0];
  } catch {
    return undefined;
  }
}

function isTmpfs(dir: string): boolean {
  return mountOf(dir)?.[2] === 'tmpfs';
}

/** `DIR (fstype)`, from /proc/mounts when there is one: previews on tmpfs and on a disk are different races. */
function fileSystemOf(dir: string): string {
  const best = mountOf(dir);
  return best ? `${dir} (${best[2]} on ${best[0]})` : dir;
}

async function main(opts: Options): Promise<void> {
  // Other work on the machine inflates every column; the load averages say how much to trust them.
  const loadAverageStart = loadavg();
  const root = repoRoot();
  const kubectl = opts.kustomize ? findKubectl(root) : undefined;
  if (opts.kustomize && !kubectl) progress('no kubectl found ($KUBECTL, PATH, control-plane cache): the kustomize column is skipped', true);
  else if (kubectl) progress(`kubectl: ${kubectl.path} (${kubectl.source}): ${kubectl.version}`, true);

  const startup = opts.startup ? await timeStartup(join(root, 'dist/cmd/gitfed.js'), join(root, 'examples/fleet-repo'), Math.max(opts.runs, 7)) : undefined;
  const results: ScenarioResult[] = [];
  for (const s of opts.scenarios) for (const shape of opts.shapes) results.push(await runScenario(root, s, shape, opts, kubectl));

  const env = {
    node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown',
    loadAverageStart, loadAverageEnd: loadavg(), kubectl: kubectl?.version ?? null, memory: memoryMethod(), runs: opts.runs, workDir: fileSystemOf(opts.workDir),
  };
  if (opts.json) process.stdout.write(JSON.stringify({ environment: env, startup: startup ?? null, scenarios: results }, null, 2) + '\n');
  else process.stdout.write(formatReport(results, startup, env));
  for (const r of results) {
    for (const m of r.kustomize?.mismatches.slice(0, 1) ?? []) {
      process.stderr.write(`warning: ${r.name} ${r.shape} cluster ${m.cluster}: kustomize and gitfed differ (${m.onlyGitfed.length} only in gitfed, ${m.onlyKustomize.length} only in kustomize, ${m.different.length} different); e.g. ${m.example?.id}\n  gitfed:    ${m.example?.gitfed ?? '(absent)'}\n  kustomize: ${m.example?.kustomize ?? '(absent)'}\n`);
    }
    const e = r.phases.out.emitter;
    if (e && e.equal !== e.checked) process.stderr.write(`warning: ${r.name} ${r.shape}: the YAML emitter differs from js-yaml on ${e.checked - e.equal} objects\n`);
  }
}

const program = new Command('bench:render')
  .description('time gitfed render as whole CLI processes against kubectl kustomize of every overlay, cp -r and node -e 0')
  .option('--scenarios <list>', 'comma-separated CLUSTERSxOBJECTS', scenarios, scenarios('100x500,100x1000'))
  .option('--shapes <list>', 'fleet shapes: shared (most copies identical), distinct (every copy differs per cluster)', shapes, shapes('shared,distinct'))
  .option('--runs <n>', 'cold runs of each gitfed command (and of cp -r); the median is reported', count, 5)
  .option('--kustomize-sample <n>', 'overlays measured in scenarios above 100x500, total extrapolated (0: all)', count, 20)
  .option('--no-kustomize', 'skip the kubectl kustomize column')
  .option('--no-startup', 'skip the start-up table')
  .option('--json', 'print the results as JSON', false)
  .option('--keep', 'keep the generated fleets', false)
  .option('--work-dir <dir>', 'where fleets, repositories and previews go (the file system --out and cp -r write to)', tmpdir())
  .option('--tmpfs <dir>', 'a directory on a tmpfs for a second --out and cp -r pair, which no disk stall reaches (default: /dev/shm when it is a tmpfs)')
  .option('--no-tmpfs', 'skip the tmpfs pair')
  .option('--seed <n>', 'generator seed', count, 1)
  .action(async (o: Options) => {
    if (o.runs < 1) throw new InvalidArgumentError('--runs must be at least 1');
    if (o.tmpfs === true || o.tmpfs === undefined) o.tmpfs = isTmpfs('/dev/shm') ? '/dev/shm' : false;
    else if (typeof o.tmpfs === 'string' && !isTmpfs(o.tmpfs)) throw new InvalidArgumentError(`--tmpfs ${o.tmpfs} is not on a tmpfs`);
    await main(o);
  });

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(2);
});
