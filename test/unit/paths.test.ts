/**
 * Paths inside an output branch: the guard every writer calls, directory templates, case-folded
 * clashes, and the file names objects get (encoding and the 255-byte limit).
 */
import { describe, expect, it } from 'vitest';
import { GitfedError } from '../../src/errors.js';
import { fileNameOf, fitFileName, MAX_FILE_NAME } from '../../src/render/keys.js';
import { assertTreePath, clashes, dirTemplateProblem, foldCase, normalizeDir, treePathProblem } from '../../src/render/paths.js';
import type { KubeObject } from '../../src/object.js';

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

const obj = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => ({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } });

describe('fileNameOf', () => {
  it('keeps the names of valid objects as they always were', () => {
    expect(fileNameOf(obj('apps/v1', 'Deployment', 'web', 'shop'))).toBe('shop/deployment.apps-web.yaml');
    expect(fileNameOf(obj('v1', 'Namespace', 'shop'))).toBe('_cluster/namespace-shop.yaml');
    expect(fileNameOf(obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'system:aggregate-to-view'))).toBe('_cluster/clusterrole.rbac.authorization.k8s.io-system%3Aaggregate-to-view.yaml');
  });
  it('never leaves the cluster directory, whatever the identity', () => {
    for (const o of [
      obj('v1', '../../../x', 'y', 'app'), obj('../../v1', 'ConfigMap', 'y', 'app'), obj('v1', 'ConfigMap', '../../../etc/passwd', 'app'),
      obj('v1', 'ConfigMap', 'y', '..'), obj('v1', 'ConfigMap', 'y', '../../x'), obj('v1', 'ConfigMap', 'a\0b', 'app'), obj('v1', '.git', 'x'),
      obj('v1', 'ConfigMap', 'y', '.git'), obj('v1', 'ConfigMap', 'y', '.'),
    ]) {
      const name = fileNameOf(o);
      expect(name.split('/'), name).toHaveLength(2);
      expect(treePathProblem(name), name).toBeUndefined();
    }
  });
  it('encodes each UTF-8 byte, so different names stay different files', () => {
    expect(fileNameOf(obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'café'))).toBe('_cluster/clusterrole.rbac.authorization.k8s.io-caf%C3%A9.yaml');
    // Two names the old per-UTF-16-unit encoding gave one file: U+20AC and " AC".
    expect(fileNameOf(obj('rbac.authorization.k8s.io/v1', 'ClusterRole', '\u20ac'))).not.toBe(fileNameOf(obj('rbac.authorization.k8s.io/v1', 'ClusterRole', ' AC')));
  });

  it('shortens a name past 255 bytes to its start and a hash, the same way every time', () => {
    const long = 'r'.repeat(300);
    const name = fileNameOf(obj('rbac.authorization.k8s.io/v1', 'ClusterRole', long)).split('/')[1]!;
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_FILE_NAME);
    expect(name).toMatch(/^clusterrole\.rbac\.authorization\.k8s\.io-r+-[0-9a-f]{16}\.yaml$/);
    expect(fileNameOf(obj('rbac.authorization.k8s.io/v1', 'ClusterRole', long)).split('/')[1]).toBe(name);
    const sibling = fileNameOf(obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'r'.repeat(299) + 's')).split('/')[1]!;
    expect(sibling).not.toBe(name);
    expect(sibling.slice(0, -22)).toBe(name.slice(0, -22));
  });
  it('leaves a name of exactly 255 bytes whole and cuts before a partial escape', () => {
    expect(fitFileName('a'.repeat(250), '.yaml')).toBe('a'.repeat(250) + '.yaml');
    expect(fitFileName('a'.repeat(251), '.yaml')).toMatch(/^a{233}-[0-9a-f]{16}\.yaml$/);
    // 233 characters are kept: "%" or "%C" at the cut goes, a whole "%C3" stays.
    expect(fitFileName('a'.repeat(232) + '%C3%A9'.repeat(10), '.yaml')).toMatch(/^a{232}-[0-9a-f]{16}\.yaml$/);
    expect(fitFileName('a'.repeat(231) + '%C3%A9'.repeat(10), '.yaml')).toMatch(/^a{231}-[0-9a-f]{16}\.yaml$/);
    expect(fitFileName('a'.repeat(230) + '%C3%A9'.repeat(10), '.yaml')).toMatch(/^a{230}%C3-[0-9a-f]{16}\.yaml$/);
  });
});
