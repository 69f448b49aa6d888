/** The state branch through src/git, read back with native git. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitError } from '../../../src/errors.js';
import { commitState, readStateAt, readStateHead } from '../../../src/git/state-branch.js';
import type { MemberState } from '../../../src/state/model.js';

let dir: string;
const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gitfed-state-'));
  git('init', '-q', '-b', 'main');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const doc = (cluster: string, fit: number): MemberState => ({
  cluster, ready: true, readySince: '2026-01-01T00:00:00Z', changedAt: '2026-01-01T00:00:00Z', free: { pods: '10' },
  workloads: { 'apps/Deployment/shop/web': { desired: 4, ready: 4, current: 4, pending: 0, unschedulable: 0, fit } },
});

describe('state branch', () => {
  it('commits changed documents, keeps the others, and reads back what it wrote', async () => {
    const first = await commitState({ dir, branch: 'fleet-state', expected: null, members: [doc('onprem', 9), doc('burst', 40)], message: 'first\n', time: 1767225600 });
    expect(first.committed).toBe(true);
    const second = await commitState({ dir, branch: 'fleet-state', expected: first.head, members: [doc('onprem', 5)], message: 'onprem: room for 5 more shop/web, was 9\n', time: 1767225660 });
    expect(second.previous).toBe(first.head);
    expect(git('log', '--format=%s', 'fleet-state').trim().split('\n')).toEqual(['onprem: room for 5 more shop/web, was 9', 'first']);
    expect(git('ls-tree', '-r', '--name-only', 'fleet-state').trim().split('\n')).toEqual(['members/burst.json', 'members/onprem.json']);
    git('fsck', '--strict');
    const s = await readStateAt(dir, 'fleet-state');
    expect(s.commit).toBe(second.head);
    // The commit's time is the observation time render measures tolerationSeconds against.
    expect(s.observedAt).toBe(1767225660);
    expect((await readStateAt(dir, first.head)).observedAt).toBe(1767225600);
    expect(s.members.get('onprem')!.workloads['apps/Deployment/shop/web']!.fit).toBe(5);
    expect(s.members.get('burst')!.workloads['apps/Deployment/shop/web']!.fit).toBe(40);
    expect((await readStateAt(dir, first.head)).members.get('onprem')!.workloads['apps/Deployment/shop/web']!.fit).toBe(9);
  });
  it('no commit when nothing changed, and the same documents give the same tree', async () => {
    const a = await commitState({ dir, branch: 'fleet-state', expected: null, members: [doc('onprem', 9)], message: 'first\n', time: 1767225600 });
    const b = await commitState({ dir, branch: 'fleet-state', expected: a.head, members: [doc('onprem', 9)], message: 'again\n', time: 1767225700 });
    expect(b).toEqual({ branch: 'fleet-state', previous: a.head, head: a.head, committed: false });
  });
  it('refuses to commit over a head that moved since the observation', async () => {
    const a = await commitState({ dir, branch: 'fleet-state', expected: null, members: [doc('onprem', 9)], message: 'first\n', time: 1767225600 });
    const err = await commitState({ dir, branch: 'fleet-state', expected: null, members: [doc('onprem', 1)], message: 'x\n', time: 1767225600 }).catch((e) => e);
    expect(err).toBeInstanceOf(GitError);
    expect(err.code).toBe('BranchMoved');
    expect(git('rev-parse', 'fleet-state').trim()).toBe(a.head);
  });
  it('an absent branch is an empty state', async () => {
    expect(await readStateHead(dir, 'fleet-state')).toEqual({ head: null, state: { members: new Map() } });
  });
  it('refuses a branch name that is no valid ref before anything is read or written', async () => {
    for (const branch of ['../../HEAD', 'a..b', 'state.lock', '-x']) {
      await expect(readStateHead(dir, branch)).rejects.toMatchObject({ code: 'InvalidBranch' });
      await expect(commitState({ dir, branch, expected: null, members: [doc('onprem', 1)], message: 'x\n', time: 1767225600 })).rejects.toMatchObject({ code: 'InvalidBranch' });
    }
    expect(git('for-each-ref').trim()).toBe('');
  });
});
