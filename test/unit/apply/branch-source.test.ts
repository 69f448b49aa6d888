import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { metadataOf, readBranch, readDirectory, readSource } from '../../../src/git/branch-read.js';
import { GitError } from '../../../src/errors.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitfed-bs-'));
  dirs.push(dir);
  for (const [p, c] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), c);
  }
  return dir;
}

function commitAll(dir: string, branch: string): string {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' };
  const git = (...a: string[]) => execFileSync('git', ['-C', dir, ...a], { env, encoding: 'utf8' }).trim();
  if (!fs.existsSync(path.join(dir, '.git'))) git('init', '-q', '-b', branch);
  git('add', '-A');
  git('commit', '-q', '-m', 'x');
  return git('rev-parse', 'HEAD');
}

const META = JSON.stringify({ source: { repo: 'https://example.com/fleet.git', commit: 'c'.repeat(40) }, schema: 1, branch: 'rendered', gitfed: { version: '0.1.0' }, clusters: [{ name: 'b', dir: 'out/b', objects: 1, digest: 'd2' }, { name: 'a', dir: 'out/a', objects: 1, digest: 'd1' }] });
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: n\n';

describe('metadata', () => {
  it('reads source, version and clusters (sorted), the dirs as written', () => {
    const m = metadataOf(META);
    expect(m).toMatchObject({ sourceRepo: 'https://example.com/fleet.git', sourceCommit: 'c'.repeat(40), version: '0.1.0' });
    expect(m.clusters.map((c) => [c.name, c.dir, c.objects, c.digest])).toEqual([['a', 'out/a', 1, 'd1'], ['b', 'out/b', 1, 'd2']]);
  });
  it('names the file when it is not JSON', () => {
    expect(() => metadataOf('{', 'x/gitfed.metadata')).toThrow(/x\/gitfed.metadata is not JSON/);
  });
  it('refuses a schema it does not know, and a file with fields missing or mistyped, rather than guess', () => {
    const base = JSON.parse(META) as Record<string, unknown>;
    expect(() => metadataOf(JSON.stringify({ ...base, schema: 3 }))).toThrow(expect.objectContaining({ code: 'MetadataSchema', file: 'gitfed.metadata' }));
    const { schema: _, ...unversioned } = base;
    expect(() => metadataOf(JSON.stringify(unversioned))).toThrow(expect.objectContaining({ code: 'MetadataSchema' }));
    expect(() => metadataOf(JSON.stringify({ ...base, clusters: { a: { objects: 1 } } }))).toThrow(/clusters must be a list/);
    expect(() => metadataOf(JSON.stringify({ ...base, clusters: [{ name: 'a', dir: 'out/a', objectCount: 1, digest: 'd' }] }))).toThrow(/clusters\[0\]\.objects must be a count/);
    expect(() => metadataOf(JSON.stringify({ ...base, source: { url: 'x', commit: 'c' } }))).toThrow(/source.repo must be a string/);
  });
});

describe('reading a branch', () => {
  it('reads the head, the metadata and each cluster directory from git; unchanged trees are skipped', async () => {
    const dir = tree({ 'gitfed.metadata': META, 'out/a/n/cm.yaml': CM, 'out/b/n/cm.yaml': CM, 'out/a/README.md': 'not a manifest' });
    const head = commitAll(dir, 'rendered');
    const snap = await readBranch(dir, 'rendered');
    expect(snap.branchCommit).toBe(head);
    expect(snap.clusters.map((c) => [c.name, [...c.files.keys()]])).toEqual([['a', ['out/a/n/cm.yaml']], ['b', ['out/b/n/cm.yaml']]]);
    const a = snap.clusters[0]!;
    fs.writeFileSync(path.join(dir, 'out/b/n/cm.yaml'), CM + 'data:\n  k: v\n');
    commitAll(dir, 'rendered');
    const again = await readBranch(dir, 'rendered', { knownTrees: new Map([['a', a.treeOid!], ['b', snap.clusters[1]!.treeOid!]]) });
    expect(again.clusters[0]!.files.size).toBe(0);
    expect(again.clusters[1]!.files.get('out/b/n/cm.yaml')).toContain('k: v');
  });

  it('reads the branch from a linked worktree of the repository, as src/git does', async () => {
    const dir = tree({ 'gitfed.metadata': META, 'out/a/n/cm.yaml': CM, 'out/b/n/cm.yaml': CM });
    const head = commitAll(dir, 'rendered');
    const linked = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gitfed-bs-')), 'wt');
    dirs.push(path.dirname(linked));
    execFileSync('git', ['-C', dir, 'worktree', 'add', '-q', '-b', 'work', linked, 'rendered']);
    expect(fs.statSync(path.join(linked, '.git')).isFile()).toBe(true);
    const snap = await readSource(linked, 'rendered');
    expect(snap.branchCommit).toBe(head);
    expect(snap.clusters.map((c) => [c.name, [...c.files.keys()]])).toEqual([['a', ['out/a/n/cm.yaml']], ['b', ['out/b/n/cm.yaml']]]);
  });

  it('fails with the branch name when the branch or the metadata is missing', async () => {
    const dir = tree({ 'x.txt': 'x' });
    commitAll(dir, 'main');
    await expect(readBranch(dir, 'rendered')).rejects.toThrow(/branch rendered not found/);
    await expect(readBranch(dir, 'main')).rejects.toBeInstanceOf(GitError);
  });

  it('reads a plain directory, with or without metadata', async () => {
    const withMeta = await readSource(tree({ 'gitfed.metadata': META, 'out/a/cm.yaml': CM }), 'ignored');
    expect(withMeta.branchCommit).toBeUndefined();
    expect(withMeta.clusters.find((c) => c.name === 'a')?.files.size).toBe(1);
    const bare = await readDirectory(tree({ 'clusters/m1/cm.yaml': CM, 'clusters/m2/cm.json': '{}' }));
    expect(bare.clusters.map((c) => c.name)).toEqual(['m1', 'm2']);
    await expect(readDirectory(tree({ 'x.yaml': CM }))).rejects.toThrow(/neither gitfed.metadata nor clusters/);
  });
});

describe('a cluster directory missing from the branch', () => {
  it('is empty when the metadata says the cluster has no objects', async () => {
    const meta = JSON.stringify({ ...JSON.parse(META), clusters: [{ name: 'a', dir: 'out/a', objects: 0, digest: 'd1' }] });
    const dir = tree({ 'gitfed.metadata': meta, 'other/x.txt': 'x' });
    commitAll(dir, 'rendered');
    const snap = await readBranch(dir, 'rendered');
    expect(snap.clusters.map((c) => [c.name, c.files.size])).toEqual([['a', 0]]);
  });

  it('fails the read when the metadata counts objects there: an empty set would prune the member', async () => {
    const dir = tree({ 'gitfed.metadata': META, 'out/a/n/cm.yaml': CM });
    commitAll(dir, 'rendered');
    await expect(readBranch(dir, 'rendered')).rejects.toMatchObject({ code: 'BranchUnreadable', cluster: 'b' });
  });
});

describe('the history a snapshot answers for', () => {
  it('knows its head and ancestors, not another repository\'s commits, and reads the fleet from the metadata', async () => {
    const dir = tree({ 'gitfed.metadata': JSON.stringify({ ...JSON.parse(META), fleet: 'shop' }), 'out/a/n/cm.yaml': CM, 'out/b/n/cm.yaml': CM });
    const first = commitAll(dir, 'rendered');
    fs.writeFileSync(path.join(dir, 'out/a/n/cm.yaml'), CM + 'data:\n  k: v\n');
    const second = commitAll(dir, 'rendered');
    fs.writeFileSync(path.join(dir, 'out/a/n/cm.yaml'), CM + 'data:\n  k: w\n');
    const head = commitAll(dir, 'rendered');
    const other = tree({ 'gitfed.metadata': META });
    const foreign = commitAll(other, 'rendered');

    const snap = await readBranch(dir, 'rendered');
    expect(snap.metadata.fleet).toBe('shop');
    expect(await Promise.all([head, second, first, foreign, 'f'.repeat(40)].map((c) => snap.inHistory!(c)))).toEqual([true, true, true, false, false]);

    // A shallow clone: the parent named by the cut is still known, anything below it is not provable.
    const shallow = fs.mkdtempSync(path.join(os.tmpdir(), 'gitfed-bs-'));
    dirs.push(shallow);
    execFileSync('git', ['clone', '-q', '--depth', '1', '--branch', 'rendered', `file://${dir}`, shallow]);
    const cut = await readBranch(shallow, 'rendered');
    expect(await Promise.all([head, second, first].map((c) => cut.inHistory!(c)))).toEqual([true, true, false]);
    expect((await readDirectory(dir)).inHistory).toBeUndefined();
  });

  it('refuses a metadata fleet that is no valid name', () => {
    expect(() => metadataOf(JSON.stringify({ ...JSON.parse(META), fleet: 'Not Valid' }), 'gitfed.metadata')).toThrow(/gitfed.metadata: fleet "Not Valid" is not a valid fleet name/);
  });
});

describe('a manifest whose bytes are not UTF-8', () => {
  it('is kept out of the cluster files and fails alone, from git and from a directory, while the rest of the cluster reads', async () => {
    const bad = Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\n  namespace: n\ndata:\n  k: "'), Buffer.from([0xc3, 0x28]), Buffer.from('"\n')]);
    // Not CM: its namespace `n` is the YAML 1.1 boolean false to kubectl and to gitfed.
    const good = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: shop\n';
    const dir = tree({ 'gitfed.metadata': META, 'out/a/x.yaml': good, 'out/b/x.yaml': good });
    fs.writeFileSync(path.join(dir, 'out/a/y.yaml'), bad);
    commitAll(dir, 'rendered');
    const { parseClusterFiles } = await import('../../../src/apply/source/manifests.js');
    for (const snap of [await readBranch(dir, 'rendered'), await readDirectory(dir)]) {
      const a = snap.clusters.find((c) => c.name === 'a')!;
      expect([...a.files.keys()]).toEqual(['out/a/x.yaml']);
      expect([...(a.unreadable ?? new Map()).keys()]).toEqual(['out/a/y.yaml']);
      const parsed = parseClusterFiles(a.files, undefined, a.unreadable);
      expect(parsed.objects.map((o) => o.ref.name)).toEqual(['x']);
      expect(parsed.failures).toEqual([{ file: 'out/a/y.yaml', message: expect.stringContaining('not valid UTF-8') }]);
    }
  });
});
