/**
 * commitOutputs never leaves a half-done commit: output names that cannot be refs fail before a
 * single object is written, and a crash after the commit point is finished by the next run.
 */
import { describe, expect, it } from 'vitest';
import { commitOutputs, type CommitSource } from '../../../src/git/commit-outputs.js';
import { readSourceAt } from '../../../src/git/source.js';
import { changes, snapshot } from '../../support/safety-corpus.js';
import { branch, cluster, commitFiles, configMap, errorOf, fleet, git, initRepo, REPO, renderAndCommit, VERSION } from './fixtures.js';

function objectCount(dir: string): string {
  return git(dir, ['count-objects', '-v']).split('\n').filter((l) => /^(count|in-pack|packs):/.test(l)).join(' ');
}

describe('commitOutputs: names that cannot be refs', () => {
  it('refuses two output branches that nest before any object, ref, note, lock or directory is written', async () => {
    const dir = fleet();
    const s = await readSourceAt({ dir });
    const source: CommitSource = { repo: REPO, commit: s.commit, subject: s.subject };
    const objects = objectCount(dir);
    const before = snapshot(dir);
    const outputs = [branch('rendered', [cluster('east', { 'a.yaml': 'a: 1\n' })]), branch('rendered/eu', [cluster('west', { 'a.yaml': 'a: 2\n' })])];
    const err = await errorOf(commitOutputs({ dir, outputs, source, version: VERSION }));
    expect(err.code).toBe('BranchConflict');
    expect(err.message).toContain('branches rendered and rendered/eu nest');
    expect(objectCount(dir)).toBe(objects);
    expect(changes(before, snapshot(dir))).toEqual([]);
    // The next render, with names that can coexist, works.
    const r = await commitOutputs({ dir, outputs: [outputs[0]!, branch('rendered-eu', [...outputs[1]!.clusters])], source, version: VERSION });
    expect(r.branches.map((b) => b.committed)).toEqual([true, true]);
    git(dir, ['fsck', '--strict']);
  });

  it('refuses a branch where an existing ref is a directory of refs, naming that ref, before any object is written', async () => {
    const dir = fleet();
    git(dir, ['branch', 'rendered/old']);
    const objects = objectCount(dir);
    const err = await errorOf(renderAndCommit(dir));
    expect(err.message).toContain('cannot create branch rendered: branch rendered/old exists under it');
    expect(objectCount(dir)).toBe(objects);
  });
});

describe('commitOutputs: a crash after the commit point', () => {
  it('is finished by the next run: the branch gets the head an undisturbed render gives, with its note', async () => {
    const dir = fleet();
    const twin = initRepo();
    git(twin, ['fetch', '-q', '--update-head-ok', dir, 'main:main']);
    await renderAndCommit(dir);
    await renderAndCommit(twin);
    const bump = commitFiles(dir, 'bump', { 'apps/web.yaml': configMap('web', '2') });
    git(twin, ['fetch', '-q', '--update-head-ok', dir, 'main:main']);
    const want = (await renderAndCommit(twin)).branches[0]!.head;

    const err = await errorOf(renderAndCommit(dir, 'main', {
      onStage: (stage) => {
        if (stage === 'ref-moved:refs/notes/gitfed') throw new Error('simulated kill');
      },
    }));
    expect(err.code).toBe('RefUpdateIncomplete');
    // The kill left the note moved and the branch locked on its old head.
    expect(git(dir, ['rev-parse', 'rendered'])).not.toBe(want);
    expect(() => git(dir, ['update-ref', 'refs/heads/rendered', want])).toThrow(/rendered\.lock/);

    const r = await renderAndCommit(dir);
    expect(r.branches[0]).toMatchObject({ head: want, committed: false });
    expect(git(dir, ['rev-parse', 'rendered'])).toBe(want);
    expect(git(dir, ['notes', '--ref', 'gitfed', 'show', 'rendered'])).toContain(`Gitfed-Source-Commit: ${bump}`);
    expect(git(dir, ['reflog', 'show', '--format=%gs', 'rendered']).split('\n')[0]).toBe(`gitfed render: ${bump.slice(0, 7)}: bump`);
    git(dir, ['fsck', '--strict']);
  });
});

describe('commitOutputs: a token an older gitfed recorded', () => {
  it('is rewritten out of the metadata by the next render, even when no cluster changed', async () => {
    const dir = fleet();
    await renderAndCommit(dir);
    // What an older gitfed committed: the same files, the repo URL with a token in it.
    const meta = git(dir, ['show', 'rendered:gitfed.metadata']).replace(REPO, REPO.replace('https://', 'https://x-access-token:SECRET1234@'));
    const blob = git(dir, ['hash-object', '-w', '--stdin'], `${meta}\n`);
    const entries = git(dir, ['ls-tree', 'rendered']).split('\n').map((l) => (l.endsWith('\tgitfed.metadata') ? l.replace(/[0-9a-f]{40}/, blob) : l));
    const tree = git(dir, ['mktree'], `${entries.join('\n')}\n`);
    const message = git(dir, ['log', '-1', '--format=%B', 'rendered']);
    const old = git(dir, ['commit-tree', '-p', 'rendered', '-m', message, tree], undefined, { GIT_COMMITTER_EMAIL: 'gitfed@users.noreply.invalid', GIT_COMMITTER_NAME: 'gitfed' });
    git(dir, ['update-ref', 'refs/heads/rendered', old]);

    const r = await renderAndCommit(dir);
    expect(r.branches[0]).toMatchObject({ committed: true, changed: [], added: [], removed: [] });
    expect(git(dir, ['show', 'rendered:gitfed.metadata'])).not.toContain('SECRET1234');
    expect(JSON.parse(git(dir, ['show', 'rendered:gitfed.metadata'])).source.repo).toBe(REPO);
  });
});
