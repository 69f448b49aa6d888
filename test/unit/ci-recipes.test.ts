/**
 * The CI recipes of docs/ci.md, run as CI runs them but with no network: pr-check.sh on a fixture
 * PR (base and head commits of the example fleet), and post-comment.sh against a local stand-in
 * for the GitHub and GitLab APIs that records every request.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliEnv, copyExampleFleet } from '../support/cli.js';
import { nativeGit } from '../support/native-git.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const PR_CHECK = join(ROOT, 'scripts/ci/pr-check.sh');
const POST = join(ROOT, 'scripts/ci/post-comment.sh');
const MARKER = '<!-- gitfed-pr-check -->';

function bash(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', [script, ...args], { env: cliEnv(env) }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

let repo = '';
const commits = { base: '', head: '', broken: '' };

/** The fixture PR: main, then a branch that ships a new image and log level, then one that breaks --strict. */
beforeAll(async () => {
  repo = await copyExampleFleet('gitfed-ci-');
  nativeGit(repo, ['init', '-q', '-b', 'main']);
  nativeGit(repo, ['add', '-A']);
  nativeGit(repo, ['commit', '-q', '-m', 'fleet']);
  commits.base = nativeGit(repo, ['rev-parse', 'HEAD']);
  nativeGit(repo, ['checkout', '-q', '-b', 'pr']);
  const web = join(repo, 'kubefed/shop-web.yaml');
  await writeFile(web, (await readFile(web, 'utf8')).replaceAll('web:1.8.2', 'web:1.9.0'));
  nativeGit(repo, ['commit', '-q', '-am', 'web 1.9.0'], { date: '1700000100 +0000' });
  commits.head = nativeGit(repo, ['rev-parse', 'HEAD']);
  const patients = join(repo, 'kubefed/patients.yaml');
  await writeFile(patients, (await readFile(patients, 'utf8')).replace('      - name: onprem-dc1\n', '      - name: onprem-dc1\n      - name: onprem-dc9\n'));
  nativeGit(repo, ['commit', '-q', '-am', 'typo in a placement'], { date: '1700000200 +0000' });
  commits.broken = nativeGit(repo, ['rev-parse', 'HEAD']);
  // main moves on after the branch point: the comment must not show it.
  nativeGit(repo, ['checkout', '-q', 'main']);
  const cfg = join(repo, 'kubefed/shop-config.yaml');
  await writeFile(cfg, (await readFile(cfg, 'utf8')).replace(/LOG_LEVEL: \w+/, 'LOG_LEVEL: warn'));
  nativeGit(repo, ['commit', '-q', '-am', 'main moves on'], { date: '1700000300 +0000' });
  commits.base = nativeGit(repo, ['rev-parse', 'HEAD']);
});

const checkEnv = () => ({ GITFED: `node ${CLI}`, FLEET_REPO: repo, FULL_LINK: 'https://ci.example/runs/7' });

describe('pr-check.sh', () => {
  it('writes one comment of what the PR does since its merge base, and the whole diff beside it', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'gitfed-ci-')), 'check');
    const r = await bash(PR_CHECK, [commits.base, commits.head, out], checkEnv());
    expect(r.code, r.stderr).toBe(0);
    const comment = await readFile(join(out, 'comment.md'), 'utf8');
    expect(comment.startsWith(`${MARKER}\n### gitfed: 4 clusters change\n`)).toBe(true);
    expect(comment).toContain('`containers[web].image`: `registry.example.com/shop/web:1.8.2` → `registry.example.com/shop/web:1.9.0` on 3 clusters');
    expect(comment).not.toContain('LOG_LEVEL');
    const whole = await readFile(join(out, 'gitfed-diff.md'), 'utf8');
    expect(comment).toContain(`The full diff (${Buffer.byteLength(whole).toLocaleString('en-US')} bytes) is in [gitfed-diff.md](https://ci.example/runs/7).`);
    expect(Buffer.byteLength(comment)).toBeLessThanOrEqual(65_536);
  });

  it('fails a head that --strict refuses, and the comment says why', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'gitfed-ci-')), 'check');
    const r = await bash(PR_CHECK, [commits.base, commits.broken, out], checkEnv());
    expect(r.code).toBe(2);
    const comment = await readFile(join(out, 'comment.md'), 'utf8');
    expect(comment).toContain(`${MARKER}\n### gitfed: the check failed\n`);
    expect(comment).toMatch(/error: kubefed\/patients\.yaml:\d+: FederatedDeployment\/patients\/records \(cluster onprem-dc9\): .* \[StrictWarning\]/);
    expect(existsSync(join(out, 'gitfed-diff.md'))).toBe(false);
  });

  it('passes a PR that changes nothing any cluster gets', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'gitfed-ci-')), 'check');
    const r = await bash(PR_CHECK, [commits.head, commits.head, out], checkEnv());
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(join(out, 'comment.md'), 'utf8')).toContain('### gitfed: no changes to any cluster');
  });
});

interface Recorded {
  method: string;
  url: string;
  auth: string | undefined;
  body?: { body: string };
}

/** A stand-in for the comments API of GitHub (issues/N/comments) or GitLab (merge_requests/N/notes). */
async function fakeApi(): Promise<{ server: Server; url: string; requests: Recorded[]; comments: { id: number; body: string }[] }> {
  const requests: Recorded[] = [];
  const comments = [{ id: 1, body: 'LGTM' }];
  const read = (req: IncomingMessage) => new Promise<string>((res) => {
    let s = '';
    req.on('data', (d) => (s += d)).on('end', () => res(s));
  });
  const server = createServer(async (req, res) => {
    const text = await read(req);
    const rec: Recorded = { method: req.method!, url: req.url!, auth: req.headers.authorization ?? (req.headers['private-token'] as string | undefined), ...(text ? { body: JSON.parse(text) } : {}) };
    requests.push(rec);
    const id = /\/(?:comments|notes)\/(\d+)$/.exec(req.url!.split('?')[0]!)?.[1];
    if (req.method === 'GET') return res.end(JSON.stringify(comments));
    if (req.method === 'POST') comments.push({ id: comments.length + 1, body: rec.body!.body });
    else if (id) comments.find((c) => c.id === Number(id))!.body = rec.body!.body;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, comments };
}

describe('post-comment.sh', () => {
  let api: Awaited<ReturnType<typeof fakeApi>>;
  let file = '';
  beforeAll(async () => {
    api = await fakeApi();
    file = join(await mkdtemp(join(tmpdir(), 'gitfed-ci-')), 'comment.md');
  });
  afterAll(() => api.server.close());

  it('posts one comment on GitHub, then updates that comment', async () => {
    const env = { GITHUB_TOKEN: 't0ken', GITHUB_API_URL: api.url, GITHUB_REPOSITORY: 'acme/fleet', PR_NUMBER: '7' };
    await writeFile(file, `${MARKER}\n### gitfed: 4 clusters change\n`);
    const first = await bash(POST, [file], env);
    expect(first.code, first.stderr).toBe(0);
    await writeFile(file, `${MARKER}\n### gitfed: 3 clusters change\n`);
    const second = await bash(POST, [file], env);
    expect(second.code, second.stderr).toBe(0);
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /repos/acme/fleet/issues/7/comments?per_page=100',
      'POST /repos/acme/fleet/issues/7/comments',
      'GET /repos/acme/fleet/issues/7/comments?per_page=100',
      'PATCH /repos/acme/fleet/issues/comments/2',
    ]);
    expect(api.requests.every((r) => r.auth === 'Bearer t0ken')).toBe(true);
    expect(api.comments).toEqual([{ id: 1, body: 'LGTM' }, { id: 2, body: `${MARKER}\n### gitfed: 3 clusters change\n` }]);
  });

  it('posts one note on GitLab, then updates that note', async () => {
    api.requests.length = 0;
    api.comments.splice(1);
    const env = { GITLAB_TOKEN: 'gl-t0ken', CI_API_V4_URL: `${api.url}/api/v4`, CI_PROJECT_ID: '42', CI_MERGE_REQUEST_IID: '3' };
    await writeFile(file, `${MARKER}\nfirst\n`);
    expect((await bash(POST, [file], env)).code).toBe(0);
    await writeFile(file, `${MARKER}\nsecond\n`);
    expect((await bash(POST, [file], env)).code).toBe(0);
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/v4/projects/42/merge_requests/3/notes?per_page=100&sort=asc',
      'POST /api/v4/projects/42/merge_requests/3/notes',
      'GET /api/v4/projects/42/merge_requests/3/notes?per_page=100&sort=asc',
      'PUT /api/v4/projects/42/merge_requests/3/notes/2',
    ]);
    expect(api.requests.every((r) => r.auth === 'gl-t0ken')).toBe(true);
    expect(api.comments[1]!.body).toBe(`${MARKER}\nsecond\n`);
  });

  it('refuses to run without a token', async () => {
    const r = await bash(POST, [file], { GITHUB_TOKEN: '', GITLAB_TOKEN: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('set GITHUB_TOKEN (GitHub) or GITLAB_TOKEN (GitLab)');
  });
});

describe('the recipes in docs/ci', () => {
  it('run the two scripts as docs/ci.md says', async () => {
    const gh = jsyaml.load(await readFile(join(ROOT, 'docs/ci/github-actions.yml'), 'utf8')) as { jobs: { check: { steps: { run?: string; env?: Record<string, string> }[] } }; permissions: Record<string, string> };
    const runs = gh.jobs.check.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('bash "$GITFED_CI/pr-check.sh" "${{ github.event.pull_request.base.sha }}" "${{ github.event.pull_request.head.sha }}" gitfed-check');
    expect(runs).toContain('bash "$GITFED_CI/post-comment.sh" gitfed-check/comment.md');
    expect(gh.permissions['pull-requests']).toBe('write');
    const gl = jsyaml.load(await readFile(join(ROOT, 'docs/ci/gitlab-ci.yml'), 'utf8')) as { gitfed: { script: string[]; artifacts: { paths: string[] } } };
    expect(gl.gitfed.script.join('\n')).toContain('bash "$GITFED_CI/pr-check.sh" "$CI_MERGE_REQUEST_DIFF_BASE_SHA" "$CI_COMMIT_SHA" gitfed-check');
    expect(gl.gitfed.script.join('\n')).toContain('bash "$GITFED_CI/post-comment.sh" gitfed-check/comment.md');
    expect(gl.gitfed.artifacts.paths).toEqual(['gitfed-check/gitfed-diff.md']);
  });
});
