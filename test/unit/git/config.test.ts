/**
 * The repository config reader against git itself: each document of a corpus (the shapes of
 * git's own t1300-config.sh: comments after headers and values, quoting, escapes, line
 * continuation, old-style subsections, a key on the header's line, case rules) is read by
 * `git config --file` and by parseGitConfig, and the two must agree on every key; what git
 * refuses, gitfed refuses with GitConfigInvalid and the line.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GitfedError } from '../../../src/errors.js';
import { parseGitConfig, readGitConfig } from '../../../src/git/config.js';

const dir = mkdtempSync(join(tmpdir(), 'gitfed-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ACCEPTED: Record<string, string> = {
  t1300: [
    '[section]',
    '\tpenguin = little blue',
    '\tMovie = BadPhysics',
    '\tUPPERCASE = true',
    '\tMixedCase = true',
    '[Cores]',
    '\tWhatEver = Second',
    '[beta] ; silly comment # another comment',
    'noIndent= sillyValue ; \'nother silly comment',
    '',
    '# empty line',
    '\t\t; comment',
    '\t\thaha   ="beta" # last silly comment',
    'haha = hello',
    '\thaha = bello',
    '[nextSection] noNewline = ouch',
    '',
  ].join('\n'),
  quoting: ['[q]', '\ta = "  two  spaces  "  ', '\tb = inner   \t spaces  kept as one each  ', '\tc = "semi;colon" and "#hash"', '\td = tab\\there\\nnewline \\\\ back \\" quote', '\te = x"y"z', ''].join('\n'),
  continuation: ['[alpha]', 'bar = foo', '[beta]', 'baz = multiple \\', 'lines', 'foo = bar', '[gamma]', '\tq = "quoted \\', 'across"', ''].join('\n'),
  subsections: ['[remote "origin"]', '\turl = https://example.com/Fleet.git', '[remote "Origin"]', '\turl = other', '[Section.SubSection]', '\tKey = old-style', '[branch "a\\"b\\\\c"]', '\tmerge = refs/heads/x', ''].join('\n'),
  booleans: ['[core]', '\tbare', '\tlogAllRefUpdates = always', '\tfilemode = false', ''].join('\n'),
  crlf: '[core]\r\n\trepositoryformatversion = 0\r\n\tname = value  \r\n',
  bom: '\ufeff[user]\n\tname = Somebody\n',
  'before any section': 'top = level\n[a]\n\tb = c\n',
};

const REFUSED: Record<string, { text: string; line: number }> = {
  'bad escape': { text: '[a]\n\tb = c\\d\n', line: 2 },
  'unclosed quote': { text: '[a]\n\tb = "c\n', line: 3 },
  'bad header': { text: '[a b]\n', line: 1 },
  'bad name': { text: '[a]\n\t1b = c\n', line: 2 },
};

function gitView(file: string): Map<string, string[]> | undefined {
  const r = spawnSync('git', ['config', '--file', file, '--list', '-z'], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const out = new Map<string, string[]>();
  for (const entry of r.stdout.split('\0').filter(Boolean)) {
    const nl = entry.indexOf('\n');
    const key = nl < 0 ? entry : entry.slice(0, nl);
    // --list -z prints a bare name without its newline; git reads it as true.
    const value = nl < 0 ? 'true' : entry.slice(nl + 1);
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}

function ours(text: string): Map<string, string[]> {
  return new Map([...parseGitConfig(text)].map(([k, vs]) => [k, vs.map((v) => (v === true ? 'true' : v))]));
}

const hasGit = spawnSync('git', ['--version']).status === 0;

describe.skipIf(!hasGit)('git config as git reads it', () => {
  for (const [name, text] of Object.entries(ACCEPTED)) {
    it(`reads "${name}" as git does`, () => {
      const file = join(dir, name);
      writeFileSync(file, text);
      const expected = gitView(file);
      expect(expected).toBeDefined();
      expect(ours(text)).toEqual(expected);
    });
  }

  for (const [name, { text, line }] of Object.entries(REFUSED)) {
    it(`refuses "${name}" as git does, naming the line`, () => {
      const file = join(dir, name.replace(/ /g, '-'));
      writeFileSync(file, text);
      expect(gitView(file)).toBeUndefined();
      let err: unknown;
      try {
        parseGitConfig(text, file);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(GitfedError);
      expect((err as GitfedError).code).toBe('GitConfigInvalid');
      expect((err as GitfedError).message).toContain(`${file}:${line}`);
    });
  }
});

describe('readGitConfig', () => {
  it('finds a key case-insensitively in section and name, exactly in the subsection, last value winning', () => {
    const repo = join(dir, 'repo');
    execFileSync('git', ['init', '-q', repo]);
    writeFileSync(join(repo, '.git', 'config'), ACCEPTED.subsections! + '[remote "origin"]\n\tURL = https://example.com/second.git\n' + ACCEPTED.booleans!);
    const gitdir = join(repo, '.git');
    expect(readGitConfig(gitdir, 'remote.origin.url')).toBe('https://example.com/second.git');
    expect(readGitConfig(gitdir, 'REMOTE.origin.Url')).toBe('https://example.com/second.git');
    expect(readGitConfig(gitdir, 'remote.ORIGIN.url')).toBeUndefined();
    expect(readGitConfig(gitdir, 'remote.Origin.url')).toBe('other');
    expect(readGitConfig(gitdir, 'core.bare')).toBe(true);
    expect(readGitConfig(gitdir, 'core.logallrefupdates')).toBe('always');
    expect(readGitConfig(join(dir, 'nowhere'), 'core.bare')).toBeUndefined();
  });
});
