/**
 * Render benchmark (issue 3): gitfed's render against `kubectl kustomize` of every overlay of the
 * same synthetic fleet, in one process tree on one machine.
 *
 *   npm run build && npm run bench:render [-- --json] [--runs 5] [--scenarios 100x500,100x1000]
 *     [--kustomize-sample 20] [--no-kustomize] [--keep] [--seed 1]
 *
 * Fleets are generated into temporary directories and removed afterwards (--keep leaves them).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { RenderErrors } from '../../src/errors.js';
import { findKubectl, type Kubectl } from './kubectl.js';
import { timeKustomize } from './kustomize-timing.js';
import { medianTiming, outputSize, timeRender, timeWatch, type RenderTiming } from './measure.js';
import { progress } from './progress.js';
import { formatReport, goalsFor, seconds, summarizeComparisons, type ScenarioResult } from './report.js';
import { generateInto } from './write.js';

interface Options {
  scenarios: { clusters: number; objects: number }[];
  runs: number;
  kustomizeSample: number;
  kustomize: boolean;
  json: boolean;
  keep: boolean;
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

/** Scenarios up to the issue's 100 x 500 run kustomize on every overlay; bigger ones on a sample. */
function overlaySample(s: { clusters: number; objects: number }, sample: number): number {
  return s.clusters * s.objects <= 100 * 500 ? 0 : sample;
}

async function runScenario(s: { clusters: number; objects: number }, opts: Options, kubectl: Kubectl | undefined): Promise<ScenarioResult> {
  const name = `${s.clusters}x${s.objects}`;
  const dir = await mkdtemp(join(tmpdir(), `gitfed-bench-render-${name}-`));
  try {
    progress(`[${name}] generating into ${dir}`, true);
    const gen = await generateInto(dir, { ...s, seed: opts.seed });

    const timings: RenderTiming[] = [];
    let firstRunMs = 0;
    let last: Awaited<ReturnType<typeof timeRender>> | undefined;
    // Run 0 pays for JIT warm-up and is reported on its own; the median is over the runs after it.
    for (let run = 0; run <= opts.runs; run++) {
      // The previous run's output is garbage by now; holding it would make every run pay GC for two fleets.
      last = undefined;
      last = await timeRender(gen.fleetDir);
      if (run === 0) firstRunMs = last.timing.totalMs;
      else timings.push(last.timing);
      progress(`[${name}] gitfed render ${run === 0 ? 'first run' : `run ${run}/${opts.runs}`}: ${seconds(last.timing.totalMs)}`);
    }
    const { result, files } = last!;
    const median = medianTiming(timings);
    progress(`[${name}] gitfed render: median ${seconds(median.totalMs)} over ${opts.runs} runs`, true);
    const maxRssMiB = process.resourceUsage().maxRSS / 1024;

    const byCluster = new Map(result.branches.flatMap((b) => b.clusters.map((c) => [c.cluster, c] as const)));
    const countMismatches = gen.clusters.filter((c) => (byCluster.get(c)?.objects ?? 0) !== gen.expected.get(c));

    progress(`[${name}] watch: timing re-renders after one edit`);
    const watch = await timeWatch(gen.fleetDir, files, result, Math.max(3, opts.runs));
    progress(`[${name}] watch: re-render ${seconds(watch.rerenderMs)}, read+render+diff ${seconds(watch.cycleMs)}`, true);

    let kustomize: ScenarioResult['kustomize'];
    if (kubectl && opts.kustomize) {
      const k = await timeKustomize(kubectl.path, gen.kustomizeDir, gen.clusters, overlaySample(s, opts.kustomizeSample), (c) => byCluster.get(c)?.files.values() ?? [], name);
      const { comparisons, ...timing } = k;
      kustomize = { ...timing, ...summarizeComparisons(comparisons) };
    }
    const ratio = kustomize ? kustomize.totalMs / median.totalMs : undefined;
    const cpuRatio = kustomize?.totalCpuMs !== undefined ? kustomize.totalCpuMs / median.cpuMs : undefined;
    const size = outputSize(result);
    return {
      name,
      clusters: s.clusters,
      objects: s.objects,
      fleet: { files: gen.fleetFiles, bytes: gen.fleetBytes },
      output: { objects: result.rendered.length, ...size },
      countMismatches,
      gitfed: { runs: opts.runs, firstRunMs, median, totalsMs: timings.map((t) => t.totalMs), maxRssMiB },
      ...(kustomize ? { kustomize } : {}),
      ...(ratio !== undefined ? { ratio } : {}),
      ...(cpuRatio !== undefined ? { cpuRatio } : {}),
      watch,
      goals: goalsFor(s.clusters, s.objects, median.totalMs, ratio),
    };
  } finally {
    if (opts.keep) progress(`[${name}] kept ${dir}`, true);
    else await rm(dir, { recursive: true, force: true });
  }
}

async function main(opts: Options): Promise<void> {
  // Other work on the machine inflates both columns; the load before we start says how much to trust them.
  const loadAverage1m = Number(loadavg()[0]!.toFixed(2));
  const kubectl = opts.kustomize ? findKubectl(repoRoot()) : undefined;
  if (opts.kustomize && !kubectl) progress('no kubectl found ($KUBECTL, PATH, control-plane cache): the kustomize column is skipped', true);
  else if (kubectl) progress(`kubectl: ${kubectl.path} (${kubectl.source}): ${kubectl.version}`, true);

  const results: ScenarioResult[] = [];
  for (const s of opts.scenarios) results.push(await runScenario(s, opts, kubectl));

  const env = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', loadAverage1m, kubectl: kubectl ?? null };
  if (opts.json) {
    process.stdout.write(JSON.stringify({ environment: env, scenarios: results }, null, 2) + '\n');
  } else {
    const header = `gitfed render vs kubectl kustomize (node ${env.node}, ${env.cpus} x ${env.cpu}, load average ${env.loadAverage1m} at start${kubectl ? `, ${kubectl.version}` : ''})`;
    process.stdout.write(formatReport(results, header));
  }
  for (const r of results) {
    for (const m of r.kustomize?.mismatches.slice(0, 1) ?? []) {
      process.stderr.write(`warning: ${r.name} cluster ${m.cluster}: kustomize and gitfed differ (${m.onlyGitfed.length} only in gitfed, ${m.onlyKustomize.length} only in kustomize, ${m.different.length} different); e.g. ${m.example?.id}\n  gitfed:    ${m.example?.gitfed ?? '(absent)'}\n  kustomize: ${m.example?.kustomize ?? '(absent)'}\n`);
    }
  }
}

const program = new Command('bench:render')
  .description('time gitfed render against kubectl kustomize of every overlay on synthetic fleets')
  .option('--scenarios <list>', 'comma-separated CLUSTERSxOBJECTS', scenarios, scenarios('100x500,100x1000'))
  .option('--runs <n>', 'timed gitfed runs per scenario (after one warm-up run)', count, 5)
  .option('--kustomize-sample <n>', 'overlays measured in scenarios above 100x500, total extrapolated (0: all)', count, 20)
  .option('--no-kustomize', 'skip the kubectl kustomize column')
  .option('--json', 'print the results as JSON', false)
  .option('--keep', 'keep the generated fleets', false)
  .option('--seed <n>', 'generator seed', count, 1)
  .action(async (o: Options) => {
    if (o.runs < 1) throw new InvalidArgumentError('--runs must be at least 1');
    await main(o);
  });

program.parseAsync().catch((err: unknown) => {
  if (err instanceof RenderErrors) for (const e of err.errors.slice(0, 20)) process.stderr.write(`error: ${e.format()}\n`);
  else process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(2);
});
