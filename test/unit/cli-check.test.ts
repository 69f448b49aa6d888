/**
 * What a CI check relies on: `--strict` refuses warnings before anything is written, `--cluster`
 * naming no cluster is an error (not "No changes"), `-l` selects clusters by label wherever
 * `--cluster` does, and `diff --live` refuses a revision it would ignore.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSelector } from '../../src/render/selector.js';
import { matchesSelector } from '../../src/render/selector.js';
import { copyExampleFleet, runGitfed } from '../support/cli.js';
import { nativeGit } from '../support/native-git.js';

const gitfed = (...args: string[]) => runGitfed(args);
let repo = '';

/** A fleet repo with the example committed, and `edit` applied to its working tree. */
async function fleetWith(edit?: (repo: string) => Promise<void>): Promise<string> {
  const r = await copyExampleFleet('gitfed-check-');
  nativeGit(r, ['init', '-q', '-b', 'main']);
  nativeGit(r, ['add', '-A']);
  nativeGit(r, ['commit', '-q', '-m', 'fleet']);
  if (edit) await edit(r);
  return r;
}

/** Names a cluster the inventory does not have in a placement: a warning, an error with --strict. */
async function unknownClusterInPlacement(r: string): Promise<void> {
  const f = join(r, 'kubefed/patients.yaml');
  await writeFile(f, (await readFile(f, 'utf8')).replace('      - name: onprem-dc1\n', '      - name: onprem-dc1\n      - name: onprem-dc9\n'));
}

/** A new log level everywhere the shop's config goes. */
async function changeConfig(r: string): Promise<void> {
  const f = join(r, 'kubefed/shop-config.yaml');
  const text = await readFile(f, 'utf8');
  expect(text).toMatch(/LOG_LEVEL: \w+/);
  await writeFile(f, text.replace(/LOG_LEVEL: \w+/, 'LOG_LEVEL: trace'));
}

beforeAll(async () => {
  repo = await fleetWith(changeConfig);
});

describe('--cluster and -l', () => {
  it('refuse a cluster the fleet does not have, with the nearest name', async () => {
    const r = await gitfed('diff', '--repo', repo, '--cluster', 'cloud-eu-2');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--cluster cloud-eu-2: no cluster of that name in the fleet; did you mean cloud-eu-1? [UnknownCluster]');
    expect(r.stderr).toContain('hint: the fleet\'s clusters: burst-1, cloud-eu-1, cloud-us-1, onprem-dc1');
    expect((await gitfed('render', '--repo', repo, '--cluster', 'nowhere')).code).toBe(2);
  });

  it('select clusters by label in diff and render', async () => {
    const all = await gitfed('diff', '--repo', repo);
    expect(all.code).toBe(1);
    expect(all.stdout).toContain('== onprem-dc1');
    const cloud = await gitfed('diff', '--repo', repo, '-l', 'location=cloud');
    expect(cloud.code).toBe(1);
    expect(cloud.stdout).toContain('== cloud-eu-1');
    expect(cloud.stdout).not.toContain('onprem-dc1');
    const both = await gitfed('diff', '--repo', repo, '-l', 'location=cloud', '--cluster', 'cloud-us-1', 'onprem-dc1');
    expect(both.stdout).toContain('== cloud-us-1');
    expect(both.stdout).not.toContain('== cloud-eu-1');
    expect(both.stdout).not.toContain('== onprem-dc1');
    // The base's worker sends back only the named clusters' files: the cluster's section is the one the whole diff has.
    const section = (out: string) => out.slice(out.indexOf('== cloud-us-1')).split(/\n(?=== )/)[0];
    expect(section(both.stdout)).toBe(section(all.stdout));
    expect(section(both.stdout)).toContain('LOG_LEVEL');
    const render = await gitfed('render', '--repo', repo, '--selector', 'location!=cloud');
    expect(render.code).toBe(0);
    expect(render.stdout).toMatch(/^onprem-dc1 /m);
    expect(render.stdout).not.toMatch(/^cloud-eu-1 /m);
  });

  it('refuse a selector no cluster matches, and one that does not parse', async () => {
    const none = await gitfed('diff', '--repo', repo, '-l', 'location=moon');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no cluster has these labels [UnknownCluster]');
    const bad = await gitfed('render', '--repo', repo, '-l', 'location in (cloud');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('[InvalidFlag]');
  });

  it('select members by the labels the branch metadata records, in apply and diff --live', async () => {
    const r = await fleetWith();
    expect((await gitfed('render', '--repo', r, '--commit')).code).toBe(0);
    // No member answers (an empty kubeconfig): the report still says which members were chosen.
    const kubeconfig = join(await mkdtemp(join(tmpdir(), 'gitfed-check-')), 'kubeconfig');
    await writeFile(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
    const state = join(tmpdir(), `gitfed-check-state-${process.pid}.json`);
    const apply = await gitfed('apply', '--repo', r, '-l', 'location=cloud,!burst', '--kubeconfig', kubeconfig, '--state', state, '--format', 'json');
    const members = (JSON.parse(apply.stdout) as { members: { cluster: string; message: string }[] }).members;
    expect(members.map((m) => m.cluster)).toEqual(['cloud-eu-1', 'cloud-us-1']);
    expect(members[0]!.message).toContain('kubeconfig has no context "cloud-eu-1"');
    for (const args of [['apply', '--state', state], ['daemon', '--state', state], ['diff', '--live']]) {
      const none = await gitfed(...args, '--repo', r, '-l', 'location=moon', '--kubeconfig', kubeconfig);
      expect(none.code, args.join(' ')).toBe(2);
      expect(none.stderr).toContain('--selector location=moon: no cluster in the branch metadata has these labels [UnknownCluster]');
    }
    const bad = await gitfed('apply', '--repo', r, '-l', 'location in (cloud', '--kubeconfig', kubeconfig);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('[InvalidFlag]');
  });

  it('are refused with render --commit, which renders every cluster into the branch', async () => {
    const r = await gitfed('render', '--repo', repo, '--commit', '--cluster', 'burst-1');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[InvalidFlag]');
    expect(nativeGit(repo, ['branch', '--list', 'rendered'])).toBe('');
  });
});

describe('--strict', () => {
  it('makes diff exit 2 on a warning of the head, which without it only warns', async () => {
    const r = await fleetWith(unknownClusterInPlacement);
    const plain = await gitfed('diff', '--repo', r);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toContain('names onprem-dc9, which is not in the inventory; it is ignored [UnknownCluster]');
    const strict = await gitfed('diff', '--repo', r, '--strict');
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/^error: kubefed\/patients\.yaml:\d+: FederatedDeployment\/patients\/records \(cluster onprem-dc9\): .*\(warning UnknownCluster, an error with --strict\) \[StrictWarning\]$/m);
    expect(strict.stdout).toBe('');
  });

  it('makes render write nothing: no preview, no branch', async () => {
    const r = await fleetWith(unknownClusterInPlacement);
    const out = join(await mkdtemp(join(tmpdir(), 'gitfed-check-')), 'preview');
    expect((await gitfed('render', '--repo', r, '--strict', '--out', out)).code).toBe(2);
    expect(existsSync(out)).toBe(false);
    nativeGit(r, ['commit', '-q', '-am', 'typo']);
    const commit = await gitfed('render', '--repo', r, '--strict', '--commit');
    expect(commit.code).toBe(2);
    expect(commit.stderr).toContain('[StrictWarning]');
    expect(nativeGit(r, ['branch', '--list', 'rendered'])).toBe('');
    expect((await gitfed('render', '--repo', r, '--commit')).code).toBe(0);
  });

  it('passes a fleet without warnings', async () => {
    expect((await gitfed('diff', '--repo', repo, '--strict')).code).toBe(1);
  });
});

describe('diff --live', () => {
  it('refuses a revision instead of ignoring it', async () => {
    const r = await gitfed('diff', '--repo', repo, '--live', 'HEAD~1');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--live compares the output branch with the members; it takes no revision (got HEAD~1) [InvalidFlag]');
  });
});

describe('diff --format markdown', () => {
  it('fits --max-bytes, writes the whole diff to --full-out and names it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gitfed-check-'));
    const full = join(dir, 'gitfed-diff.md');
    const r = await gitfed('diff', '--repo', repo, '--format', 'markdown', '--max-bytes', '1500', '--full-out', full, '--full-link', 'https://ci.example/run/1');
    expect(r.code).toBe(1);
    expect(Buffer.byteLength(r.stdout)).toBeLessThanOrEqual(1500);
    const whole = await readFile(full, 'utf8');
    expect(whole).toContain('`data.LOG_LEVEL`');
    expect(r.stdout).toContain(`The full diff (${Buffer.byteLength(whole).toLocaleString('en-US')} bytes) is in [gitfed-diff.md](https://ci.example/run/1).`);
  });

  it('refuses the markdown flags with another format, and a budget that is no number', async () => {
    expect((await gitfed('diff', '--repo', repo, '--max-bytes', '100')).stderr).toContain('--max-bytes shape a markdown comment; add --format markdown [InvalidFlag]');
    expect((await gitfed('diff', '--repo', repo, '--format', 'markdown', '--max-bytes', '64k')).stderr).toContain('[InvalidFlag]');
  });
});

describe('diff as text', () => {
  it('is coloured on a terminal and plain otherwise', async () => {
    const coloured = await runGitfed(['diff', '--repo', repo], { env: { FORCE_COLOR: '1' } });
    expect(coloured.stdout).toContain('\x1b[32m+  LOG_LEVEL: trace\x1b[39m');
    const plain = await gitfed('diff', '--repo', repo);
    expect(plain.stdout).not.toContain('\x1b[');
    expect(plain.stdout).toContain('+  LOG_LEVEL: trace');
  });
});

describe('parseSelector', () => {
  it('reads what kubectl -l reads', () => {
    expect(parseSelector('a=1,b==2,c!=3,d in (x, y),e notin (z),f,!g')).toEqual({
      matchLabels: { a: '1', b: '2' },
      matchExpressions: [
        { key: 'c', operator: 'NotIn', values: ['3'] },
        { key: 'd', operator: 'In', values: ['x', 'y'] },
        { key: 'e', operator: 'NotIn', values: ['z'] },
        { key: 'f', operator: 'Exists' },
        { key: 'g', operator: 'DoesNotExist' },
      ],
    });
    const sel = parseSelector('tier in (web,api),!canary');
    expect(matchesSelector(sel, { tier: 'web' })).toBe(true);
    expect(matchesSelector(sel, { tier: 'web', canary: 'yes' })).toBe(false);
    expect(matchesSelector(sel, { tier: 'db' })).toBe(false);
  });

  it('refuses what kubectl refuses', () => {
    for (const bad of ['', 'a=1,', 'a in ()', 'a in (b', 'a b', '=x']) expect(() => parseSelector(bad), bad).toThrow();
  });
});
