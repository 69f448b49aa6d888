/**
 * Every file lands under its cluster's directory, for library users too: renderFleet refuses the
 * safety corpus's write-outside and collision cases as the CLI does, long names are shortened
 * rather than failing, and the two writers (git tree, preview) refuse a path that escapes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitError, GitfedError, RenderErrors } from '../../src/errors.js';
import { TreeBuilder } from '../../src/git/build-tree.js';
import { checkOutputBranches } from '../../src/git/branch-names.js';
import { commitOutputs } from '../../src/git/commit-outputs.js';
import { openRepo } from '../../src/git/repo.js';
import { renderFleet } from '../../src/render/render.js';
import { runGitfed } from '../support/cli.js';
import { BASELINE, loadCorpus, type SafetyCase } from '../support/safety-corpus.js';
import { branch, cluster, commitFiles, errorOf, git, initRepo, REPO, tmpDir, VERSION } from './git/fixtures.js';

function baselineFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else files.set(relative(BASELINE, abs), readFileSync(abs, 'utf8'));
    }
  };
  walk(BASELINE);
  return files;
}

function withCase(c: SafetyCase): Map<string, string> {
  const files = baselineFiles();
  for (const [path, spec] of Object.entries(c.files)) {
    if (spec === null) files.delete(path);
    else if (typeof spec === 'string') files.set(path, spec);
    else throw new Error(`${c.name}: only text files are laid over in memory`);
  }
  return files;
}

/** What renderFleet threw: all it found, or the one error of gitfed.yaml that stops it first. */
function renderErrors(files: Map<string, string>): readonly GitfedError[] {
  try {
    renderFleet(files);
  } catch (e) {
    if (e instanceof RenderErrors) return e.errors;
    if (e instanceof GitfedError) return [e];
    throw e;
  }
  throw new Error('renderFleet did not refuse');
}

// Cases run only as a commit (an existing branch in the way) are the git layer's, below.
const libraryCases = loadCorpus().filter((c) => /^(write-outside|collision)\//.test(c.name) && c.runs.includes('out'));

describe('renderFleet refuses what the CLI refuses', () => {
  it('has the corpus', () => expect(libraryCases.length).toBeGreaterThanOrEqual(30));
  it.each(libraryCases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const errors = renderErrors(withCase(c));
    const x = c.expect;
    const found = errors.find((err) => err.code === x.code);
    expect(found, errors.map((err) => err.format()).join('\n')).toBeDefined();
    const text = found!.format();
    if (x.file !== undefined) expect(found!.file).toBe(x.file);
    if (x.line !== undefined) expect(found!.line).toBe(x.line);
    if (x.object !== undefined) expect(text).toContain(x.object);
    if (x.cluster !== undefined) expect(found!.cluster).toBe(x.cluster);
    for (const m of [x.message ?? []].flat()) expect(text).toContain(m);
  });
});

const CPP = `---
apiVersion: policy.karmada.io/v1alpha1
kind: ClusterPropagationPolicy
metadata:
  name: long-names
spec:
  resourceSelectors: [{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole}, {apiVersion: v1, kind: ConfigMap, namespace: app}]
  placement: {clusterAffinity: {clusterNames: [alpha]}}
`;
const LONG_ROLE = 'team:' + 'r'.repeat(245);
const LONG_CM = 'c'.repeat(253);
const longNames = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: "${LONG_ROLE}"
rules: []
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${LONG_CM}
  namespace: app
data: {a: b}
${CPP}`;

describe('names past 255 bytes', () => {
  it('render, each to a file named by its start and a hash', () => {
    const files = baselineFiles();
    files.set('karmada/long.yaml', longNames);
    const r = renderFleet(files);
    const alpha = r.branches[0]!.clusters.find((c) => c.cluster === 'alpha')!;
    const long = [...alpha.files.keys()].filter((p) => p.includes('rrrr') || p.includes('cccc')).map((p) => p.split('/').pop()!);
    expect(long).toHaveLength(2);
    for (const name of long) {
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
      expect(name).toMatch(/-[0-9a-f]{16}\.yaml$/);
    }
    expect(long.find((n) => n.startsWith('clusterrole.rbac.authorization.k8s.io-team%3Arrr'))).toBeDefined();
    expect(long.find((n) => n.startsWith('configmap-ccc'))).toBeDefined();
    // The same source gives the same names.
    expect([...renderFleet(files).branches[0]!.clusters.find((c) => c.cluster === 'alpha')!.files.keys()]).toEqual([...alpha.files.keys()]);
  });

  it('reach the disk and the branch through the CLI, exit 0', async () => {
    const dir = initRepo();
    commitFiles(dir, 'fleet with long names', { ...Object.fromEntries(baselineFiles()), 'karmada/long.yaml': longNames });
    const out = join(tmpDir(), 'out');
    const preview = await runGitfed(['render', '--repo', dir, '--out', out]);
    expect(preview.code, preview.stderr).toBe(0);
    const onDisk = readdirSync(join(out, 'clusters/alpha/_cluster')).filter((n) => n.includes('rrrr'));
    expect(onDisk).toHaveLength(1);
    expect(readFileSync(join(out, 'clusters/alpha/_cluster', onDisk[0]!), 'utf8')).toContain(LONG_ROLE);
    const committed = await runGitfed(['render', '--repo', dir, '--commit']);
    expect(committed.code, committed.stderr).toBe(0);
    expect(git(dir, ['ls-tree', '--name-only', 'rendered:clusters/alpha/_cluster']).split('\n')).toContain(onDisk[0]);
  });
});

describe('the git tree builder refuses a path that escapes, whoever calls it', () => {
  it.each(['../x', 'clusters/a/../../x', '/abs', 'a/.git/config', 'a/.GIT/config', 'a/.git./x', 'a\\..\\x', 'a//b', 'a/b\0'])('%j', (path) => {
    expect(() => new TreeBuilder().addFile(path, '1'.repeat(40))).toThrow(GitError);
  });

  it('commitOutputs with such a path writes no ref', async () => {
    const dir = initRepo();
    const commit = commitFiles(dir, 'one', { 'a.yaml': 'a: 1\n' });
    const source = { repo: REPO, commit, subject: 'one' };
    const evil = cluster('east', {});
    const outputs = [branch('rendered', [{ ...evil, dir: 'clusters/east', files: new Map([['clusters/east/../../../x.yaml', 'a: 1\n']]) }])];
    expect((await errorOf(commitOutputs({ dir, outputs, source, version: VERSION }))).code).toBe('InvalidOutput');
    expect(git(dir, ['for-each-ref', '--format=%(refname)'])).toBe('refs/heads/main');
  });
});

describe('output branches against the repository', () => {
  const setup = (branches: string[], packed = false) => {
    const dir = initRepo();
    const head = commitFiles(dir, 'one', { 'a.yaml': 'a: 1\n' });
    for (const b of branches) git(dir, ['update-ref', `refs/heads/${b}`, head]);
    if (packed) git(dir, ['pack-refs', '--all']);
    return { dir, repo: openRepo(dir), head };
  };
  const codeOf = (f: () => void): string | undefined => {
    try {
      f();
    } catch (e) {
      return (e as GitError).code;
    }
    return undefined;
  };

  it('refuses outputs that nest or differ only in case, and a name given twice', () => {
    const { repo } = setup([]);
    expect(codeOf(() => checkOutputBranches(repo, ['rendered', 'rendered/eu']))).toBe('BranchConflict');
    expect(codeOf(() => checkOutputBranches(repo, ['fleet', 'Fleet']))).toBe('BranchConflict');
    expect(codeOf(() => checkOutputBranches(repo, ['rendered', 'rendered']))).toBe('InvalidOutput');
    expect(codeOf(() => checkOutputBranches(repo, ['a..b']))).toBe('InvalidBranch');
    expect(codeOf(() => checkOutputBranches(repo, ['rendered', 'rendered-eu', 'fleet/a', 'fleet/b']))).toBeUndefined();
  });

  it.each([false, true])('refuses a branch under or over one the repository has (packed: %s)', (packed) => {
    const { repo } = setup(['rendered', 'fleet/eu/one'], packed);
    expect(() => checkOutputBranches(repo, ['rendered/eu'])).toThrow(/branch rendered exists/);
    expect(() => checkOutputBranches(repo, ['fleet'])).toThrow(/branch fleet\/eu\/one exists under it/);
    expect(() => checkOutputBranches(repo, ['fleet/eu'])).toThrow(/branch fleet\/eu\/one exists under it/);
    expect(codeOf(() => checkOutputBranches(repo, ['rendered', 'fleet/eu/one', 'fleet/us']))).toBeUndefined();
  });

  it('commitOutputs checks before it writes a ref', async () => {
    const { dir, head } = setup(['fleet/eu/one']);
    const before = git(dir, ['for-each-ref', '--format=%(refname) %(objectname)']);
    const source = { repo: REPO, commit: head, subject: 'one' };
    const err = await errorOf(commitOutputs({ dir, outputs: [branch('fleet', [cluster('east', { 'a.yaml': 'a: 1\n' })])], source, version: VERSION }));
    expect(err.code).toBe('BranchConflict');
    expect(git(dir, ['for-each-ref', '--format=%(refname) %(objectname)'])).toBe(before);
  });
});
