/**
 * The rollout's pointer branches move all together or not at all, a second move to the same
 * commits moves nothing, and a name that is no valid ref is refused before anything moves.
 */
import { describe, expect, it } from 'vitest';
import { movePointerBranches, readPointers } from '../../../src/git/pointer-branches.js';
import { changes, snapshot } from '../../support/safety-corpus.js';
import { commitFiles, errorOf, git, initRepo } from './fixtures.js';

function repo(): { dir: string; a: string; b: string } {
  const dir = initRepo();
  const a = commitFiles(dir, 'one', { f: '1\n' });
  const b = commitFiles(dir, 'two', { f: '2\n' });
  return { dir, a, b };
}

const heads = (dir: string) => git(dir, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/rollout']);

describe('movePointerBranches', () => {
  it('creates and moves every branch of the set, forwards and back', async () => {
    const { dir, a, b } = repo();
    const first = await movePointerBranches(dir, new Map([['rollout/canary', b], ['rollout/rest', a]]));
    expect(first).toEqual([
      { branch: 'rollout/canary', from: null, to: b },
      { branch: 'rollout/rest', from: null, to: a },
    ]);
    expect(heads(dir)).toBe(`refs/heads/rollout/canary ${b}\nrefs/heads/rollout/rest ${a}`);
    // An abort moves the canary back to the older commit: no fast-forward rule here.
    const back = await movePointerBranches(dir, new Map([['rollout/canary', a], ['rollout/rest', a]]));
    expect(back).toEqual([{ branch: 'rollout/canary', from: b, to: a }]);
    expect(readPointers(dir, ['rollout/canary', 'rollout/rest', 'rollout/none'])).toEqual(new Map([['rollout/canary', a], ['rollout/rest', a], ['rollout/none', null]]));
    expect(git(dir, ['reflog', 'show', '--format=%gs', 'refs/heads/rollout/canary']).split('\n')[0]).toBe(`gitfed rollout: rollout/canary ${a.slice(0, 7)}`);
  });

  it('is idempotent: the same targets again change nothing in the git directory', async () => {
    const { dir, a, b } = repo();
    const targets = new Map([['rollout/eu-1', b], ['rollout/eu-2', a]]);
    await movePointerBranches(dir, targets);
    const before = snapshot(dir);
    expect(await movePointerBranches(dir, targets)).toEqual([]);
    expect(changes(before, snapshot(dir))).toEqual([]);
  });

  it('moves none of the set when one branch cannot be written', async () => {
    const { dir, a, b } = repo();
    await movePointerBranches(dir, new Map([['rollout/canary', a]]));
    git(dir, ['branch', 'rollout/two/x', a]); // rollout/two cannot be a branch and a directory of branches
    const before = snapshot(dir);
    const err = await errorOf(movePointerBranches(dir, new Map([['rollout/canary', b], ['rollout/two', b]])));
    expect(err.code).toBe('BranchConflict');
    expect(changes(before, snapshot(dir))).toEqual([]);
    expect(readPointers(dir, ['rollout/canary']).get('rollout/canary')).toBe(a);
  });

  it('refuses a branch name that is not a valid ref, before anything moves', async () => {
    const { dir, b } = repo();
    for (const bad of ['rollout/eu..1', 'rollout/a b', 'rollout/x.lock', 'rollout/']) {
      const before = snapshot(dir);
      const err = await errorOf(movePointerBranches(dir, new Map([['rollout/ok', b], [bad, b]])));
      expect(err.code, bad).toBe('InvalidBranch');
      expect(changes(before, snapshot(dir))).toEqual([]);
    }
    expect(heads(dir)).toBe('');
  });
});
