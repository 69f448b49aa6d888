import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitError } from '../../../src/errors.js';
import { commitOutputs, type CommitSource } from '../../../src/git/commit-outputs.js';
import { branchFiles, GITATTRIBUTES, METADATA_FILE } from '../../../src/git/metadata.js';
import { readSourceAt } from '../../../src/git/source.js';
import type { BranchOutput } from '../../../src/render/types.js';
import { branch, cluster, commitFiles, configMap, errorOf, fakeRender, fleet, git, initRepo, renderAndCommit, REPO, tmpDir, VERSION } from './fixtures.js';

/** The source of `dir`'s main, as render hands it to commitOutputs. */
async function sourceOf(dir: string): Promise<CommitSource> {
  const s = await readSourceAt({ dir, ref: 'main' });
  return { repo: REPO, commit: s.commit, subject: s.subject };
}

describe('commitOutputs: what lands on the branch', () => {
  it('commits metadata, .gitattributes and one directory per cluster; native git reads it all', async () => {
    const dir = fleet();
    const src = git(dir, ['rev-parse', 'main']);
    const r = await renderAndCommit(dir);
    expect(r.branches[0]).toMatchObject({ branch: 'rendered', committed: true, previous: null, added: ['east', 'west'] });
    expect(git(dir, ['ls-tree', '-r', '--name-only', 'rendered']).split('\n')).toEqual([
      '.gitattributes', 'clusters/east/default/web.yaml', 'clusters/west/default/web.yaml', 'gitfed.metadata',
    ]);
    expect(git(dir, ['show', 'rendered:.gitattributes']) + '\n').toBe(GITATTRIBUTES);
    // git 2.39 has no check-attr --source: load the branch into a scratch index instead.
    const index = { GIT_INDEX_FILE: join(tmpDir(), 'index') };
    git(dir, ['read-tree', 'rendered'], undefined, index);
    expect(git(dir, ['check-attr', '--cached', 'linguist-generated', '--', 'clusters/east/default/web.yaml'], undefined, index)).toMatch(/: true$/);
    const meta = JSON.parse(git(dir, ['show', `rendered:${METADATA_FILE}`]));
    expect(meta).toMatchObject({ source: { repo: REPO, commit: src }, gitfed: { version: VERSION }, branch: 'rendered' });
    expect(meta.clusters.map((c: { name: string; dir: string; objects: number }) => [c.name, c.dir, c.objects])).toEqual([['east', 'clusters/east', 1], ['west', 'clusters/west', 1]]);

    expect(git(dir, ['log', '-1', '--format=%s', 'rendered'])).toBe(`${src.slice(0, 7)}: two clusters, one app`);
    expect(git(dir, ['log', '-1', '--format=%an <%ae> %at', 'rendered'])).toBe(`gitfed <gitfed@users.noreply.invalid> ${git(dir, ['log', '-1', '--format=%ct', src])}`);
    const message = git(dir, ['log', '-1', '--format=%B', 'rendered']);
    expect(git(dir, ['interpret-trailers', '--parse'], message)).toBe(`Gitfed-Source-Commit: ${src}\nGitfed-Source-Repo: ${REPO}`);
    expect(git(dir, ['notes', '--ref', 'gitfed', 'show', 'rendered'])).toBe(`Gitfed-Source-Commit: ${src}\nGitfed-Source-Repo: ${REPO}`);
    git(dir, ['fsck', '--strict', '--no-dangling']);
  });

  it('gives exactly the layout branchFiles() previews, metadata included', async () => {
    const dir = fleet();
    const s = await readSourceAt({ dir });
    const out = fakeRender(s.files);
    const source = { repo: REPO, commit: s.commit, subject: s.subject };
    await commitOutputs({ dir, outputs: [out], source, version: VERSION });
    const preview = branchFiles(out, source, VERSION);
    const listed = git(dir, ['ls-tree', '-r', '--name-only', 'rendered']).split('\n');
    expect(listed.sort()).toEqual([...preview.keys()].sort());
    for (const [path, content] of preview) expect(git(dir, ['cat-file', 'blob', `rendered:${path}`]) + '\n', path).toBe(content);
  });

  it('restores rendered files someone edited by hand on the branch', async () => {
    const dir = fleet();
    await renderAndCommit(dir);
    // A hand edit committed straight onto the branch: the metadata's digests now lie.
    const blob = git(dir, ['hash-object', '-w', '--stdin'], 'hand edit\n');
    const index = { GIT_INDEX_FILE: join(tmpDir(), 'index') };
    git(dir, ['read-tree', 'rendered'], undefined, index);
    git(dir, ['update-index', '--cacheinfo', `100644,${blob},clusters/east/default/web.yaml`], undefined, index);
    const edited = git(dir, ['commit-tree', '-p', 'rendered', '-m', 'hand edit', git(dir, ['write-tree'], undefined, index)]);
    git(dir, ['update-ref', 'refs/heads/rendered', edited]);
    const r = await renderAndCommit(dir);
    expect(r.branches[0]).toMatchObject({ committed: true, previous: edited });
    expect(git(dir, ['show', 'rendered:clusters/east/default/web.yaml']) + '\n').toBe(configMap('web', '1'));
  });

  it('removes the files of a cluster that left the fleet', async () => {
    const dir = fleet();
    await renderAndCommit(dir);
    commitFiles(dir, 'west leaves', { 'clusters.txt': 'east\n' });
    const r = await renderAndCommit(dir);
    expect(r.branches[0]).toMatchObject({ committed: true, removed: ['west'], unchanged: ['east'] });
    expect(git(dir, ['ls-tree', '-r', '--name-only', 'rendered'])).not.toMatch(/west/);
  });

  it('records a source URL without its credentials in the metadata, the note and the trailers', async () => {
    const dir = fleet();
    await renderAndCommit(dir, 'main', { source: { ...(await sourceOf(dir)), repo: 'https://x-access-token:TOKEN123@git.example.com/fleet.git?t=TOKEN456' } });
    const objects = git(dir, ['cat-file', '--batch-all-objects', '--batch']);
    expect(objects).toContain('https://git.example.com/fleet.git');
    expect(objects).not.toMatch(/TOKEN123|TOKEN456|x-access-token/);
  });
});

describe('commitOutputs: determinism and no-op', () => {
  it('gives the same tree and commit ids in two fresh clones', async () => {
    const origin = fleet();
    commitFiles(origin, 'second app', { 'apps/db.yaml': configMap('db', '2') });
    const heads = [];
    for (const name of ['a', 'b']) {
      const clone = join(tmpDir(), name);
      execFileSync('git', ['clone', '-q', origin, clone]);
      await renderAndCommit(clone, 'origin/main~1');
      await renderAndCommit(clone, 'origin/main');
      heads.push([git(clone, ['rev-parse', 'rendered^{tree}']), git(clone, ['rev-parse', 'rendered']), git(clone, ['rev-parse', 'refs/notes/gitfed'])]);
    }
    expect(heads[0]).toEqual(heads[1]);
  });

  it('makes no commit when no cluster changed, but records the source in the note', async () => {
    const dir = fleet();
    const first = await renderAndCommit(dir);
    const head = first.branches[0]!.head;
    const readme = commitFiles(dir, 'docs only', { 'README.md': '# fleet\n' });
    const r = await renderAndCommit(dir);
    expect(r.branches[0]).toMatchObject({ committed: false, head, unchanged: ['east', 'west'] });
    expect(git(dir, ['rev-parse', 'rendered'])).toBe(head);
    expect(git(dir, ['notes', '--ref', 'gitfed', 'show', 'rendered'])).toContain(`Gitfed-Source-Commit: ${readme}`);
    // Rendering the same commit again writes nothing at all.
    const again = await renderAndCommit(dir);
    expect(again).toMatchObject({ notes: null, objectsWritten: 0 });
  });

  it('maps branch history one to one onto the source commits that changed output', async () => {
    const dir = fleet();
    const changing = [git(dir, ['rev-parse', 'HEAD'])];
    await renderAndCommit(dir);
    const steps: [string, Record<string, string | null>, boolean][] = [
      ['bump web', { 'apps/web.yaml': configMap('web', '2') }, true],
      ['touch docs', { 'notes.md': 'x\n' }, false],
      ['add north', { 'clusters.txt': 'east\nwest\nnorth\n' }, true],
      ['more docs', { 'notes.md': 'y\n' }, false],
      ['drop web', { 'apps/web.yaml': null, 'apps/api.yaml': configMap('api', '1') }, true],
    ];
    for (const [subject, files, changes] of steps) {
      const c = commitFiles(dir, subject, files);
      if (changes) changing.push(c);
      expect((await renderAndCommit(dir)).branches[0]!.committed, subject).toBe(changes);
    }
    const trailers = git(dir, ['log', '--format=%(trailers:key=Gitfed-Source-Commit,valueonly)', 'rendered']).split('\n').filter(Boolean);
    expect(trailers).toEqual([...changing].reverse());
    expect(git(dir, ['log', '--format=%s', 'rendered']).split('\n')).toEqual(['drop web', 'add north', 'bump web', 'two clusters, one app'].map((s, i) => `${[...changing].reverse()[i]!.slice(0, 7)}: ${s}`));
    git(dir, ['fsck', '--strict', '--no-dangling']);
  });

  it('writes only the changed blobs and trees for a one-object change', async () => {
    const dir = initRepo();
    const apps = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`apps/a${i}.yaml`, configMap(`a${i}`, '1')]));
    commitFiles(dir, 'fleet', { 'clusters.txt': 'c1\nc2\nc3\n', ...apps });
    await renderAndCommit(dir);
    const base = await readSourceAt({ dir });
    const out = fakeRender(base.files);
    // One object changes in one cluster only.
    const c2 = out.clusters[1]!;
    const files = new Map(c2.files);
    files.set('clusters/c2/default/a7.yaml', configMap('a7', '2'));
    const changed: BranchOutput = branch('rendered', [out.clusters[0]!, { ...c2, files, digest: 'changed' }, out.clusters[2]!]);
    commitFiles(dir, 'c2 bump', { 'other.txt': '1\n' });
    const s = await readSourceAt({ dir });
    const r = await commitOutputs({ dir, outputs: [changed], source: { repo: REPO, commit: s.commit, subject: s.subject }, version: VERSION });
    expect(r.branches[0]).toMatchObject({ committed: true, changed: ['c2'], unchanged: ['c1', 'c3'] });
    // blob a7; trees c2/default, c2, clusters, root; metadata blob; commit; note blob, notes tree, notes commit
    expect(r.objectsWritten).toBe(10);
    expect(git(dir, ['diff', '--name-only', 'rendered~1', 'rendered']).split('\n')).toEqual(['clusters/c2/default/a7.yaml', 'gitfed.metadata']);
    git(dir, ['fsck', '--strict', '--no-dangling']);
  });

  it('writes a large first commit as one pack that native git accepts, and reads it back', async () => {
    const dir = fleet();
    const s = await readSourceAt({ dir });
    const source: CommitSource = { repo: REPO, commit: s.commit, subject: s.subject };
    const files = (c: string, v: string) => Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`ns/cm-${i}.yaml`, configMap(`${c}-${i}`, v)]));
    const r = await commitOutputs({ dir, outputs: [branch('rendered', [cluster('c1', files('c1', '1')), cluster('c2', files('c2', '1'))])], source, version: VERSION, packThreshold: 10 });
    expect(r.format).toBe('pack');
    const idx = readdirSync(join(dir, '.git/objects/pack')).filter((f) => f.endsWith('.idx'));
    expect(idx).toHaveLength(1);
    const head = r.branches[0]!.head;
    expect(existsSync(join(dir, '.git/objects', head.slice(0, 2), head.slice(2)))).toBe(false);
    expect(git(dir, ['verify-pack', '-v', `.git/objects/pack/${idx[0]}`])).toContain(head);
    git(dir, ['fsck', '--strict', '--no-dangling']);
    // The next commit reads its previous one (metadata, subtrees) back out of that pack.
    const next = commitFiles(dir, 'bump', { 'x.txt': '1\n' });
    const r2 = await commitOutputs({
      dir, outputs: [branch('rendered', [cluster('c1', files('c1', '1')), cluster('c2', files('c2', '2'))])],
      source: { ...source, commit: next, subject: 'bump' }, version: VERSION, packThreshold: 10,
    });
    expect(r2.branches[0]).toMatchObject({ committed: true, changed: ['c2'], unchanged: ['c1'] });
    git(dir, ['fsck', '--strict', '--no-dangling']);
  });
});

describe('commitOutputs: safety', () => {
  it('refuses to move a branch back to an older source commit', async () => {
    const dir = fleet();
    const old = git(dir, ['rev-parse', 'HEAD']);
    commitFiles(dir, 'bump', { 'apps/web.yaml': configMap('web', '2') });
    await renderAndCommit(dir);
    const head = git(dir, ['rev-parse', 'rendered']);
    const err = await errorOf(renderAndCommit(dir, old));
    expect(err.code).toBe('SourceNotNewer');
    expect(err.message).toMatch(new RegExp(`branch "rendered" already holds source [0-9a-f]{7}, and ${old.slice(0, 7)} is older; refusing to move the branch back`));
    expect(git(dir, ['rev-parse', 'rendered'])).toBe(head);
  });

  it('also refuses an older source recorded only by a note after a no-op render', async () => {
    const dir = fleet();
    await renderAndCommit(dir);
    const docs = commitFiles(dir, 'docs', { 'README.md': 'x\n' });
    commitFiles(dir, 'docs 2', { 'README.md': 'y\n' });
    await renderAndCommit(dir);
    expect((await errorOf(renderAndCommit(dir, docs))).code).toBe('SourceNotNewer');
  });

  it('detects a branch moved by someone else between read and write, and moves nothing', async () => {
    const dir = fleet();
    await renderAndCommit(dir);
    commitFiles(dir, 'bump', { 'apps/web.yaml': configMap('web', '2') });
    const intruder = git(dir, ['commit-tree', '-m', 'someone else', '-p', 'rendered', 'rendered^{tree}']);
    const err = await errorOf(renderAndCommit(dir, 'main', {
      onStage: (stage) => {
        if (stage === 'objects-written') git(dir, ['update-ref', 'refs/heads/rendered', intruder]);
      },
    }));
    expect(err.code).toBe('BranchMoved');
    expect(git(dir, ['rev-parse', 'rendered'])).toBe(intruder);
    // Rendering again on top succeeds, with the intruder as parent.
    const r = await renderAndCommit(dir);
    expect(git(dir, ['rev-parse', 'rendered~1'])).toBe(intruder);
    expect(r.branches[0]!.committed).toBe(true);
  });

  it('of two renders racing from the same head, exactly one lands and the other is told', async () => {
    const dir = fleet();
    await renderAndCommit(dir);
    const a = commitFiles(dir, 'bump', { 'apps/web.yaml': configMap('web', '2') });
    const b = commitFiles(dir, 'bump again', { 'apps/web.yaml': configMap('web', '3') });
    // Both plan against the same head before either swaps its ref: their awaits interleave.
    const results = await Promise.allSettled([renderAndCommit(dir, a), renderAndCommit(dir, b)]);
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(((failed[0] as PromiseRejectedResult).reason as GitError).code).toBe('BranchMoved');
    expect(git(dir, ['log', '--format=%s', 'rendered']).split('\n')).toHaveLength(2);
  });

  for (const stage of ['objects-written', 'refs-locked'] as const) {
    it(`leaves every branch and the notes as they were after a crash at ${stage}`, async () => {
      const dir = fleet();
      await renderAndCommit(dir);
      commitFiles(dir, 'bump', { 'apps/web.yaml': configMap('web', '2') });
      const refsBefore = git(dir, ['for-each-ref', '--format=%(refname) %(objectname)']);
      await expect(renderAndCommit(dir, 'main', {
        onStage: (s) => {
          if (s === stage) throw new Error('simulated kill');
        },
      })).rejects.toThrow('simulated kill');
      expect(git(dir, ['for-each-ref', '--format=%(refname) %(objectname)'])).toBe(refsBefore);
      git(dir, ['fsck', '--strict']);
      // The next run converges.
      expect((await renderAndCommit(dir)).branches[0]!.committed).toBe(true);
    });
  }

  it('commits several branches together, each with its own metadata', async () => {
    const dir = fleet();
    const s = await readSourceAt({ dir });
    const source: CommitSource = { repo: REPO, commit: s.commit, subject: s.subject };
    const outputs = [branch('rendered/east', [cluster('east', { 'a.yaml': 'a: 1\n' })]), branch('rendered/west', [cluster('west', { 'a.yaml': 'a: 2\n' })])];
    const r = await commitOutputs({ dir, outputs, source, version: VERSION });
    expect(r.branches.map((b) => b.committed)).toEqual([true, true]);
    expect(JSON.parse(git(dir, ['show', 'rendered/west:gitfed.metadata'])).clusters[0].name).toBe('west');
    for (const b of ['rendered/east', 'rendered/west']) expect(git(dir, ['notes', '--ref', 'gitfed', 'show', b])).toContain(s.commit);
    expect((await errorOf(commitOutputs({ dir, outputs: [branch('bad..name', [])], source, version: VERSION }))).code).toBe('InvalidBranch');
  });
});

describe('notes in a tree native git fanned out', () => {
  it('adds the note inside the existing fan-out directory, where git notes show finds it', async () => {
    const dir = fleet();
    const s = await readSourceAt({ dir });
    const out = fakeRender(s.files);
    const source: CommitSource = { repo: REPO, commit: s.commit, subject: s.subject };
    // The head gitfed will commit is known in advance: commit ids are deterministic.
    const probe = initRepo();
    git(probe, ['fetch', '-q', dir, 'main']);
    const head = (await commitOutputs({ dir: probe, outputs: [out], source, version: VERSION })).branches[0]!.head;
    // A notes tree as git writes it past ~256 notes: `ab/<38 hex>` for the prefix of our head.
    const blob = git(dir, ['hash-object', '-w', '--stdin'], 'other note\n');
    const other = `${head.slice(0, 2)}${'0'.repeat(38)}`;
    const fan = git(dir, ['mktree'], `100644 blob ${blob}\t${other.slice(2)}\n`);
    const root = git(dir, ['mktree'], `040000 tree ${fan}\t${head.slice(0, 2)}\n`);
    git(dir, ['update-ref', 'refs/notes/gitfed', git(dir, ['commit-tree', '-m', 'notes', root])]);

    await commitOutputs({ dir, outputs: [out], source, version: VERSION });
    expect(git(dir, ['rev-parse', 'rendered'])).toBe(head);
    expect(git(dir, ['ls-tree', '--name-only', 'refs/notes/gitfed'])).toBe(head.slice(0, 2));
    expect(git(dir, ['notes', '--ref', 'gitfed', 'show', 'rendered'])).toContain(`Gitfed-Source-Commit: ${s.commit}`);
    expect(git(dir, ['ls-tree', '-r', '--name-only', 'refs/notes/gitfed']).split('\n')).toEqual([`${head.slice(0, 2)}/${other.slice(2)}`, `${head.slice(0, 2)}/${head.slice(2)}`].sort());
  });
});
