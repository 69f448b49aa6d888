import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitError } from '../../../src/errors.js';
import { readRef } from '../../../src/git/refs.js';
import { updateRefs } from '../../../src/git/ref-transaction.js';
import { openRepo } from '../../../src/git/repo.js';
import { commitFiles, git, initRepo } from './fixtures.js';

function twoCommits(): { dir: string; a: string; b: string } {
  const dir = initRepo();
  const a = commitFiles(dir, 'one', { f: '1\n' });
  const b = commitFiles(dir, 'two', { f: '2\n' });
  return { dir, a, b };
}

describe('readRef', () => {
  it('reads loose refs, symbolic HEAD and packed-refs, and null for a missing ref', () => {
    const { dir, a, b } = twoCommits();
    git(dir, ['branch', 'old', a]);
    git(dir, ['pack-refs', '--all']);
    const repo = openRepo(dir);
    expect(existsSync(join(dir, '.git/refs/heads/old'))).toBe(false);
    expect(readRef(repo, 'refs/heads/old')).toBe(a);
    expect(readRef(repo, 'HEAD')).toBe(b);
    expect(readRef(repo, 'refs/heads/nope')).toBeNull();
  });

  it('reports a ref file that holds garbage', () => {
    const { dir } = twoCommits();
    writeFileSync(join(dir, '.git/refs/heads/bad'), 'not an oid\n');
    expect(() => readRef(openRepo(dir), 'refs/heads/bad')).toThrow(/refs\/heads\/bad holds "not an oid"/);
  });
});

describe('updateRefs: compare-and-swap', () => {
  it('moves a ref that still holds the expected value, also one only in packed-refs', () => {
    const { dir, a, b } = twoCommits();
    git(dir, ['branch', 'out', a]);
    git(dir, ['pack-refs', '--all']);
    updateRefs(openRepo(dir), [{ ref: 'refs/heads/out', expected: a, next: b }]);
    expect(git(dir, ['rev-parse', 'out'])).toBe(b);
  });

  it('refuses with BranchMoved when the ref moved since it was read, and moves nothing', () => {
    const { dir, a, b } = twoCommits();
    git(dir, ['branch', 'x', a]);
    git(dir, ['branch', 'y', a]);
    git(dir, ['branch', '-f', 'y', b]); // someone else moved y
    let err: unknown;
    try {
      updateRefs(openRepo(dir), [{ ref: 'refs/heads/x', expected: a, next: b }, { ref: 'refs/heads/y', expected: a, next: b }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GitError);
    expect((err as GitError).code).toBe('BranchMoved');
    expect((err as GitError).message).toMatch(new RegExp(`refs/heads/y moved from ${a.slice(0, 7)} to ${b.slice(0, 7)}`));
    expect(git(dir, ['rev-parse', 'x'])).toBe(a);
    expect(existsSync(join(dir, '.git/refs/heads/x.lock'))).toBe(false);
  });

  it('treats a ref created meanwhile as moved when it was expected absent', () => {
    const { dir, a } = twoCommits();
    git(dir, ['branch', 'new', a]);
    expect(() => updateRefs(openRepo(dir), [{ ref: 'refs/heads/new', expected: null, next: a }])).toThrow(/moved from \(none\)/);
  });

  it('reports a ref whose name collides with an existing ref as a directory', () => {
    const { dir, a } = twoCommits();
    git(dir, ['branch', 'rendered', a]);
    expect(() => updateRefs(openRepo(dir), [{ ref: 'refs/heads/rendered/east', expected: null, next: a }])).toThrow(/cannot create refs\/heads\/rendered\/east/);
  });

  it('waits for, then reports, a lock another writer holds', () => {
    const { dir, a, b } = twoCommits();
    git(dir, ['branch', 'out', a]);
    writeFileSync(join(dir, '.git/refs/heads/out.lock'), '');
    let err: unknown;
    try {
      updateRefs(openRepo(dir), [{ ref: 'refs/heads/out', expected: a, next: b }], { lockTimeoutMs: 50 });
    } catch (e) {
      err = e;
    }
    expect((err as GitError).code).toBe('RefLocked');
    expect(git(dir, ['rev-parse', 'out'])).toBe(a);
    // Native git agrees the ref is locked: the lock protocol is the same one.
    expect(() => git(dir, ['update-ref', 'refs/heads/out', b, a])).toThrow(/out.lock/);
  });

  it('leaves every ref as it was when the process fails after locking, and cleans its locks', () => {
    const { dir, a, b } = twoCommits();
    git(dir, ['branch', 'out', a]);
    expect(() => updateRefs(openRepo(dir), [{ ref: 'refs/heads/out', expected: a, next: b }], {
      beforeRename: () => {
        throw new Error('killed');
      },
    })).toThrow('killed');
    expect(git(dir, ['rev-parse', 'out'])).toBe(a);
    expect(existsSync(join(dir, '.git/refs/heads/out.lock'))).toBe(false);
  });
});
