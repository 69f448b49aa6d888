/**
 * updateRefs as a transaction: names that cannot coexist fail before anything is written, every
 * failure before the commit point leaves the git directory exactly as it was, and a kill after
 * it (or before it) is finished by the next run from the journal.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { GitError } from '../../../src/errors.js';
import { recoverRefUpdates } from '../../../src/git/ref-journal.js';
import { updateRefs, type RefUpdate, type UpdateRefsOptions } from '../../../src/git/ref-transaction.js';
import { openRepo } from '../../../src/git/repo.js';
import { changes, snapshot } from '../../support/safety-corpus.js';
import { commitFiles, git, initRepo } from './fixtures.js';

function twoCommits(bare = false): { dir: string; a: string; b: string } {
  const dir = initRepo();
  const a = commitFiles(dir, 'one', { f: '1\n' });
  const b = commitFiles(dir, 'two', { f: '2\n' });
  if (!bare) return { dir, a, b };
  const clone = initRepo(undefined, true);
  git(dir, ['push', '-q', clone, 'main']);
  return { dir: clone, a, b };
}

function failure(fn: () => void): GitError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GitError);
    return e as GitError;
  }
  throw new Error('expected a GitError');
}

/** Runs updateRefs, expects it to fail with `code`, and that nothing in the git directory changed. */
function failsCleanly(dir: string, updates: RefUpdate[], code: string, opts: UpdateRefsOptions = {}): GitError {
  const before = snapshot(dir);
  const err = failure(() => updateRefs(openRepo(dir), updates, opts));
  expect(err.code).toBe(code);
  expect(changes(before, snapshot(dir))).toEqual([]);
  return err;
}

function journals(dir: string): string[] {
  return readdirSync(join(dir, '.git')).filter((f) => f.startsWith('gitfed-txn-'));
}

describe('updateRefs: names that cannot coexist', () => {
  it('refuses two new refs that nest, before any lock, note or directory is made', () => {
    const { dir, b } = twoCommits();
    const err = failsCleanly(dir, [
      { ref: 'refs/notes/gitfed', expected: null, next: b },
      { ref: 'refs/heads/rendered', expected: null, next: b },
      { ref: 'refs/heads/rendered/eu', expected: null, next: b },
    ], 'RefConflict');
    expect(err.message).toContain('cannot write both refs/heads/rendered and refs/heads/rendered/eu');
    expect(git(dir, ['for-each-ref', '--format=%(refname)'])).toBe('refs/heads/main');
  });

  it.each([
    ['a loose ref where a directory must go', ['branch', 'rendered'], 'refs/heads/rendered/eu', 'refs/heads/rendered exists'],
    ['a packed ref where a directory must go', ['branch', 'rendered'], 'refs/heads/rendered/eu', 'refs/heads/rendered exists', true],
    ['loose refs below the name', ['branch', 'team/x'], 'refs/heads/team', 'refs/heads/team/x exists'],
    ['packed refs below the name', ['branch', 'team/x'], 'refs/heads/team', 'refs/heads/team/x exists', true],
  ])('refuses %s, naming it, and changes nothing', (_what, setup, ref, message, pack = false) => {
    const { dir, a, b } = twoCommits();
    git(dir, setup);
    if (pack) git(dir, ['pack-refs', '--all']);
    git(dir, ['branch', 'other', a]);
    const err = failsCleanly(dir, [{ ref: 'refs/heads/other', expected: a, next: b }, { ref, expected: null, next: b }], 'RefConflict');
    expect(err.message).toContain(message);
  });

  it('refuses a directory holding any file where the ref goes', () => {
    const { dir, b } = twoCommits();
    mkdirSync(join(dir, '.git/refs/heads/team/deep'), { recursive: true });
    writeFileSync(join(dir, '.git/refs/heads/team/deep/junk'), 'x\n');
    expect(failsCleanly(dir, [{ ref: 'refs/heads/team', expected: null, next: b }], 'RefConflict').message).toContain('refs/heads/team/deep/junk exists');
  });

  it('removes an empty directory tree where the ref goes, as git does', () => {
    const { dir, b } = twoCommits();
    mkdirSync(join(dir, '.git/refs/heads/team/a/b'), { recursive: true });
    updateRefs(openRepo(dir), [{ ref: 'refs/heads/team', expected: null, next: b }]);
    expect(git(dir, ['rev-parse', 'team'])).toBe(b);
    git(dir, ['fsck', '--strict']);
  });
});

describe('updateRefs: failures before the commit point', () => {
  it('removes the locks, the directories it made and its journal when a check fails under the locks', () => {
    const { dir, a, b } = twoCommits();
    git(dir, ['branch', 'x', a]);
    git(dir, ['branch', 'y', a]);
    git(dir, ['branch', '-f', 'y', b]);
    const err = failsCleanly(dir, [
      { ref: 'refs/heads/x', expected: a, next: b },
      { ref: 'refs/heads/new/deep/branch', expected: null, next: b },
      { ref: 'refs/heads/y', expected: a, next: b },
    ], 'BranchMoved');
    expect(err.message).toMatch(new RegExp(`refs/heads/y moved from ${a.slice(0, 7)} to ${b.slice(0, 7)}`));
  });

  it('leaves everything as it was when the process fails once every lock is written', () => {
    const { dir, a, b } = twoCommits();
    git(dir, ['branch', 'out', a]);
    failsCleanly(dir, [{ ref: 'refs/heads/out', expected: a, next: b }, { ref: 'refs/heads/new/one', expected: null, next: b }], 'RefUpdateFailed', {
      beforeRename: () => {
        throw new Error('disk full');
      },
    });
  });

  it("reports someone else's lock with the file to remove, and never overwrites it", () => {
    const { dir, a, b } = twoCommits();
    git(dir, ['branch', 'out', a]);
    writeFileSync(join(dir, '.git/refs/heads/out.lock'), 'theirs\n');
    const err = failsCleanly(dir, [{ ref: 'refs/heads/new', expected: null, next: b }, { ref: 'refs/heads/out', expected: a, next: b }], 'RefLocked', { lockTimeoutMs: 50 });
    expect(err.message).toContain(`(${join(dir, '.git/refs/heads/out.lock')} exists); if no git process is running, remove that file`);
    expect(readFileSync(join(dir, '.git/refs/heads/out.lock'), 'utf8')).toBe('theirs\n');
  });
});

/** A journal as a process that is gone would have left it; returns the pid it names. */
function leaveJournal(dir: string, state: 'prepared' | 'committed', updates: RefUpdate[], pid = spawnSync('true').pid!): number {
  const body = { pid, host: hostname(), start: null, reflog: { policy: true, message: 'gitfed render: test' }, updates };
  writeFileSync(join(dir, '.git', `gitfed-txn-${pid}-abc.${state}`), JSON.stringify(body));
  return pid;
}

describe('updateRefs: a kill, finished by the next run', () => {
  it('rolls forward an update killed after its commit point: every ref ends new', () => {
    const { dir, a, b } = twoCommits();
    git(dir, ['branch', 'x', a]);
    git(dir, ['branch', 'y', a]);
    const updates = [{ ref: 'refs/notes/gitfed', expected: null, next: b }, { ref: 'refs/heads/x', expected: a, next: b }, { ref: 'refs/heads/y', expected: a, next: b }];
    const err = failure(() => updateRefs(openRepo(dir), updates, {
      afterRename: (ref) => {
        if (ref === 'refs/heads/x') throw new Error('killed');
      },
    }));
    expect(err.code).toBe('RefUpdateIncomplete');
    expect(err.message).toContain('stopped before refs/heads/y moved');
    // What a kill leaves: x moved, y still old and locked, the committed journal.
    expect(git(dir, ['rev-parse', 'x', 'y'])).toBe(`${b}\n${a}`);
    expect(journals(dir)).toEqual([expect.stringMatching(/\.committed$/)]);
    expect(() => git(dir, ['update-ref', 'refs/heads/y', a, a])).toThrow(/y\.lock/);

    expect(recoverRefUpdates(openRepo(dir))).toBe(1);
    expect(git(dir, ['rev-parse', 'x', 'y', 'refs/notes/gitfed'])).toBe(`${b}\n${b}\n${b}`);
    expect(journals(dir)).toEqual([]);
    expect(existsSync(join(dir, '.git/refs/heads/y.lock'))).toBe(false);
    git(dir, ['fsck', '--strict']);
  });

  it('rolls back an update killed before its commit point: its locks go, every ref stays old', () => {
    const { dir, a, b } = twoCommits();
    git(dir, ['branch', 'x', a]);
    const updates = [{ ref: 'refs/heads/x', expected: a, next: b }, { ref: 'refs/heads/z', expected: null, next: b }];
    leaveJournal(dir, 'prepared', updates);
    writeFileSync(join(dir, '.git/refs/heads/x.lock'), `${b}\n`);
    writeFileSync(join(dir, '.git/refs/heads/z.lock'), '');
    // The next update of any ref finishes it first, then does its own work.
    updateRefs(openRepo(dir), [{ ref: 'refs/heads/x', expected: a, next: b }]);
    expect(git(dir, ['rev-parse', 'x'])).toBe(b);
    expect(git(dir, ['for-each-ref', '--format=%(refname)', 'refs/heads/z'])).toBe('');
    expect(readdirSync(join(dir, '.git/refs/heads')).filter((f) => f.endsWith('.lock'))).toEqual([]);
    expect(journals(dir)).toEqual([]);
  });

  it("leaves a lock whose content is not the journal's: someone else took it since", () => {
    const { dir, a, b } = twoCommits();
    git(dir, ['branch', 'x', a]);
    leaveJournal(dir, 'committed', [{ ref: 'refs/heads/x', expected: a, next: b }]);
    writeFileSync(join(dir, '.git/refs/heads/x.lock'), `${a}\n`);
    recoverRefUpdates(openRepo(dir));
    expect(git(dir, ['rev-parse', 'x'])).toBe(a);
    expect(readFileSync(join(dir, '.git/refs/heads/x.lock'), 'utf8')).toBe(`${a}\n`);
  });

  it('does not touch the journal of a gitfed process that is alive, and names it when its lock is in the way', async () => {
    const { dir, a, b } = twoCommits();
    git(dir, ['branch', 'x', a]);
    const child = spawn('sleep', ['30']);
    onTestFinished(() => {
      child.kill('SIGKILL');
    });
    await new Promise((r) => child.once('spawn', r));
    const pid = leaveJournal(dir, 'prepared', [{ ref: 'refs/heads/x', expected: a, next: b }], child.pid!);
    writeFileSync(join(dir, '.git/refs/heads/x.lock'), `${b}\n`);
    expect(recoverRefUpdates(openRepo(dir))).toBe(0);
    const err = failure(() => updateRefs(openRepo(dir), [{ ref: 'refs/heads/x', expected: a, next: b }], { lockTimeoutMs: 50 }));
    expect(err.code).toBe('RefLocked');
    expect(err.message).toContain(`gitfed process ${pid} on ${hostname()} holds it`);
    expect(journals(dir)).toHaveLength(1);
  });
});

describe('updateRefs: reflogs', () => {
  it('logs branch and notes moves where git would (core.logAllRefUpdates, non-bare default), and fsck stays clean', () => {
    const { dir, a, b } = twoCommits();
    git(dir, ['branch', 'out', a]);
    updateRefs(openRepo(dir), [{ ref: 'refs/notes/gitfed', expected: null, next: b }, { ref: 'refs/heads/out', expected: a, next: b }], { reflog: { policy: true, message: 'gitfed render: abc1234: two' } });
    expect(git(dir, ['reflog', 'show', '--format=%H %gs', 'out'])).toBe(`${b} gitfed render: abc1234: two\n${a} branch: Created from ${a}`);
    expect(readFileSync(join(dir, '.git/logs/refs/notes/gitfed'), 'utf8')).toMatch(new RegExp(`^0{40} ${b} gitfed <gitfed@users.noreply.invalid> \\d+ \\+0000\\tgitfed render: abc1234: two\\n$`));
    git(dir, ['fsck', '--strict']);
  });

  it('writes no log in a bare repository unless the ref has one already', () => {
    const { dir, a, b } = twoCommits(true);
    updateRefs(openRepo(dir), [{ ref: 'refs/heads/main', expected: b, next: a }, { ref: 'refs/heads/new', expected: null, next: b }], { reflog: { policy: false, message: 'gitfed: push' } });
    expect(existsSync(join(dir, 'logs/refs/heads/new'))).toBe(false);
    expect(git(dir, ['rev-parse', 'main', 'new'])).toBe(`${a}\n${b}`);
  });
});
