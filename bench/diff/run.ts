/**
 * `gitfed diff` of a pull request at fleet scale, as CI runs it: a generated fleet of 500 clusters
 * committed twice (the second commit changes 10 objects: a new image tag, overrides included),
 * then `gitfed diff BASE HEAD --format markdown --full-out FILE` as a whole cold process, several
 * times. Prints the median wall time against the 2 s goal, the peak RSS, and the size of the
 * comment and of the full diff; then where the time goes (phases.ts: the steps one after another
 * in one more cold process, each side's render alone).
 *
 *   npm run build && npm run bench:diff [-- --clusters 500] [--objects 100] [--changed 10] [--runs 5] [--shape shared|distinct] [--keep]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { textTable } from '../../src/format/table.js';
import type { FleetShape } from '../render/distinct.js';
import { memoryMethod, runProcess, type ProcessRun } from '../render/process.js';
import { progress } from '../render/progress.js';
import { median } from '../render/stats.js';
import { generateInto } from '../render/write.js';

const CLI = fileURLToPath(new URL('../../cmd/gitfed.js', import.meta.url));
const GOAL_MS = 2000;

interface Args {
  clusters: number;
  objects: number;
  changed: number;
  runs: number;
  shape: FleetShape;
  keep: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { clusters: 500, objects: 100, changed: 10, runs: 5, shape: 'shared', keep: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    if (k === '--keep') a.keep = true;
    else if (k === '--shape') a.shape = argv[++i] as FleetShape;
    else if (['--clusters', '--objects', '--changed', '--runs'].includes(k)) a[k.slice(2) as 'clusters' | 'objects' | 'changed' | 'runs'] = Number(argv[++i]);
    else throw new Error(`unknown argument ${k}; usage: run.js [--clusters N] [--objects M] [--changed K] [--runs R] [--shape shared|distinct] [--keep]`);
  }
  if (a.shape !== 'shared' && a.shape !== 'distinct') throw new Error('--shape is shared or distinct');
  return a;
}

const git = (dir: string, args: string[]) =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.com' } }).trim();

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.yaml') && statSync(join(dir, p)).isFile()).sort();
}

/** Bumps the image tag of `count` workloads spread over the fleet, in their templates and overrides alike. */
function changeObjects(fleet: string, count: number): string[] {
  const candidates = yamlFiles(fleet).filter((p) => !p.startsWith('clusters/') && /image: \S+:\d+\.\d+\.\d+/.test(readFileSync(join(fleet, p), 'utf8')));
  if (candidates.length < count) throw new Error(`only ${candidates.length} files with an image to change`);
  const step = candidates.length / count;
  const picked = Array.from({ length: count }, (_, i) => candidates[Math.floor(i * step)]!);
  for (const p of picked) {
    const file = join(fleet, p);
    const text = readFileSync(file, 'utf8');
    const tag = /image: \S+:(\d+\.\d+\.\d+)/.exec(text)![1]!;
    const [major, minor, patch] = tag.split('.').map(Number);
    writeFileSync(file, text.replaceAll(`:${tag}`, `:${major}.${minor}.${patch! + 1}`));
  }
  return picked;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const root = mkdtempSync(join(tmpdir(), 'gitfed-bench-diff-'));
  try {
    progress(`generating ${args.clusters} clusters x ${args.objects} objects (${args.shape})`);
    const g = await generateInto(join(root, 'gen'), { clusters: args.clusters, objects: args.objects, shape: args.shape });
    const fleet = g.fleetDir;
    git(fleet, ['init', '-q', '-b', 'main']);
    git(fleet, ['add', '-A']);
    git(fleet, ['commit', '-q', '-m', 'fleet']);
    const changed = changeObjects(fleet, args.changed);
    git(fleet, ['commit', '-q', '-am', `bump ${args.changed} images`]);
    progress(`changed ${changed.length} objects: ${changed.map((p) => relative(fleet, join(fleet, p))).join(', ')}`, true);

    const full = join(root, 'gitfed-diff.md');
    const argv = [CLI, 'diff', 'HEAD~1', 'HEAD', '--repo', fleet, '--format', 'markdown', '--full-out', full];
    const runs: ProcessRun[] = [];
    for (let i = 0; i < args.runs; i++) {
      progress(`run ${i + 1}/${args.runs}: gitfed diff HEAD~1 HEAD --format markdown`);
      const r = await runProcess(process.execPath, argv, { captureStdout: true });
      if (r.code !== 1) throw new Error(`gitfed diff exited ${r.code} (want 1, changes found): ${r.stderr.slice(0, 2000)}`);
      runs.push(r);
    }
    progress('done', true);
    const comment = runs[0]!.stdout;
    const ms = median(runs.map((r) => r.ms));
    const rss = runs.map((r) => r.maxRssKiB).filter((v): v is number => v !== undefined);
    const headline = comment.split('\n')[0];
    process.stdout.write(
      textTable(
        ['fleet', 'diff (median)', 'min', 'peak RSS', 'comment', 'full diff', 'goal'],
        [[
          `${args.clusters} clusters x ${args.objects} objects, ${args.shape}, ${args.changed} changed`,
          `${(ms / 1000).toFixed(2)} s`,
          `${(Math.min(...runs.map((r) => r.ms)) / 1000).toFixed(2)} s`,
          rss.length ? `${(Math.max(...rss) / 1024).toFixed(0)} MiB` : '?',
          `${Buffer.byteLength(comment).toLocaleString('en-US')} bytes`,
          `${statSync(full).size.toLocaleString('en-US')} bytes`,
          ms < GOAL_MS ? '< 2 s: met' : '< 2 s: not met',
        ]],
      ) + '\n',
    );
    const phasesJs = fileURLToPath(new URL('./phases.js', import.meta.url));
    const p = JSON.parse(execFileSync(process.execPath, [phasesJs, '--repo', fleet, '--base', 'HEAD~1', '--head', 'HEAD'], { encoding: 'utf8' })) as { phases: Record<string, number>; oneThread: boolean; selection: { rendered: number; total: number } | { whole: string }; objects: { head: number; taken: number }; changedFiles: number };
    const names = Object.keys(p.phases);
    const took = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`);
    process.stdout.write(
      `\nwhere the time goes: one cold process doing the diff's steps one after another with a clock around each (${'whole' in p.selection ? (p.oneThread ? `both sides rendered whole (${p.selection.whole}), as the CLI does on this machine: two cores or fewer` : `both sides rendered whole (${p.selection.whole}); the CLI renders the base on a worker thread at the same time as the head on this machine`) : `each side rendered as far as the change reaches: files with templates rendered ${p.selection.rendered} of ${p.selection.total}`}; explains the figure above, not itself one)\n` +
        textTable(names, [names.map((n) => took(p.phases[n]!))]) +
        '\n' +
        `the head's objects that are the base's own (kept copies): ${p.objects.taken.toLocaleString('en-US')} of ${p.objects.head.toLocaleString('en-US')}; files changed: ${p.changedFiles.toLocaleString('en-US')}\n`,
    );
    process.stdout.write(`\n${headline}\nobjects placed over all clusters: ${[...g.expected.values()].reduce((a, b) => a + b, 0).toLocaleString('en-US')}; ${args.runs} cold runs, load average ${loadavg()[0]!.toFixed(1)}; peak RSS by ${memoryMethod()}\n`);
    if (args.keep) process.stdout.write(`kept ${root}\n`);
  } finally {
    if (!args.keep) rmSync(root, { recursive: true, force: true });
  }
}

await main();
