/**
 * How long, and in how much memory, the CLI refuses the hostile inputs of the safety corpus: each
 * case of the chosen classes is laid over the rendered baseline fleet (as test/unit/safety-corpus
 * does) and run as a whole `gitfed` process, from start-up to exit; its wall time and peak RSS are
 * printed, worst first, with a plain render of the baseline for scale.
 *
 *   npm run build && npm run bench:safety [-- --class meaning,exhaustion] [--runs 3] [--json]
 *
 * Each time is the best of --runs (the machine may be shared); the peak RSS is that run's.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { textTable as table } from '../../src/format/table.js';
import { argvFor, git, loadCorpus, overlay, type SafetyCase } from '../../test/support/safety-corpus.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CORPUS = join(ROOT, 'test/corpus/safety');
const CLI = join(ROOT, 'dist/cmd/gitfed.js');

interface Args {
  classes: string[];
  runs: number;
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { classes: ['meaning', 'exhaustion'], runs: 3, json: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--json') a.json = true;
    else if (k === '--runs') a.runs = Number(argv[++i]);
    else if (k === '--class') a.classes = (argv[++i] ?? '').split(',');
    else throw new Error(`unknown argument ${k}; usage: run.js [--class meaning,exhaustion] [--runs N] [--json]`);
  }
  return a;
}

interface Measure {
  readonly code: number;
  readonly ms: number;
  /** Peak resident set size of the gitfed process, in KiB. */
  readonly rssKiB: number;
}

/** The child reports its own peak RSS as it exits: Node gives a parent no rusage of one child. */
function hook(dir: string): string {
  const path = join(dir, 'rss-hook.mjs');
  writeFileSync(path, "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(process.env.GITFED_BENCH_RSS, String(process.resourceUsage().maxRSS)));\n");
  return path;
}

function runCli(args: readonly string[], hookPath: string, rssFile: string): Promise<Measure> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', hookPath, CLI, ...args], { stdio: 'ignore', env: { ...process.env, GITFED_BENCH_RSS: rssFile } });
    child.on('error', fail);
    child.on('exit', (code) => {
      const ms = performance.now() - t0;
      done({ code: code ?? -1, ms, rssKiB: Number(readFileSync(rssFile, 'utf8')) });
    });
  });
}

interface Row {
  readonly name: string;
  readonly run: string;
  readonly expected: number;
  readonly measure: Measure;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const root = mkdtempSync(join(tmpdir(), 'gitfed-bench-safety-'));
  try {
    const hookPath = hook(root);
    const rssFile = join(root, 'rss');
    const template = join(root, 'template');
    const repo = join(template, 'repo');
    cpSync(join(CORPUS, 'baseline'), repo, { recursive: true });
    git(repo, ['init', '-q', '-b', 'main']);
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'baseline fleet']);
    for (const a of [['render', '--repo', repo, '--commit'], ['render', '--repo', repo, '--out', join(template, 'out')]]) {
      const m = await runCli(a, hookPath, rssFile);
      if (m.code !== 0) throw new Error(`baseline render failed (exit ${m.code})`);
    }

    const cases: SafetyCase[] = loadCorpus(CORPUS).filter((c) => args.classes.includes(c.name.split('/')[0]!) && !c.user);
    const rows: Row[] = [];
    const measure = async (name: string, run: string | string[], expected: number, c?: SafetyCase): Promise<void> => {
      let best: Measure | undefined;
      for (let i = 0; i < args.runs; i++) {
        const world = join(root, 'world');
        rmSync(world, { recursive: true, force: true });
        cpSync(template, world, { recursive: true, verbatimSymlinks: true });
        if (c) {
          overlay(join(world, 'repo'), c.files, c.chmod);
          git(join(world, 'repo'), ['add', '-A']);
          git(join(world, 'repo'), ['commit', '-q', '--allow-empty', '-m', `case ${c.name}`]);
        }
        const m = await runCli(argvFor(run, world), hookPath, rssFile);
        if (!best || m.ms < best.ms) best = m;
      }
      rows.push({ name, run: typeof run === 'string' ? run : run.slice(0, 2).join(' '), expected, measure: best! });
    };
    await measure('(baseline, nothing to refuse)', 'out', 0);
    for (const c of cases) for (const run of c.runs) await measure(c.name, run, c.expect.exit ?? 2, c);

    const cases_ = rows.slice(1);
    const worstTime = cases_.reduce((a, b) => (b.measure.ms > a.measure.ms ? b : a));
    const worstRss = cases_.reduce((a, b) => (b.measure.rssKiB > a.measure.rssKiB ? b : a));
    const wrong = rows.filter((r) => r.measure.code !== r.expected);
    if (args.json) {
      process.stdout.write(JSON.stringify({ runs: args.runs, load: loadavg()[0], rows, worstTime, worstRss, wrongExit: wrong.map((r) => r.name) }, null, 2) + '\n');
    } else {
      const sorted = [rows[0]!, ...cases_.sort((a, b) => b.measure.ms - a.measure.ms)];
      const mib = (k: number) => (k / 1024).toFixed(1);
      process.stdout.write(
        table(
          ['case', 'run', 'exit', 'time ms', 'peak RSS MiB'],
          sorted.map((r) => [r.name, r.run, r.measure.code === r.expected ? String(r.measure.code) : `${r.measure.code} (want ${r.expected})`, r.measure.ms.toFixed(0), mib(r.measure.rssKiB)]),
          ['left', 'left', 'right', 'right', 'right'],
        ) + '\n',
      );
      process.stdout.write(`\n${cases_.length} runs of ${cases.length} cases (${args.classes.join(', ')}), best of ${args.runs}, load average ${loadavg()[0]!.toFixed(1)}\n`);
      process.stdout.write(`worst time: ${worstTime.measure.ms.toFixed(0)} ms (${worstTime.name} [${worstTime.run}]), peak RSS ${mib(worstTime.measure.rssKiB)} MiB\n`);
      process.stdout.write(`worst peak RSS: ${mib(worstRss.measure.rssKiB)} MiB (${worstRss.name} [${worstRss.run}]), ${worstRss.measure.ms.toFixed(0)} ms\n`);
      if (wrong.length > 0) process.stdout.write(`unexpected exit codes: ${wrong.map((r) => r.name).join(', ')}\n`);
    }
    if (wrong.length > 0) process.exitCode = 1;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
