/**
 * The identity string rules against the vectors of apimachinery's own tests
 * (pkg/util/validation/validation_test.go, pkg/api/validation/path/name_test.go).
 */
import { describe, expect, it } from 'vitest';
import { apiVersionProblems, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isKind, isLabelValue, isPathSegmentName, isQualifiedName } from '../../src/render/names.js';

const r = (c: string, n: number) => c.repeat(n);

function table(check: (v: string) => string[], good: string[], bad: string[]): void {
  it.each(good.map((v) => [JSON.stringify(v).slice(0, 40), v]))('accepts %s', (_, v) => expect(check(v)).toEqual([]));
  it.each(bad.map((v) => [JSON.stringify(v).slice(0, 40), v]))('refuses %s', (_, v) => expect(check(v).length).toBeGreaterThan(0));
}

describe('DNS-1123 label', () => {
  table(isDNS1123Label,
    ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', r('a', 63)],
    ['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
      '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', r('a', 64)]);
});

describe('DNS-1123 subdomain', () => {
  table(isDNS1123Subdomain,
    ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2',
      'a.a', 'ab.a', 'abc.a', 'a1.a', 'a-1.a', 'a--1--2--b.a', 'a.1', 'ab.1', 'abc.1', 'a1.1', 'a-1.1', 'a--1--2--b.1',
      '0.a', '01.a', '012.a', '1a.a', '1-a.a', '0.1', '01.1', '012.1', '1a.1', '1-a.1', '1--a--b--2.1',
      'a.b.c.d.e', 'aa.bb.cc.dd.ee', '1.2.3.4.5', '11.22.33.44.55', r('a', 253)],
    ['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
      '.', 'a.', '.a', 'a..b', '1.', '.1', '1..2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2',
      'A.a', 'aB.a', 'ab.A', 'A1.a', 'a1.A', 'A.1', 'aB.1', 'A1.1', '1A.1', '0.A', '01.A', '012.A', '1A.a', '1a.A',
      'A.B.C.D.E', 'AA.BB.CC.DD.EE', 'a.B.c.d.e', 'aa.bB.cc.dd.ee', 'a@b', 'a,b', 'a_b', 'a;b', 'a:b', 'a%b', 'a?b', 'a$b',
      r('a', 254),
      // gitfed's own: what a write outside the output would need.
      '..', '../x', 'a/b', 'a\0b', 'café']);
});

describe('DNS-1035 label', () => {
  table(isDNS1035Label,
    ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', r('a', 63)],
    ['0', '01', '012', '1a', '1-a', '1--a--b--2', '', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1',
      '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2', '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', r('a', 64)]);
});

describe('qualified names (label keys)', () => {
  table(isQualifiedName,
    ['simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple', 'now-with-dashes/now-with-dashes',
      'now.with.dots/simple', 'now-with.dashes-and.dots/simple', '1-num.2-num/3-num', '1234/5678', '1.2.3.4/5678', 'Uppercase_Is_OK_123',
      'example.com/Uppercase_Is_OK_123', 'requests.storage-foo', r('a', 63), r('a', 253) + '/' + r('b', 63)],
    ['nospecialchars%^=@', 'cantendwithadash-', '-cantstartwithadash-', 'only/one/slash', 'Example.com/abc', 'example_com/abc',
      'example.com/', '/simple', r('a', 64), r('a', 254) + '/abc']);
});

describe('label values', () => {
  table(isLabelValue,
    ['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', r('a', 63), ''],
    ['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash', 'ends-with-dash-',
      '.starts.with.dot', 'ends.with.dot.', r('a', 64)]);
});

describe('path segment names (RBAC)', () => {
  table(isPathSegmentName,
    ['foo.bar.baz', 'sha256:ABCDEF012345@ABCDEF012345', 'Iñtërnâtiônàlizætiøn', '.test', '..test', 'system:Controller_x'],
    ['.', '..', 'foo/bar', 'foo%bar']);
  it('names every problem, as apimachinery does', () => {
    expect(isPathSegmentName('foo//bar%')).toEqual(["may not contain '/'", "may not contain '%'"]);
    expect(isPathSegmentName('..')).toEqual(["may not be '..'"]);
  });
});

describe('kinds and apiVersions', () => {
  table(isKind, ['Deployment', 'ClusterRole', 'X', 'V1Thing'], ['', '../../x', 'Kind/x', 'Con.fig', '1Kind', 'My-Kind', 'Ünicode', r('K', 64)]);
  table(apiVersionProblems, ['v1', 'apps/v1', 'rbac.authorization.k8s.io/v1', 'example.com-x/v1beta1'],
    ['', '/v1', 'apps/', '../../x/v1', 'Example.COM/v1', '../v1', 'example.com/..', 'example.com/v1/x', 'example.com/1']);
});
