/**
 * A fleet repo cloned with a token in its origin URL, rendered and pushed through the real CLI to
 * a real smart-HTTP remote that demands that token: the token is used, and reaches nothing gitfed
 * wrote (metadata, notes, commits, reflogs, any file under .git, the pushed remote, stdout,
 * stderr), also on the retry path (push rejected, fetch, render again) and when the token is wrong.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGitfed, copyExampleFleet, type CliResult } from '../../support/cli.js';
import { changes, snapshot } from '../../support/safety-corpus.js';
import { commitFiles, git, initRepo, tmpDir } from './fixtures.js';
import { httpRemote } from './http-remote.js';

const TOKEN = 'SECRETtok123456';
const WRONG = 'WRONGtok987654';
const SECRETS = [TOKEN, WRONG, Buffer.from(`x-access-token:${TOKEN}`).toString('base64')];

/** Every file under `dir` that holds one of SECRETS, and in a repository every object decompressed; `skip` are paths left out. */
function secretsIn(dir: string, skip: (rel: string) => boolean = () => false, repository = true): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const abs = join(d, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else if (!skip(relative(dir, abs))) {
        const text = readFileSync(abs, 'latin1');
        for (const s of SECRETS) if (text.includes(s)) hits.push(`${s} in ${relative(dir, abs)}`);
      }
    }
  };
  walk(dir);
  if (!repository) return hits;
  const objects = execFileSync('git', ['cat-file', '--batch-all-objects', '--batch'], { cwd: dir, maxBuffer: 1 << 30 }).toString('latin1');
  for (const s of SECRETS) if (objects.includes(s)) hits.push(`${s} in an object of ${dir}`);
  return hits;
}

function printed(...runs: CliResult[]): string {
  return runs.map((r) => `${r.stdout}\n${r.stderr}`).join('\n');
}

describe('a token in the origin URL', () => {
  it('is used to push, and reaches nothing gitfed writes, prints or publishes', async () => {
    const root = tmpDir('gitfed-cred-');
    const remote = initRepo(join(root, 'fleet.git'), true);
    git(remote, ['config', 'http.receivepack', 'true']);
    git(remote, ['symbolic-ref', 'HEAD', 'refs/heads/rendered']);
    const seen: string[] = [];
    const base = await httpRemote(root, { auth: { user: 'x-access-token', password: TOKEN }, seen });
    const shown = `${base}/fleet.git`;
    const repo = await copyExampleFleet('gitfed-cred-');
    initRepo(repo);
    commitFiles(repo, 'fleet', {});
    git(repo, ['remote', 'add', 'origin', shown.replace('http://', `http://x-access-token:${TOKEN}@`)]);

    const first = await runGitfed(['render', '--repo', repo, '--commit', '--push', 'origin']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`pushed to ${shown}: refs/heads/rendered updated, refs/notes/gitfed updated`);
    expect(git(remote, ['rev-parse', 'rendered'])).toBe(git(repo, ['rev-parse', 'rendered']));
    expect(git(remote, ['show', 'rendered:gitfed.metadata'])).toContain(`"repo": "${shown}"`);
    expect(git(remote, ['notes', '--ref', 'gitfed', 'show', 'rendered'])).toContain(`Gitfed-Source-Repo: ${shown}`);
    // The token went where it belongs, in the Authorization header, and never into a request line.
    expect(seen).toContain(`authorization: Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`);
    expect(seen.filter((l) => /^(GET|POST) /.test(l) && l.includes(TOKEN))).toEqual([]);

    // Someone else moves the published branch: the push is rejected, gitfed fetches through the
    // token URL, renders again on top and pushes.
    const mover = join(tmpDir('gitfed-cred-mover-'), 'm');
    execFileSync('git', ['clone', '-q', '-b', 'rendered', remote, mover]);
    commitFiles(mover, 'hand edit', { 'NOTES.txt': 'x\n' });
    git(mover, ['push', '-q', 'origin', 'rendered']);
    const file = join(repo, 'kubefed/patients.yaml');
    commitFiles(repo, 'shop change', { 'kubefed/patients.yaml': readFileSync(file, 'utf8').replace(/replicas: (\d+)/, (_m, n: string) => `replicas: ${Number(n) + 1}`) });
    const retry = await runGitfed(['render', '--repo', repo, '--commit', '--push', 'origin']);
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.stderr).toContain(`fetched refs/heads/rendered from ${shown}: reset-to-remote`);
    expect(git(remote, ['rev-parse', 'rendered^'])).toBe(git(mover, ['rev-parse', 'rendered']));

    // A wrong token is found by the push handshake, before anything is committed.
    git(repo, ['remote', 'set-url', 'origin', shown.replace('http://', `http://x-access-token:${WRONG}@`)]);
    commitFiles(repo, 'one more', { 'kubefed/patients.yaml': readFileSync(file, 'utf8').replace(/replicas: (\d+)/, (_m, n: string) => `replicas: ${Number(n) + 1}`) });
    const before = snapshot(repo);
    const wrong = await runGitfed(['render', '--repo', repo, '--commit', '--push', 'origin']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`error: push handshake with ${shown} failed: HTTP Error: 401`);
    expect(wrong.stderr).toContain('[RemoteUnreachable]');
    expect(changes(before, snapshot(repo))).toEqual([]);

    const preview = join(tmpDir('gitfed-cred-out-'), 'out');
    const out = await runGitfed(['render', '--repo', repo, '--out', preview]);
    expect(out.code, out.stderr).toBe(0);

    const all = printed(first, retry, wrong, out);
    for (const s of SECRETS) expect(all).not.toContain(s);
    // The fleet repo's own config holds the URL the user gave it, and nothing else of it.
    const config = readFileSync(join(repo, '.git/config'), 'utf8');
    expect(config.split('\n').filter((l) => SECRETS.some((s) => l.includes(s)))).toEqual([`\turl = ${shown.replace('http://', `http://x-access-token:${WRONG}@`)}`]);
    expect(secretsIn(repo, (rel) => rel === '.git/config')).toEqual([]);
    expect(secretsIn(remote)).toEqual([]);
    expect(secretsIn(preview, undefined, false)).toEqual([]);
    git(repo, ['fsck', '--strict']);
    git(remote, ['fsck', '--strict']);
  }, 120_000);
});
