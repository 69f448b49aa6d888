import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pushOutputs } from '../../../src/git/push.js';
import { commitFiles, configMap, errorOf, fleet, git, initRepo, renderAndCommit, tmpDir } from './fixtures.js';
import { httpRemote } from './http-remote.js';

describe('pushOutputs to a file remote', () => {
  it('publishes the branch and the notes; native git reads them on the remote', async () => {
    const dir = fleet();
    const remote = initRepo(join(tmpDir(), 'remote.git'), true);
    await renderAndCommit(dir);
    const r = await pushOutputs({ dir, remote: pathToFileURL(remote).href, branches: ['rendered'] });
    expect(r.refs.map((x) => [x.ref, x.status])).toEqual([['refs/heads/rendered', 'updated'], ['refs/notes/gitfed', 'updated']]);
    expect(git(remote, ['rev-parse', 'rendered'])).toBe(git(dir, ['rev-parse', 'rendered']));
    expect(git(remote, ['notes', '--ref', 'gitfed', 'show', 'rendered'])).toContain(git(dir, ['rev-parse', 'main']));
    git(remote, ['fsck', '--strict', '--no-dangling']);
    // Pushing again is a no-op; a new render pushes only what is new.
    expect((await pushOutputs({ dir, remote, branches: ['rendered'] })).refs.every((x) => x.status === 'up-to-date')).toBe(true);
    commitFiles(dir, 'bump', { 'apps/web.yaml': configMap('web', '2') });
    await renderAndCommit(dir);
    await pushOutputs({ dir, remote, branches: ['rendered'] });
    expect(git(remote, ['log', '--format=%s', 'rendered']).split('\n')).toHaveLength(2);
    git(remote, ['fsck', '--strict', '--no-dangling']);
  });

  it('is rejected, never forced, when the remote branch moved; a render on top then goes through', async () => {
    const dir = fleet();
    const remote = initRepo(join(tmpDir(), 'remote.git'), true);
    await renderAndCommit(dir);
    await pushOutputs({ dir, remote, branches: ['rendered'] });
    // Another renderer publishes first.
    const other = join(tmpDir(), 'other');
    execFileSync('git', ['clone', '-q', dir, other]);
    commitFiles(other, 'their change', { 'apps/web.yaml': configMap('web', 'theirs') });
    git(other, ['fetch', '-q', remote, 'rendered:rendered', 'refs/notes/gitfed:refs/notes/gitfed']);
    await renderAndCommit(other);
    await pushOutputs({ dir: other, remote, branches: ['rendered'] });
    const theirs = git(remote, ['rev-parse', 'rendered']);

    commitFiles(dir, 'our change', { 'apps/web.yaml': configMap('web', 'ours') });
    await renderAndCommit(dir);
    const err = await errorOf(pushOutputs({ dir, remote, branches: ['rendered'] }));
    expect(err.code).toBe('PushRejected');
    expect(err.message).toMatch(/refs\/heads\/rendered to .*rejected: .*render again on top/);
    expect(git(remote, ['rev-parse', 'rendered'])).toBe(theirs);
  });

  it('refuses to push into a branch checked out in a non-bare remote, even a fast-forward', async () => {
    const dir = fleet();
    await renderAndCommit(dir);
    const remote = join(tmpDir(), 'work');
    execFileSync('git', ['clone', '-q', '-b', 'rendered', dir, remote]);
    commitFiles(dir, 'bump', { 'apps/web.yaml': configMap('web', '2') });
    await renderAndCommit(dir);
    const before = git(remote, ['rev-parse', 'rendered']);
    const err = await errorOf(pushOutputs({ dir, remote, branches: ['rendered'], notes: false }));
    expect(err.message).toMatch(/checked out in the remote work tree/);
    expect(git(remote, ['rev-parse', 'rendered'])).toBe(before);
  });
});

describe('pushOutputs to an http remote (isomorphic-git)', () => {
  it('pushes through smart HTTP and is rejected when the remote moved', async () => {
    const root = tmpDir();
    initRepo(join(root, 'fleet.git'), true);
    const base = await httpRemote(root);
    const url = `${base}/fleet.git`;
    const dir = fleet();
    await renderAndCommit(dir);
    await pushOutputs({ dir, remote: url, branches: ['rendered'] });
    expect(git(join(root, 'fleet.git'), ['rev-parse', 'rendered'])).toBe(git(dir, ['rev-parse', 'rendered']));
    expect(git(join(root, 'fleet.git'), ['notes', '--ref', 'gitfed', 'list'])).not.toBe('');

    // Someone moves the remote branch to a commit we do not have.
    const mover = join(tmpDir(), 'mover');
    execFileSync('git', ['clone', '-q', join(root, 'fleet.git'), mover]);
    git(mover, ['checkout', '-q', 'rendered']);
    commitFiles(mover, 'hand edit', { 'x.txt': '1\n' });
    git(mover, ['push', '-q', 'origin', 'rendered']);

    commitFiles(dir, 'bump', { 'apps/web.yaml': configMap('web', '2') });
    await renderAndCommit(dir);
    const err = await errorOf(pushOutputs({ dir, remote: url, branches: ['rendered'], notes: false }));
    expect(err.code).toBe('PushRejected');
    expect(err.message).toMatch(/not a simple fast-forward/);
  });
});
