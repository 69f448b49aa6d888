/**
 * The CLI's errors as its users' other tools print them: usage errors in one line with a
 * suggestion, every error with its code and hint, and JSON on stderr with --format json.
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExampleFleet, EXAMPLE_FLEET, runGitfed } from '../support/cli.js';

const gitfed = (...args: string[]) => runGitfed(args);
/** stderr as JSON lines, for --format json. */
const jsonLines = (stderr: string) => stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, Record<string, unknown>>);

describe('usage errors', () => {
  it('an unknown command: one line with the nearest verb and where help is, exit 2', async () => {
    const r = await gitfed('rendr');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: unknown command "rendr". Did you mean "render"?\n  hint: run "gitfed --help" for the commands\n');
  });

  it('an unknown flag: the nearest flag of that verb, and that verb\'s help', async () => {
    const r = await gitfed('render', '--fromat', 'json');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: unknown option "--fromat". Did you mean "--format"?\n  hint: run "gitfed render --help" for usage\n');
  });

  it('never dumps the help, whatever the mistake', async () => {
    for (const args of [['xyzzy'], ['dev', 'bogus'], ['unjoin'], ['orphaning-deletion', 'frob', 'x'], ['enable', '--scope', 'Galaxy']]) {
      const r = await gitfed(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).not.toContain('Usage:');
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(2);
    }
    expect((await gitfed('unjoin')).stderr).toMatch(/^error: missing required argument "name"\n {2}hint: run "gitfed unjoin --help"/);
  });

  it('as JSON with --format json', async () => {
    const r = await gitfed('xyzzy', '--format', 'json');
    expect(r.code).toBe(2);
    expect(jsonLines(r.stderr)).toEqual([{ error: { code: 'UnknownCommand', message: 'unknown command "xyzzy"', hint: 'run "gitfed --help" for the commands' } }]);
    const flag = jsonLines((await gitfed('enable', '--scope', 'Galaxy', '--format=json')).stderr);
    expect(flag).toEqual([{ error: { code: 'InvalidFlag', message: expect.stringContaining('"Galaxy" is invalid'), hint: 'run "gitfed enable --help" for usage' } }]);
  });

  it('help and --version are not errors', async () => {
    expect((await gitfed('--help')).code).toBe(0);
    expect((await gitfed('render', '--help')).code).toBe(0);
    const v = await gitfed('--version');
    expect(v).toMatchObject({ code: 0, stdout: `${JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')).version}\n` });
  });
});

describe('errors', () => {
  it('carry their code, and their hint on a line of its own', async () => {
    const r = await gitfed('status', '--state', '/nonexistent/gitfed-status.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: /nonexistent/gitfed-status.json: no report at /nonexistent/gitfed-status.json [NoReport]\n  hint: run gitfed apply or gitfed daemon first (or point --state at their report, --kubeconfig at the management cluster of a controller)\n');
  });

  it('with --format json: one JSON object on stderr, nothing on stdout', async () => {
    const r = await gitfed('status', '--state', '/nonexistent/s.json', '--format', 'json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(jsonLines(r.stderr)).toEqual([{ error: { code: 'NoReport', message: 'no report at /nonexistent/s.json', file: '/nonexistent/s.json', hint: expect.stringContaining('gitfed apply') } }]);
    const e = await gitfed('explain', '--repo', EXAMPLE_FLEET, '--format', 'json', 'deployment/shop/nope');
    expect(jsonLines(e.stderr)).toEqual([{ error: { code: 'NotFound', message: 'no federated object or template matches deployment/shop/nope' } }]);
  });

  it('a render with several errors: each with code, file and line, in text and in JSON', async () => {
    const repo = await copyExampleFleet('gitfed-usage-');
    await writeFile(join(repo, 'kubefed/copy.yaml'), await readFile(join(repo, 'kubefed/shop-config.yaml'), 'utf8'));
    const text = await runGitfed(['render', '--repo', repo]);
    expect(text.code).toBe(2);
    const lines = text.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l).toMatch(/^error: kubefed\/(copy|shop-config)\.yaml:\d+: .* \[DuplicateObject\]$/);

    const json = await runGitfed(['render', '--repo', repo, '--format', 'json']);
    expect(json.code).toBe(2);
    expect(json.stdout).toBe('');
    const [only, ...rest] = jsonLines(json.stderr);
    expect(rest).toEqual([]);
    const errors = only!.error!.errors as Record<string, unknown>[];
    expect(only!.error).toMatchObject({ code: 'RenderFailed' });
    expect(errors).toHaveLength(lines.length);
    for (const e of errors) expect(e).toMatchObject({ code: 'DuplicateObject', file: expect.stringMatching(/^kubefed\//), line: expect.any(Number), object: expect.any(String) });
  });

  it('warnings are JSON lines too with --format json, and stdout stays the document', async () => {
    const repo = await copyExampleFleet('gitfed-usage-');
    await appendFile(join(repo, 'kubefed/shop-config.yaml'), '---\napiVersion: types.kubefed.io/v1beta1\nkind: FederatedConfigMap\nmetadata: {name: stray, namespace: shop}\nspec:\n  template: {data: {a: b}}\n  placement:\n    clusters: [{name: nowhere-1}]\n');
    const r = await runGitfed(['render', '--repo', repo, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty('clusters');
    expect(jsonLines(r.stderr)).toContainEqual({ warning: expect.objectContaining({ code: 'UnknownCluster', file: 'kubefed/shop-config.yaml', line: expect.any(Number), cluster: 'nowhere-1' }) });
  });
});

describe('gitfed version', () => {
  it('names gitfed, Node.js and the Kubernetes gitfed dev builds; -o json for scripts', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const goMod = await readFile(new URL('../controlplane/apiserver/go.mod', import.meta.url), 'utf8');
    const kube = /k8s\.io\/kubernetes (v\S+)/.exec(goMod)![1];
    const text = await gitfed('version');
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe(`gitfed ${pkg.version}`);
    expect(text.stdout).toContain(`node ${process.version}`);
    expect(text.stdout).toContain(`kubernetes ${kube}`);
    const json = await gitfed('version', '-o', 'json');
    expect(JSON.parse(json.stdout)).toMatchObject({ gitfed: pkg.version, node: process.version, controlplane: { kubernetes: kube } });
  });

  it('refuses a format it does not have', async () => {
    const r = await gitfed('version', '--format', 'yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[InvalidFlag]');
  });
});
