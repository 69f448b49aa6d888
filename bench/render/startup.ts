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

export async function timeStartup(gitfed: string, exampleDir: string, runs: number): Promise<StartupResult> {
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
    const measure = async (label: string, args: string[]): Promise<Timing> => {
      const all: ProcessRun[] = [];
      for (let i = 0; i < runs; i++) {
        const r = await runProcess(node, args);
        // diff exits 1 when it finds a change; the copy is clean, so 0 is expected everywhere.
        if (r.code !== 0) throw new Error(`${label} exited ${r.code}: ${r.stderr.trim()}`);
        all.push(r);
      }
      const t = timing(all);
      progress(`startup: ${label}: median ${t.medianMs.toFixed(0)} ms`, true);
      return t;
    };
    const base = await measure('node -e 0', ['-e', '0']);
    const rows: StartupRow[] = [];
    for (const args of commands) {
      const shown = args.map((a) => (a === example ? 'examples/fleet-repo' : a)).join(' ');
      const t = await measure(`gitfed ${shown}`, [gitfed, ...args]);
      rows.push({ command: `gitfed ${shown}`, timing: t, ratio: t.medianMs / base.medianMs });
    }
    return { node: base, rows };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
