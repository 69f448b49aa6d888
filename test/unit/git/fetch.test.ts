import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitError } from '../../../src/errors.js';
import { readBranchState } from '../../../src/git/branch-state.js';
import { fetchOutputs } from '../../../src/git/fetch.js';
import { pushOutputs } from '../../../src/git/push.js';
import { commitFiles, configMap, git, initRepo, renderAndCommit, tmpDir } from './fixtures.js';
import { httpRemote } from './http-remote.js';

/** Two renderers with their own fleet clones, publishing to one bare remote. */
function setup(): { a: string; b: string; remote: string } {
  const a = initRepo();
  commitFiles(a, 'fleet', { 'clusters.txt': 'east\nwest\n', 'apps/web.yaml': configMap('web', '1') });
  const b = join(tmpDir(), 'b');
  execFileSync('git', ['clone', '-q', a, b]);
  return { a, b, remote: initRepo(join(tmpDir(), 'remote.git'), true) };
}

describe('fetchOutputs and the retry after a rejected push', () => {
  it('re-renders on top of what another renderer published, never losing its commit', async () => {
    const { a, b, remote } = setup();
    await renderAndCommit(a);
    await pushOutputs({ dir: a, remote, branches: ['rendered'] });

    // b publishes first.
    expect((await fetchOutputs({ dir: b, remote, branches: ['rendered'] })).refs.map((r) => r.status)).toEqual(['fast-forwarded', 'fast-forwarded']);
    commitFiles(b, 'their change', { 'apps/api.yaml': configMap('api', '1') });
    await renderAndCommit(b);
    await pushOutputs({ dir: b, remote, branches: ['rendered'] });
    const theirs = git(remote, ['rev-parse', 'rendered']);

    // a renders its own change; its push is rejected.
    commitFiles(a, 'our change', { 'apps/web.yaml': configMap('web', '2') });
    await renderAndCommit(a);
    const err = await pushOutputs({ dir: a, remote, branches: ['rendered'] }).catch((e: unknown) => e);
    expect((err as GitError).code).toBe('PushRejected');

    // The retry: fetch (drops a's unpublished render), render on top, push.
    const fetched = await fetchOutputs({ dir: a, remote, branches: ['rendered'] });
    expect(fetched.refs.map((r) => [r.ref, r.status])).toEqual([['refs/heads/rendered', 'reset-to-remote'], ['refs/notes/gitfed', 'reset-to-remote']]);
    const r = await renderAndCommit(a);
    expect(r.branches[0]!.previous).toBe(theirs);
    await pushOutputs({ dir: a, remote, branches: ['rendered'] });
    expect(git(remote, ['rev-parse', 'rendered~1'])).toBe(theirs);
    expect(git(remote, ['log', '--format=%s', 'rendered']).split('\n').map((s) => s.slice(9))).toEqual(['our change', 'their change', 'fleet']);
    git(remote, ['fsck', '--strict', '--no-dangling']);
  });

  it('keeps local commits that are ahead of the remote, and refs the remote lacks', async () => {
    const { a, remote } = setup();
    await renderAndCommit(a);
    await pushOutputs({ dir: a, remote, branches: ['rendered'] });
    commitFiles(a, 'ahead', { 'apps/web.yaml': configMap('web', '3') });
    await renderAndCommit(a);
    const head = git(a, ['rev-parse', 'rendered']);
    const r = await fetchOutputs({ dir: a, remote, branches: ['rendered', 'other'] });
    expect(r.refs.map((x) => x.status)).toEqual(['kept-local', 'absent-on-remote', 'kept-local']);
    expect(git(a, ['rev-parse', 'rendered'])).toBe(head);
  });

  it('fetches over smart HTTP', async () => {
    const { a, b } = setup();
    const root = tmpDir();
    initRepo(join(root, 'fleet.git'), true);
    const url = `${await httpRemote(root)}/fleet.git`;
    await renderAndCommit(a);
    await pushOutputs({ dir: a, remote: url, branches: ['rendered'] });
    // A fresh bare repository's HEAD names main, which it lacks; isomorphic-git cannot fetch then.
    const err = await fetchOutputs({ dir: b, remote: url, branches: ['rendered'] }).catch((e: unknown) => e);
    expect((err as GitError).message).toMatch(/HEAD names a branch it does not have/);
    git(join(root, 'fleet.git'), ['symbolic-ref', 'HEAD', 'refs/heads/rendered']);
    const r = await fetchOutputs({ dir: b, remote: url, branches: ['rendered'] });
    expect(r.refs.map((x) => x.status)).toEqual(['fast-forwarded', 'fast-forwarded']);
    expect(git(b, ['rev-parse', 'rendered'])).toBe(git(a, ['rev-parse', 'rendered']));
    expect(git(b, ['notes', '--ref', 'gitfed', 'show', 'rendered'])).toContain('Gitfed-Source-Commit');
  });
});

describe('readBranchState', () => {
  it('names the source the branch is up to date with, from the note after a no-op render', async () => {
    const { a } = setup();
    expect(await readBranchState({ dir: a, branch: 'rendered' })).toEqual({ branch: 'rendered', head: null, metadata: null, source: null, state: null });
    const first = await renderAndCommit(a);
    const docs = commitFiles(a, 'docs', { 'README.md': 'x\n' });
    await renderAndCommit(a);
    const st = await readBranchState({ dir: a, branch: 'rendered' });
    expect(st.head).toBe(first.branches[0]!.head);
    expect(st.source).toBe(docs);
    expect(st.metadata?.source.commit).toBe(git(a, ['rev-parse', 'main~1']));
    expect(st.metadata?.clusters.map((c) => c.name)).toEqual(['east', 'west']);
  });
});
