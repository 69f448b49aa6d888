/**
 * What the README promises about render commits holds on a real one: the trailers it names are
 * there, and the source repo they name carries no credential, nor does anything else committed.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyExampleFleet, runGitfed } from '../support/cli.js';

const run = promisify(execFile);
const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' };
const git = async (cwd: string, ...args: string[]) => (await run('git', args, { cwd, env, maxBuffer: 64 * 1024 * 1024 })).stdout;

const SECRET = 's3cret-token';
const QUERY_SECRET = 'q5ecret';
const ORIGIN = `https://gitfed-bot:${SECRET}@example.com/org/fleet.git?private_token=${QUERY_SECRET}`;

let repo: string;
beforeAll(async () => {
  repo = await copyExampleFleet('gitfed-provenance-');
  await git(repo, 'init', '-q', '-b', 'main');
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-qm', 'Fleet');
  await git(repo, 'remote', 'add', 'origin', ORIGIN);
  const r = await runGitfed(['render', '--commit', '--repo', repo]);
  expect(r.code, r.stderr).toBe(0);
}, 60_000);

describe('a render commit', () => {
  it('carries every trailer the README names', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const claim = /trailers\s+((?:`Gitfed-[A-Za-z-]+`(?:,?\s+and\s+|,\s+)?)+)/.exec(readme);
    expect(claim, 'the README names the trailers of a render commit').not.toBeNull();
    const named = [...claim![1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThanOrEqual(2);

    const message = await git(repo, 'log', '-1', '--format=%B', 'rendered');
    const { stdout } = await run('sh', ['-c', 'git log -1 --format=%B rendered | git interpret-trailers --parse'], { cwd: repo });
    const trailers = new Map(stdout.trim().split('\n').map((l) => l.split(': ') as [string, string]));
    expect([...trailers.keys()]).toEqual(named);
    expect(trailers.get('Gitfed-Source-Commit')).toBe((await git(repo, 'rev-parse', 'main')).trim());
    expect(trailers.get('Gitfed-Source-Repo')).toBe('https://example.com/org/fleet.git');
    expect(message).not.toContain(SECRET);
  });

  it('lets no credential of the origin URL into any object or note', async () => {
    const metadata = JSON.parse(await git(repo, 'show', 'rendered:gitfed.metadata')) as { source: { repo: string } };
    expect(metadata.source.repo).toBe('https://example.com/org/fleet.git');
    expect(await git(repo, 'notes', '--ref', 'gitfed', 'show', 'rendered')).toContain('Gitfed-Source-Repo: https://example.com/org/fleet.git\n');
    const everything = await git(repo, 'cat-file', '--batch-all-objects', '--batch');
    expect(everything).toContain('Gitfed-Source-Repo');
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(QUERY_SECRET);
    expect(everything).not.toContain('gitfed-bot');
  });
});
