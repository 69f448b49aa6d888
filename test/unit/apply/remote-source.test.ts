/** A remote output branch: fetched into a local mirror over smart HTTP, then read like a local one. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBranch } from '../../../src/git/branch-read.js';
import { fetchRemote, isRemote, mirrorDir } from '../../../src/git/mirror.js';
import { httpRemote } from '../git/http-remote.js';
import { tokenFileCredentials } from '../../../src/controller/git-credentials.js';

const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' };
const git = (dir: string, ...a: string[]) => execFileSync('git', ['-C', dir, ...a], { env, encoding: 'utf8' }).trim();

let root: string;
let savedCache: string | undefined;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitfed-remote-'));
  savedCache = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = path.join(root, 'cache');
});
afterEach(() => {
  if (savedCache === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = savedCache;
  fs.rmSync(root, { recursive: true, force: true });
});

function commit(work: string, content: string): string {
  fs.mkdirSync(path.join(work, 'clusters/m1'), { recursive: true });
  fs.writeFileSync(path.join(work, 'gitfed.metadata'), JSON.stringify({ schema: 1, branch: 'rendered', source: { repo: 'r', commit: 'c' }, gitfed: { version: '0.1.0' }, clusters: [{ name: 'm1', dir: 'clusters/m1', objects: 1, digest: 'd' }] }));
  fs.writeFileSync(path.join(work, 'clusters/m1/cm.yaml'), content);
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'x');
  git(work, 'push', '-q', 'origin', 'rendered');
  return git(work, 'rev-parse', 'HEAD');
}

describe('remote output branch', () => {
  it('recognises URLs', () => {
    expect(isRemote('https://git.example.com/fleet.git')).toBe(true);
    expect(isRemote('git@github.com:org/fleet.git')).toBe(true);
    expect(isRemote('./out')).toBe(false);
    expect(mirrorDir('https://a/b.git')).not.toBe(mirrorDir('https://a/c.git'));
  });

  it('fetches new heads into a mirror that reads like a local repository', async () => {
    execFileSync('git', ['init', '-q', '--bare', '-b', 'rendered', path.join(root, 'fleet.git')]);
    const work = path.join(root, 'work');
    execFileSync('git', ['init', '-q', '-b', 'rendered', work]);
    git(work, 'remote', 'add', 'origin', path.join(root, 'fleet.git'));
    const first = commit(work, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
    const url = `${await httpRemote(root)}/fleet.git`;

    const mirror = await fetchRemote(url, 'rendered');
    expect((await readBranch(mirror, 'rendered')).branchCommit).toBe(first);

    const second = commit(work, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n');
    await fetchRemote(url, 'rendered');
    const snap = await readBranch(mirror, 'rendered');
    expect(snap.branchCommit).toBe(second);
    expect(snap.clusters[0]?.files.get('clusters/m1/cm.yaml')).toContain('name: b');
  });

  it('behind a token: fetched with the token from a file, re-read at each fetch; a wrong one fails without showing it', async () => {
    const work = path.join(root, 'fleet');
    execFileSync('git', ['init', '-q', '-b', 'rendered', work]);
    fs.writeFileSync(path.join(work, 'gitfed.metadata'), JSON.stringify({ schema: 1, branch: 'rendered', source: { repo: 'r', commit: 'c' }, gitfed: { version: '0.1.0' }, clusters: [] }));
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'x');
    const head = git(work, 'rev-parse', 'HEAD');
    const seen: string[] = [];
    const url = `${await httpRemote(root, { auth: { user: 'x-access-token', password: 'right-token-123456' }, seen })}/fleet/.git`;
    const tokenFile = path.join(root, 'token');

    fs.writeFileSync(tokenFile, 'wrong-token-654321\n');
    const err = await fetchRemote(url, 'rendered', tokenFileCredentials(tokenFile)).then(() => undefined, (e: unknown) => e as Error & { code?: string });
    expect(err?.code).toBe('FetchFailed');
    expect(err?.message).not.toContain('wrong-token-654321');

    fs.writeFileSync(tokenFile, 'right-token-123456\n');
    const mirror = await fetchRemote(url, 'rendered', tokenFileCredentials(tokenFile));
    expect(mirror).toBe(mirrorDir(url));
    expect((await readBranch(mirror, 'rendered')).branchCommit).toBe(head);
    expect(seen.some((l) => l === `authorization: Basic ${Buffer.from('x-access-token:right-token-123456').toString('base64')}`)).toBe(true);
    expect(fs.readFileSync(path.join(mirror, 'config'), 'utf8')).not.toContain('right-token');
  });
});
