/** Runs the built CLI (dist/, made by `npm run build`) as users do, and what it printed and exited with. */
import { execFile } from 'node:child_process';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const CLI = new URL('../../dist/cmd/gitfed.js', import.meta.url).pathname;
export const EXAMPLE_FLEET = new URL('../../examples/fleet-repo/', import.meta.url).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI's environment: this one plus `env`; FORCE_COLOR only when `env` sets it, so output is plain. */
export function cliEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const out = { ...process.env, ...env };
  if (!('FORCE_COLOR' in env)) delete out.FORCE_COLOR;
  return out;
}

export async function runGitfed(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [CLI, ...args], { cwd: opts.cwd, env: cliEnv(opts.env), maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** A private copy of examples/fleet-repo to edit. */
export async function copyExampleFleet(prefix = 'gitfed-test-'): Promise<string> {
  const repo = join(await mkdtemp(join(tmpdir(), prefix)), 'repo');
  await cp(EXAMPLE_FLEET, repo, { recursive: true });
  return repo;
}
