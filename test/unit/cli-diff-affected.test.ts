/**
 * `gitfed diff` renders each side only as far as a change reaches; `--strict` renders both whole.
 * On the example fleet, which has no warnings, the two must print the very same diff, between
 * commits and against the working tree, and the partial path must really have been taken.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderChangedAt } from '../../src/render-revision.js';
import { copyExampleFleet, runGitfed } from '../support/cli.js';

const run = promisify(execFile);
const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x', GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' };
const git = async (cwd: string, ...args: string[]) => (await run('git', args, { cwd, env })).stdout.trim();

let repo: string;

async function edit(path: string, from: string, to: string): Promise<void> {
  const file = join(repo, path);
  const text = await readFile(file, 'utf8');
  expect(text, `${path} holds ${from}`).toContain(from);
  await writeFile(file, text.replace(from, to));
}

/** The diff both ways, in every format: the same bytes and exit code. */
async function expectSameBothWays(args: string[]): Promise<void> {
  for (const format of ['json', 'markdown', 'text']) {
    const partial = await runGitfed(['diff', ...args, '--format', format], { cwd: repo });
    const whole = await runGitfed(['diff', ...args, '--format', format, '--strict'], { cwd: repo });
    expect(whole.stderr).toBe('');
    expect(partial.stderr).toBe('');
    expect(partial.code).toBe(whole.code);
    expect(partial.stdout).toBe(whole.stdout);
  }
}

beforeAll(async () => {
  repo = await copyExampleFleet('gitfed-affected-');
  await git(repo, 'init', '-q', '-b', 'main');
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-qm', 'fleet');
});

describe('diff renders only what a change reaches', () => {
  it('prints the whole render\'s diff for a KubeFed change, and renders only its file', async () => {
    await edit('kubefed/shop-web.yaml', 'shop/web:1.8.2', 'shop/web:1.9.0');
    await git(repo, 'commit', '-qam', 'web 1.9.0');
    const changed = await renderChangedAt(repo, 'HEAD~1', { ref: 'HEAD' });
    expect(changed?.files.rendered).toBeGreaterThan(0);
    expect(changed!.files.rendered).toBeLessThan(changed!.files.total);
    await expectSameBothWays(['HEAD~1', 'HEAD']);
  });

  it('prints the whole render\'s diff for a Karmada template beside its policies, and against the working tree', async () => {
    await edit('karmada/analytics.yaml', 'collector:2.3.0', 'collector:2.4.0');
    const { readWorkingTree } = await import('../../src/workspace/source.js');
    expect(await renderChangedAt(repo, 'HEAD', { files: await readWorkingTree(repo) })).toBeDefined();
    await expectSameBothWays([]);
    await git(repo, 'commit', '-qam', 'collector 2.4.0');
    await expectSameBothWays(['HEAD~2', 'HEAD']);
  });

  it('renders both sides whole when a fleet-wide document changes, with the same diff', async () => {
    await edit('karmada/analytics.yaml', 'replicas: 10', 'replicas: 12');
    await edit('clusters/burst-1.yaml', 'burst: "true"', 'burst: "true"\n    extra: "yes"');
    await git(repo, 'commit', '-qam', 'a cluster label, and replicas');
    expect(await renderChangedAt(repo, 'HEAD~1', { ref: 'HEAD' })).toBeUndefined();
    await expectSameBothWays(['HEAD~1', 'HEAD']);
  });

  it('tells an error the change brings, as the whole render does', async () => {
    await edit('kubefed/shop-web.yaml', 'replicas: 3', 'replicas: -3');
    const partial = await runGitfed(['diff'], { cwd: repo });
    const whole = await runGitfed(['diff', '--strict'], { cwd: repo });
    expect(partial.code).toBe(2);
    // --strict adds the warnings the error brings along as errors of their own.
    const plain = whole.stderr.split('\n').filter((l) => !l.endsWith('[StrictWarning]')).join('\n');
    expect(partial.stderr).toContain('[Schema]');
    expect(partial.stderr).toBe(plain);
    await git(repo, 'checkout', '-q', '--', '.');
  });
});
