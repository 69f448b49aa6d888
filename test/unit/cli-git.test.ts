/** render --commit and diff through the CLI, on a real git repo that native git then inspects. */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_FLEET, runGitfed } from '../support/cli.js';

const run = promisify(execFile);
const example = EXAMPLE_FLEET;
const gitfed = (cwd: string, ...args: string[]) => runGitfed(args, { cwd });

const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x', GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' };
const git = async (cwd: string, ...args: string[]) => (await run('git', args, { cwd, env })).stdout.trim();

let repo: string;

beforeAll(async () => {
  repo = join(await mkdtemp(join(tmpdir(), 'gitfed-git-')), 'fleet');
  await cp(example, repo, { recursive: true });
  await git(repo, 'init', '-q', '-b', 'main');
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-qm', 'Initial fleet');
});

describe('render --commit and diff', () => {
  it('commits the output branch that native git reads, with trailer and note', async () => {
    const r = await gitfed(repo, 'render', '--commit');
    expect(r.code).toBe(0);
    const src = await git(repo, 'rev-parse', 'HEAD');
    expect(await git(repo, 'log', '-1', '--format=%s', 'rendered')).toBe(`${src.slice(0, 7)}: Initial fleet`);
    const trailers = await run('sh', ['-c', 'git log -1 --format=%B rendered | git interpret-trailers --parse'], { cwd: repo });
    expect(trailers.stdout).toContain(`Gitfed-Source-Commit: ${src}`);
    expect(await git(repo, 'notes', '--ref', 'gitfed', 'show', 'rendered')).toContain(src);
    const tree = await git(repo, 'ls-tree', '--name-only', 'rendered');
    expect(tree.split('\n')).toEqual(['.gitattributes', 'clusters', 'gitfed.metadata']);
    await git(repo, 'fsck', '--strict');
  });

  it('diff: 0 without changes, 1 with, naming the clusters; markdown for PRs', async () => {
    expect((await gitfed(repo, 'diff')).code).toBe(0);
    const file = join(repo, 'kubefed/shop-config.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('CURRENCY: EUR', 'CURRENCY: CHF'));
    const d = await gitfed(repo, 'diff');
    expect(d.code).toBe(1);
    expect(d.stdout).toMatch(/cloud-eu-1\s+0\s+1\s+0/);
    expect(d.stdout).not.toMatch(/cloud-us-1\s+0\s+1/); // its override keeps USD
    await git(repo, 'commit', '-qam', 'Swiss francs');
    const md = await gitfed(repo, 'diff', 'HEAD~1', 'HEAD', '--format', 'markdown');
    expect(md.code).toBe(1);
    expect(md.stdout).toContain('| Cluster | Added | Changed | Removed |');
    expect(md.stdout).toContain('+  CURRENCY: CHF');
  });

  it('commits only changed output, and refuses to go back', async () => {
    expect((await gitfed(repo, 'render', '--commit')).code).toBe(0);
    expect(await git(repo, 'rev-list', '--count', 'rendered')).toBe('2');
    await git(repo, 'commit', '-q', '--allow-empty', '-m', 'Nothing rendered changes');
    const noop = await gitfed(repo, 'render', '--commit');
    expect(noop.stdout).toContain('no (up to date)');
    expect(await git(repo, 'rev-list', '--count', 'rendered')).toBe('2');
    const back = await gitfed(repo, 'render', '--commit', '--ref', 'HEAD~2');
    expect(back.code).toBe(2);
    expect(back.stderr).toContain('refusing to move the branch back');
  });

  it('names a missing ref', async () => {
    const r = await gitfed(repo, 'diff', 'no-such-branch');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no-such-branch');
    // The sides render at once, on two threads; when both fail, the base's error is the one told, whichever ends first.
    const both = await gitfed(repo, 'diff', 'no-such-base', 'no-such-head');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('no-such-base');
    expect(both.stderr).not.toContain('no-such-head');
  });
});

describe('render --commit --push', () => {
  it('publishes, and when someone else moved the branch, renders again on top instead of forcing', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'gitfed-push-'));
    const remote = join(tmp, 'remote.git');
    const a = join(tmp, 'a');
    await git(tmp, 'init', '-q', '--bare', '-b', 'main', remote);
    await cp(example, a, { recursive: true });
    await git(a, 'init', '-q', '-b', 'main');
    await git(a, 'add', '-A');
    await git(a, 'commit', '-qm', 'Initial fleet');
    await git(a, 'remote', 'add', 'origin', remote);
    await git(a, 'push', '-q', 'origin', 'main');
    expect((await gitfed(a, 'render', '--commit', '--push', 'origin')).code).toBe(0);
    expect(await git(remote, 'rev-parse', 'rendered')).toBe(await git(a, 'rev-parse', 'rendered'));

    // Someone else renders their own change and publishes it first.
    const b = join(tmp, 'b');
    await git(tmp, 'clone', '-q', remote, b);
    await git(b, 'fetch', '-q', 'origin', 'rendered:rendered', 'refs/notes/gitfed:refs/notes/gitfed');
    const cfgB = join(b, 'kubefed/shop-config.yaml');
    await writeFile(cfgB, (await readFile(cfgB, 'utf8')).replace('LOG_LEVEL: info', 'LOG_LEVEL: debug'));
    await git(b, 'commit', '-qam', 'Debug logging');
    expect((await gitfed(b, 'render', '--commit', '--push', 'origin')).code).toBe(0);
    const theirs = await git(remote, 'rev-parse', 'rendered');

    // Our change, rendered on our stale head: the push is refused, we fetch and render on top.
    const cfgA = join(a, 'kubefed/shop-config.yaml');
    await writeFile(cfgA, (await readFile(cfgA, 'utf8')).replace('CURRENCY: EUR', 'CURRENCY: CHF'));
    await git(a, 'commit', '-qam', 'Swiss francs');
    const r = await gitfed(a, 'render', '--commit', '--push', 'origin');
    expect(r.code, r.stderr).toBe(0);
    const ours = await git(remote, 'rev-parse', 'rendered');
    expect(await git(remote, 'rev-parse', `${ours}^`)).toBe(theirs); // on top, nothing lost
    expect(await git(remote, 'log', '-1', '--format=%s', 'rendered')).toMatch(/: Swiss francs$/);
  });
});
