/**
 * Output branch names against git's own test vectors (t/t1402-check-ref-format.sh), and against
 * native `git check-ref-format` itself on every vector, so the rules cannot drift from git's.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { branchConflict, branchNameProblem } from '../../src/git/branch-names.js';

// As the part after refs/heads/: one-level names are fine, refspec patterns are not.
const VALID = ['foo', 'foo/bar', 'foo/bar/baz', 'foo./bar', 'heads/foo@bar', 'heads/fu\u00df', 'rendered', 'rendered/eu', 'a{b}', 'x.lockx', 'lock'];
const INVALID = ['', '/', 'refs///heads/foo', 'heads/foo/', '/heads/foo', '///heads/foo', './foo', './foo/bar', 'foo/./bar', 'foo/bar/.',
  '.refs/foo', 'refs/heads/foo.', 'heads/foo..bar', 'heads/foo?bar', 'heads/foo.lock', 'heads///foo.lock', 'foo.lock/bar',
  'foo.lock///bar', 'heads/v@{ation', 'heads/foo\\bar', 'heads/foo\t', 'heads/foo\x7f', 'foo/*', '*/foo', 'foo/*/bar', '*', '/foo',
  '../x', 'a..b', 'x.lock', 'a@{1}', 'a b', 'a~1', 'a^2', 'a:b', 'a[b', 'a\0b'];

/** What native git says of refs/heads/<name>; NUL cannot be passed to a process at all. */
function gitAccepts(name: string): boolean {
  try {
    execFileSync('git', ['check-ref-format', `refs/heads/${name}`], { stdio: 'ignore', env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
    return true;
  } catch {
    return false;
  }
}

describe('branch names by git check-ref-format', () => {
  it.each(VALID)('accepts %j', (b) => expect(branchNameProblem(b)).toBeUndefined());
  it.each(INVALID)('refuses %j', (b) => expect(branchNameProblem(b)).toBeDefined());

  it('agrees with native git on every vector', () => {
    for (const b of [...VALID, ...INVALID].filter((v) => !v.includes('\0'))) expect(branchNameProblem(b) === undefined, JSON.stringify(b)).toBe(gitAccepts(b));
  });

  it('refuses what `git check-ref-format --branch` and the file system refuse besides', () => {
    expect(branchNameProblem('-naster')).toMatch(/start with '-'/);
    expect(branchNameProblem('@')).toBeDefined();
    expect(branchNameProblem('HEAD')).toBeDefined();
    expect(branchNameProblem(`fleet/${'a'.repeat(250)}`)).toBeUndefined();
    expect(branchNameProblem(`fleet/${'a'.repeat(251)}`)).toMatch(/longer than 250 bytes/);
  });
});

describe('branches one repository cannot hold together', () => {
  it('refuses nesting and case-only differences, allows one branch twice and siblings', () => {
    expect(branchConflict('rendered', 'rendered/eu')).toMatch(/nest/);
    expect(branchConflict('rendered/eu', 'rendered')).toMatch(/nest/);
    expect(branchConflict('Rendered', 'rendered')).toMatch(/only in case/);
    expect(branchConflict('Fleet', 'fleet/eu')).toMatch(/nest/);
    expect(branchConflict('rendered', 'rendered')).toBeUndefined();
    expect(branchConflict('rendered', 'rendered-eu')).toBeUndefined();
    expect(branchConflict('fleet/a', 'fleet/b')).toBeUndefined();
  });
});
