/**
 * Paths inside an output branch: the guard every writer calls, directory templates, case-folded clashes.
 */
import { describe, expect, it } from 'vitest';
import { GitfedError } from '../../src/errors.js';
import { assertTreePath, clashes, dirTemplateProblem, foldCase, normalizeDir, treePathProblem } from '../../src/render/paths.js';

describe('treePathProblem: the guard of the git tree builder and the preview writer', () => {
  it.each(['clusters/a/app/configmap-x.yaml', 'gitfed.metadata', '.gitattributes', 'a/.github/x', 'a/.gitx/y', 'a/git/b', 'a/..b/c', 'a/b..'])('accepts %j', (p) => {
    expect(treePathProblem(p)).toBeUndefined();
  });
  it.each([
    ['', 'empty'], ['/etc/passwd', 'absolute'], ['C:/x', 'drive letter'], ['c:x', 'drive letter'],
    ['../x', '".." segment'], ['a/../../x', '".." segment'], ['a/./x', '"." segment'], ['a//x', 'empty segment'], ['a/', 'empty segment'],
    ['.git/config', 'git reserves'], ['a/.GIT/hooks/x', 'git reserves'], ['a/.git./x', 'git reserves'], ['a/.git /x', 'git reserves'],
    ['a/GIT~1/x', 'git reserves'], ['a/.g\u200cit/x', 'git reserves'], ['a/.Git\ufeff/x', 'git reserves'],
    ['a\\..\\x', 'backslash'], ['a/b\0c', 'control character'], ['a/b\nc', 'control character'],
    [`a/${'x'.repeat(256)}`, 'longer than 255 bytes'], [`a/${'é'.repeat(128)}`, 'longer than 255 bytes'],
  ])('refuses %j (%s)', (p, why) => {
    expect(treePathProblem(p)).toContain(why);
  });
  it('throws a GitfedError naming the path, for writers outside render', () => {
    expect(() => assertTreePath('../../etc/passwd')).toThrow(GitfedError);
    expect(() => assertTreePath('../../etc/passwd')).toThrow(/refusing to write "..\/..\/etc\/passwd"/);
    expect(() => assertTreePath('clusters/a/x.yaml')).not.toThrow();
  });
});

describe('directory templates', () => {
  it.each(['clusters/{cluster}', '{cluster}', 'out/{cluster}/manifests', './a/{cluster}/', 'x-{cluster}-y', 'deploy/{cluster}/{cluster}'])('accepts %j', (t) => {
    expect(dirTemplateProblem(t)).toBeUndefined();
  });
  it.each([
    ['clusters', 'must contain {cluster}'], ['../{cluster}', '".."'], ['/abs/{cluster}', 'absolute'], ['.git/{cluster}', 'git reserves'],
    ['x/.GIT/{cluster}', 'git reserves'], ['{cluster}/../..', '".."'], ['a//{cluster}', 'empty segment'], ['a/./{cluster}', '"."'],
    ['gitfed.metadata/{cluster}', 'gitfed.metadata'], ['GITFED.METADATA/{cluster}', 'GITFED.METADATA'], ['.gitattributes/{cluster}', '.gitattributes'],
    ['..\\{cluster}', 'backslash'], ['{cluster}/{name}', 'placeholder'], ['{clusters}/{cluster}', 'placeholder'], ['{cluster}}', 'placeholder'],
    ['C:/{cluster}', 'drive letter'], [`${'d'.repeat(256)}/{cluster}`, '255 bytes'],
  ])('refuses %j', (t, why) => {
    expect(dirTemplateProblem(t)).toContain(why);
  });
  it('makes the spellings of one directory one', () => {
    expect(normalizeDir('./out/{cluster}/')).toBe('out/{cluster}');
    expect(normalizeDir('././out/{cluster}//')).toBe('out/{cluster}');
  });
});

describe('clashes on a case-insensitive checkout', () => {
  const paths = (xs: string[]) => clashes(xs, (x) => x).map((c) => [c.first, c.second, c.how]);
  it('finds the same path, the same but for case, and nesting', () => {
    expect(paths(['a/b', 'a/b'])).toEqual([['a/b', 'a/b', 'same']]);
    expect(paths(['a/Web.yaml', 'a/web.yaml'])).toEqual([['a/Web.yaml', 'a/web.yaml', 'case']]);
    expect(paths(['clusters/a', 'clusters/a/b'])).toEqual([['clusters/a', 'clusters/a/b', 'nested']]);
    expect(paths(['Clusters/a', 'clusters/a/b'])).toEqual([['Clusters/a', 'clusters/a/b', 'nested']]);
    expect(paths(['clusters/a', 'clusters/ab', 'clusters/a-b'])).toEqual([]);
  });
  it('folds Unicode case and normalisation as macOS does', () => {
    expect(foldCase('ÉTÉ')).toBe(foldCase('été'));
    expect(foldCase('e\u0301t\u00e9')).toBe(foldCase('\u00e9t\u00e9'));
    expect(paths(['x/\u00c5', 'x/a\u030a'])).toEqual([['x/\u00c5', 'x/a\u030a', 'case']]);
  });
  it('skips the nesting pass when told the paths are files', () => {
    expect(clashes(['a', 'a/b'], (x) => x, { nesting: false })).toEqual([]);
  });
});
