/**
 * The CLI at the end of a pipe and on a terminal: a reader that stops early ends it quietly, and
 * colour comes only where it is wanted (FORCE_COLOR stands in for a terminal here).
 */
import { execFile, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliEnv, copyExampleFleet, runGitfed } from '../support/cli.js';

const gitEnv = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' };
const git = (cwd: string, ...args: string[]) => promisify(execFile)('git', args, { cwd, env: { ...process.env, ...gitEnv } });

/** A fleet repo with one commit and a working-tree change to every cluster's ConfigMap. */
async function changedFleet(): Promise<string> {
  const repo = await copyExampleFleet('gitfed-terminal-');
  await git(repo, 'init', '-q', '-b', 'main');
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-qm', 'fleet');
  const file = join(repo, 'kubefed/shop-config.yaml');
  await writeFile(file, (await readFile(file, 'utf8')).replace('CURRENCY: EUR', 'CURRENCY: CHF'));
  return repo;
}

/** Runs the CLI with stdout on a pipe that is closed after the first bytes arrive, like `| head -c1`. */
function closeAfterFirstBytes(args: readonly string[], cwd: string): Promise<{ code: number | null; signal: string | null; stderr: string; got: number }> {
  const child = spawn('node', [CLI, ...args], { cwd, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let got = 0;
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.once('data', (d: Buffer) => {
    got = d.length;
    child.stdout.destroy();
  });
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr, got })));
}

let repo: string;
beforeAll(async () => {
  repo = await changedFleet();
}, 60_000);

describe('a closed pipe', () => {
  it('ends gitfed diff quietly, with the exit code diff chose (1: differences)', async () => {
    // Far more than a pipe holds (64 KiB), so gitfed is still writing when the reader goes away.
    const big = ['apiVersion: types.kubefed.io/v1beta1', 'kind: FederatedConfigMap', 'metadata: {name: big, namespace: shop}', 'spec:', '  template:', '    data:'];
    for (let i = 0; i < 4000; i++) big.push(`      key${i}: value-${i}-${'x'.repeat(40)}`);
    big.push('  placement:', '    clusterSelector: {}');
    await writeFile(join(repo, 'kubefed/big.yaml'), big.join('\n') + '\n');
    const full = await runGitfed(['diff', '--format', 'json'], { cwd: repo });
    expect(full.stdout.length).toBeGreaterThan(512 * 1024);

    const r = await closeAfterFirstBytes(['diff', '--format', 'json'], repo);
    expect(r.got).toBeGreaterThan(0);
    expect(r.got).toBeLessThan(full.stdout.length);
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
  });
});

describe('colour', () => {
  const ESC = '\x1b[';

  it('marks added lines green and removed lines red in a diff when asked', async () => {
    const r = await runGitfed(['diff'], { cwd: repo, env: { FORCE_COLOR: '1' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${ESC}32m+  CURRENCY: CHF${ESC}39m`);
    expect(r.stdout).toContain(`${ESC}31m-  CURRENCY: EUR${ESC}39m`);
    expect(r.stdout).toContain(`${ESC}36m@@`);
  });

  it('never on a pipe, nor with NO_COLOR set', async () => {
    for (const env of [{}, { NO_COLOR: '1' }]) {
      const r = await runGitfed(['diff'], { cwd: repo, env });
      expect(r.stdout).toContain('+  CURRENCY: CHF');
      expect(r.stdout).not.toContain(ESC);
    }
  });

  it('marks the error prefix, and leaves JSON alone', async () => {
    const text = await runGitfed(['explain', '--repo', repo, 'deployment/shop/nope'], { env: { FORCE_COLOR: '1' } });
    expect(text.stderr).toMatch(/^\x1b\[1m\x1b\[31merror:\x1b\[39m\x1b\[22m no federated object/);
    const json = await runGitfed(['diff', '--format', 'json'], { cwd: repo, env: { FORCE_COLOR: '1' } });
    expect(json.stdout).not.toContain(ESC);
    const jsonError = await runGitfed(['explain', '--repo', repo, '--format', 'json', 'deployment/shop/nope'], { env: { FORCE_COLOR: '1' } });
    expect(JSON.parse(jsonError.stderr)).toMatchObject({ error: { code: 'NotFound' } });
  });
});
