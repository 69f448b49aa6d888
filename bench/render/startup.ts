/**
 * How soon gitfed's commands that talk to no member are done, beside node doing nothing
 * (`node -e 0`): what a command costs before it does its work is mostly the modules it loads.
 * Each is a cold process, run several times; the example fleet is a private git copy (diff
 * compares its working tree with HEAD).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSourceRepo, timing, type Timing } from './cli-runs.js';
import { runProcess, type ProcessRun } from './process.js';
import { progress } from './progress.js';

export interface StartupRow {
  /** As a user types it, `gitfed ...`. */
  readonly command: string;
  readonly timing: Timing;
  /** Median over node -e 0's median. */
  readonly ratio: number;
}

export interface StartupResult {
  readonly node: Timing;
  readonly rows: readonly StartupRow[];
}

export async function timeStartup(gitfed: string, exampleDir: string, n: number): Promise<StartupResult> {
  const work = mkdtempSync(join(tmpdir(), 'gitfed-bench-startup-'));
  try {
    const example = join(work, 'fleet');
    cpSync(exampleDir, example, { recursive: true });
    makeSourceRepo(example, join(work, 'pristine.git'));
    const commands: string[][] = [
      ['--version'],
      ['--help'],
      ['status', '--help'],
      ['render', '--repo', example],
      ['diff', '--repo', example],
      ['explain', '--repo', example, 'deployment/shop/web'],
    ];
    const node = process.execPath;
    const shown = (args: string[]) => `gitfed ${args.map((a) => (a === example ? 'examples/fleet-repo' : a)).join(' ')}`;
    // In turns (node -e 0, then each command once, again and again), so drift in the host's speed falls on all alike.
    const runs: ProcessRun[][] = [[], ...commands.map(() => [])];
    for (let i = 0; i < n; i++) {
      for (const [k, args] of [['-e', '0'], ...commands.map((c) => [gitfed, ...c])].entries()) {
        const r = await runProcess(node, args);
        // diff exits 1 when it finds a change; the copy is clean, so 0 is expected everywhere.
        if (r.code !== 0) throw new Error(`${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
        runs[k]!.push(r);
      }
      progress(`start-up: round ${i + 1}/${n}`);
    }
    const base = timing(runs[0]!);
    const rows = commands.map((c, k) => {
      const t = timing(runs[k + 1]!);
      return { command: shown(c), timing: t, ratio: t.medianMs / base.medianMs };
    });
    progress(`start-up: node -e 0 ${base.medianMs.toFixed(0)} ms; ${rows.map((r) => `${r.command} ${r.ratio.toFixed(1)}x`).join('; ')}`, true);
    return { node: base, rows };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
