/**
 * gitfed reads YAML as kubectl (sigs.k8s.io/yaml over go-yaml v2) does. The vectors of the first
 * tables are go-yaml v2.4's own (decode_test.go: unmarshalTests into interface{}, unmarshalErrorTests,
 * mergeTests), seen through sigs.k8s.io/yaml's conversion to JSON; the rest pin the corners of
 * resolve.go that kubectl was seen to take (test/e2e/yaml-meaning.test.ts checks them against it).
 */
import jsyaml from 'js-yaml';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readDocuments } from '../../src/yaml/documents.js';
import { EDIT_YAML_OPTIONS, KUBE_YAML_SCHEMA } from '../../src/yaml-schema.js';
import { goFloatKey, resolvePlain } from '../../src/yaml/resolve.js';

/** The one document of `text`, or the first error's code and line. */
function read(text: string): unknown {
  const r = readDocuments('t.yaml', text);
  if (r.errors.length > 0) return { error: r.errors[0]!.code, line: r.errors[0]!.line };
  return r.docs[0]?.value ?? null;
}

describe('go-yaml v2 decode_test.go: unmarshalTests into interface{}', () => {
  const vectors: [string, unknown][] = [
    ['v: hi', { v: 'hi' }],
    ['v: true', { v: true }],
    ['v: 10', { v: 10 }],
    ['v: 0b10', { v: 2 }],
    ['v: 0xA', { v: 10 }],
    ['v: 4294967296', { v: 4294967296 }],
    ['v: 0.1', { v: 0.1 }],
    ['v: .1', { v: 0.1 }],
    ['v: -10', { v: -10 }],
    ['v: -.1', { v: -0.1 }],
    ['canonical: 6.8523e+5', { canonical: 6.8523e5 }],
    ['expo: 685.230_15e+03', { expo: 685.23015e3 }],
    ['fixed: 685_230.15', { fixed: 685230.15 }],
    ['canonical: y', { canonical: true }],
    ['answer: NO', { answer: false }],
    ['logical: True', { logical: true }],
    ['option: on', { option: true }],
    ['canonical: 685230', { canonical: 685230 }],
    ['decimal: +685_230', { decimal: 685230 }],
    ['octal: 02472256', { octal: 685230 }],
    ['hexa: 0x_0A_74_AE', { hexa: 685230 }],
    ['bin: 0b1010_0111_0100_1010_1110', { bin: 685230 }],
    ['bin: -0b101010', { bin: -42 }],
    ['empty:', { empty: null }],
    ['canonical: ~', { canonical: null }],
    ['english: null', { english: null }],
    ['seq: [A,B]', { seq: ['A', 'B'] }],
    ['seq: [A,1,C]', { seq: ['A', 1, 'C'] }],
    ['seq:\n - A\n - 1\n - C', { seq: ['A', 1, 'C'] }],
    ['scalar: | # Comment\n\n literal\n\n \ttext\n\n', { scalar: '\nliteral\n\n\ttext\n' }],
    ['scalar: > # Comment\n\n folded\n line\n \n next\n line\n  * one\n  * two\n\n last\n line\n\n', { scalar: '\nfolded line\nnext line\n * one\n * two\n\nlast line\n' }],
    ['a: {b: c}', { a: { b: 'c' } }],
    ['a: 1.0', { a: 1 }],
    ["'1': '\"2\"'", { '1': '"2"' }],
    ["v:\n- A\n- 'B\n\n  C'\n", { v: ['A', 'B\nC'] }],
    ["v: !!float '1.1'", { v: 1.1 }],
    ['v: !!float 0', { v: 0 }],
    ['v: !!float -1', { v: -1 }],
    ["v: !!null ''", { v: null }],
    ['v: ! test', { v: 'test' }],
    ['a: &x 1\nb: &y 2\nc: *x\nd: *y\n', { a: 1, b: 2, c: 1, d: 2 }],
    ['a: &a {c: 1}\nb: *a', { a: { c: 1 }, b: { c: 1 } }],
    ["foo: ''", { foo: '' }],
    ['a: -b_c', { a: '-b_c' }],
    ['a: +b_c', { a: '+b_c' }],
    ['a: 50cent_of_dollar', { a: '50cent_of_dollar' }],
    ['a: {b: https://github.com/go-yaml/yaml}', { a: { b: 'https://github.com/go-yaml/yaml' } }],
    ['a: [https://github.com/go-yaml/yaml]', { a: ['https://github.com/go-yaml/yaml'] }],
    ['a: 3s', { a: '3s' }],
    ['a: <foo>', { a: '<foo>' }],
    ['a: 1:1\n', { a: '1:1' }],
    ['a: 1.2.3.4\n', { a: '1.2.3.4' }],
    ['a: 2015-02-24T18:19:39Z\n', { a: '2015-02-24T18:19:39Z' }],
    ['a: 2015-01-01\n', { a: '2015-01-01' }],
    ['a: 2015-2-3T3:4:5Z', { a: '2015-2-3T3:4:5Z' }],
    ['a: 2015-02-24 18:19:39\n', { a: '2015-02-24 18:19:39' }],
    ['a: !!str 2015-01-01', { a: '2015-01-01' }],
    ['a: !!timestamp "2015-01-01"', { a: '2015-01-01' }],
    ['a: !!timestamp 2015-01-01', { a: '2015-01-01' }],
    ['a: "2015-01-01"', { a: '2015-01-01' }],
    ['a: 123456e1\n', { a: 1234560 }],
    ['a: 123456E1\n', { a: 1234560 }],
    ['First occurrence: &anchor Foo\nSecond occurrence: *anchor\nOverride anchor: &anchor Bar\nReuse anchor: *anchor\n', { 'First occurrence': 'Foo', 'Second occurrence': 'Foo', 'Override anchor': 'Bar', 'Reuse anchor': 'Bar' }],
    ['a:\n  b\nb:\n  ? a\n  : a', { a: 'b', b: { a: 'a' } }],
    ['a: !!binary gIGC\n', { error: 'YAMLValue', line: 1 }], // bytes 80 81 82 are no UTF-8 text: kubectl would send U+FFFD
    [`a: !!binary |\n  ${'aGVsbG8g'.repeat(9)}d29y\n  bGQ=\n`, { a: `${'hello '.repeat(9)}world` }],
  ];
  for (const [text, want] of vectors) it(JSON.stringify(text), () => expect(read(text)).toEqual(want));

  it('keeps every digit of an int64 key, refuses an int64 value a double cannot hold', () => {
    expect(read('9223372036854775807: a')).toEqual({ '9223372036854775807': 'a' });
    expect(read('int64_max: 9223372036854775807')).toEqual({ error: 'YAMLValue', line: 1 });
    expect(read('int64_min: -9223372036854775808')).toEqual({ error: 'YAMLValue', line: 1 });
  });
  it('reads a uint64 or a larger integer as the double kubectl sends', () => {
    expect(read('uint64_max: 18446744073709551615')).toEqual({ uint64_max: 18446744073709551615 });
    expect(read('uint64_max_base2: 0b1111111111111111111111111111111111111111111111111111111111111111')).toEqual({ uint64_max_base2: 18446744073709551615 });
    expect(read('float64_maxuint64+1: 18446744073709551616')).toEqual({ 'float64_maxuint64+1': 18446744073709551616 });
    expect(read('float64_max: 1.797693134862315708145274237317043567981e+308')).toEqual({ float64_max: Number.MAX_VALUE });
    expect(read('float64_nonzero: 4.940656458412465441765687928682213723651e-324')).toEqual({ float64_nonzero: Number.MIN_VALUE });
  });
  it('refuses .inf and .nan, which have no JSON form', () => {
    for (const v of ['.Inf', '-.Inf', '.NaN', 'neginf: -.inf']) expect(read(v.includes(':') ? v : `v: ${v}`)).toEqual({ error: 'YAMLValue', line: 1 });
  });
  it('refuses a null key, as sigs.k8s.io/yaml does', () => {
    expect(read('~: null key')).toEqual({ error: 'YAMLKey', line: 1 });
  });
  it('refuses an alias of a mapping or a list as a key, wherever the alias stands', () => {
    const anchors = 'm: &m {x: 1}\nl: &l [1]\n';
    expect(read(anchors + '*m : v\n')).toEqual({ error: 'YAMLKey', line: 3 });
    expect(read(anchors + 'n:\n  *l : v\n')).toEqual({ error: 'YAMLKey', line: 4 });
    expect(read(anchors + 'n: {a: 1,*m : v}\n')).toEqual({ error: 'YAMLKey', line: 3 });
    expect(read(anchors + 'n: [{*l : v}]\n')).toEqual({ error: 'YAMLKey', line: 3 });
  });
  it('reads a quoted * key, an RSP\'s every-cluster weight, as the string it is', () => {
    expect(read("clusters:\n  '*':\n    weight: 1\n  \"*x\" : 2\n")).toEqual({ clusters: { '*': { weight: 1 }, '*x': 2 } });
  });
});

describe('go-yaml v2 decode_test.go: unmarshalErrorTests', () => {
  const vectors: [string, string][] = [
    ["v: !!float 'error'", 'YAMLSyntax'],
    ['v: [A,', 'YAMLSyntax'],
    ['v:\n- [A,', 'YAMLSyntax'],
    ['a: *b\n', 'YAMLSyntax'],
    ['a: &a\n  b: *a\n', 'AliasCycle'],
    ['a: &x null\n<<:\n- *x\nb: &x {}\n', 'YAMLMerge'],
    ['value: -', 'YAMLSyntax'],
    ['a: !!binary ==', 'YAMLSyntax'],
    ['{[.]}', 'YAMLKey'],
    ['{{.}}', 'YAMLKey'],
    ['b: *a\na: &a {c: 1}', 'YAMLSyntax'],
    ['a:\n  1:\nb\n  2:', 'YAMLSyntax'],
    [['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((k, i, ks) => `${k}: &${k} [${i === 0 ? Array(9).fill('00').join(',') : Array(9).fill(`*${ks[i - 1]}`).join(',')}]\n`).join(''), 'AliasExpansion'],
  ];
  for (const [text, code] of vectors) it(JSON.stringify(text).slice(0, 60), () => expect((read(text) as { error?: string }).error).toBe(code));
});

describe('go-yaml v2 decode_test.go: mergeTests', () => {
  const anchors = 'anchors:\n  list:\n    - &CENTER { "x": 1, "y": 2 }\n    - &LEFT   { "x": 0, "y": 2 }\n    - &BIG    { "r": 10 }\n    - &SMALL  { "r": 1 }\n';
  const want = { x: 1, y: 2, r: 10, label: 'center/big' };
  const cases: Record<string, string> = {
    plain: '"x": 1\n  "y": 2\n  "r": 10\n  label: center/big',
    mergeOne: '<< : *CENTER\n  "r": 10\n  label: center/big',
    mergeMultiple: '<< : [ *CENTER, *BIG ]\n  label: center/big',
    override: '<< : [ *BIG, *LEFT, *SMALL ]\n  "x": 1\n  label: center/big',
    inlineMap: '<< : {"x": 1, "y": 2, "r": 10}\n  label: center/big',
    inlineSequenceMap: '<< : [ *CENTER, {"r": 10} ]\n  label: center/big',
  };
  for (const [name, body] of Object.entries(cases)) {
    it(name, () => expect((read(`${anchors}${name}:\n  ${body}\n`) as Record<string, unknown>)[name]).toEqual(want));
  }
  it('refuses the explicit !!merge tag, which js-yaml would merge its own way', () => {
    expect(read(`${anchors}shortTag:\n  !!merge "<<" : [ *CENTER, *BIG ]\n`)).toMatchObject({ error: 'YAMLSyntax' });
    expect(read(`${anchors}longTag:\n  !<tag:yaml.org,2002:merge> "<<" : [ *CENTER, *BIG ]\n`)).toMatchObject({ error: 'YAMLSyntax' });
  });
  it('lets a merge overwrite the keys before it, as go-yaml does (js-yaml alone would not)', () => {
    expect(read('a: 1\n<<: {a: 2, b: 3}\n')).toEqual({ a: 2, b: 3 });
    expect(read('<<: {a: 2, b: 3}\na: 1\n')).toEqual({ a: 1, b: 3 });
    expect(read('b: &b {x: 1}\nc:\n  <<: *b\n  <<: {x: 2}\n')).toEqual({ b: { x: 1 }, c: { x: 2 } });
    expect(read('"<<": {a: 1}\n')).toEqual({ '<<': { a: 1 } });
    expect(read('- <<\n')).toEqual(['<<']);
  });
  it('refuses a numeric key both written and merged, whose order a JS object loses', () => {
    expect(read('1: a\n<<: {1: b}\n')).toEqual({ error: 'YAMLMerge', line: 1 });
  });
});

describe("resolve.go's corners", () => {
  const vectors: [string, unknown][] = [
    ['0755', 493], ['0o17', 15], ['0O17', 15], ['0X1F', 31], ['0B11', 3], ['+0x10', 16], ['-0x10', -16],
    ['08', 8], ['09.5', 9.5], ['0o8', '0o8'], ['0x', '0x'], ['0b', '0b'], ['0b2', '0b2'],
    ['0b-101', -5], ['0b+101', 5], ['-0b-101', '-0b-101'],
    ['1_', 1], ['1__0', 10], ['+_1', 1], ['_1', '_1'], ['0_x1F', 31],
    ['1e3', 1000], ['1.', 1], ['-1.', -1], ['+.5', 0.5], ['.5_0', 0.5], ['.5__0', '.5__0'], ['._5', '._5'], ['.', '.'], ['.e5', '.e5'],
    ['1e400', '1e400'], ['-1e400', '-1e400'], ['.5e400', '.5e400'], ['1e-400', 0],
    ['0x10000000000000000', '0x10000000000000000'], ['-0x8000000000000001', '-0x8000000000000001'], ['+9223372036854775808', 9223372036854775808],
    ['0x1p-2', '0x1p-2'], ['Infinity', 'Infinity'], ['nan', 'nan'], ['.iNF', '.iNF'],
    ['yes', true], ['Yes', true], ['YES', true], ['yES', 'yES'], ['Y', true], ['n', false], ['N', false], ['Off', false], ['oFF', 'oFF'], ['TRUE', true], ['tRUE', 'tRUE'],
    ['Null', null], ['NULL', null], ['nULL', 'nULL'], ['~', null],
    ['1:30', '1:30'], ['190:20:30.15', '190:20:30.15'], ['2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00'], ['2001-13-14', '2001-13-14'],
    ['-a', '-a'], ['+', '+'], ['-0', 0], ['-0.0', -0],
  ];
  for (const [text, want] of vectors) {
    it(`${text} is ${JSON.stringify(want)}`, () => expect((read(`v: ${text}\n`) as { v: unknown }).v).toEqual(want));
  }

  it('makes keys as sigs.k8s.io/yaml writes them into JSON', () => {
    expect(read('0x10: a\n1.5: b\n1e6: c\n3.14159265358979: d\ntrue: e\nno: f\n.inf: g\n-0.0: h\n16777217.0: i\n1e-7: j\n')).toEqual({
      '16': 'a', '1.5': 'b', '1e+06': 'c', '3.1415927': 'd', true: 'e', false: 'f', '.inf': 'g', '-0': 'h', '1.6777216e+07': 'i', '1e-07': 'j',
    });
    expect(read('18446744073709551615: a\n')).toEqual({ error: 'YAMLKey', line: 1 });
    expect(read('yes: a\ntrue: b\n')).toEqual({ error: 'YAMLSyntax', line: 2 });
  });

  it('formats float keys as strconv.FormatFloat(f, g, -1, 32)', () => {
    const cases: [number, string][] = [[1, '1'], [0.1, '0.1'], [123456, '123456'], [1234567, '1.234567e+06'], [1e21, '1e+21'], [1e-5, '1e-05'], [0.0001, '0.0001'], [-2.5, '-2.5'], [1e39, '.inf'], [NaN, '.nan']];
    for (const [f, s] of cases) expect(goFloatKey(f)).toBe(s);
  });

  it('ignores tags it does not know, as go-yaml does', () => {
    expect(read('a: !foo 12\nb: !foo {x: 1}\nc: !!str {x: 1}\nd: !!set {x}\ne: !!map [1]\n')).toEqual({ a: '12', b: { x: 1 }, c: { x: 1 }, d: { x: null }, e: [1] });
  });
});

describe('writing and editing with the same schema', () => {
  const strings = ['yes', 'no', 'on', 'y', 'N', '0755', '08', '0o17', '1_', '1_000', '-.5', '+.5', '.5', '1:30', '2001-12-14', '<<', '~', 'null', '', '0x1F', '0b-101', '1e3', 'true', '1.', '+_1', '.inf', '=', '-', '0b', 'plain'];

  it('quotes every string kubectl would read as something else, so a written string reads back as itself', () => {
    const obj = { s: strings, k: Object.fromEntries(strings.filter((s) => s !== '<<').map((s) => [s, s])) };
    const text = jsyaml.dump(obj, { lineWidth: -1, noRefs: true, quotingType: '"', schema: KUBE_YAML_SCHEMA });
    expect(read(text)).toEqual(obj);
    expect(text).toContain('  - plain\n');
  });

  it('reads an editable document as kubectl does and prints untouched scalars as written', () => {
    const src = 'a: 0755 # mode\nb: yes\nc: 1_000\nd: ~\ne:\nf: 1e3\ng: "yes"\nh: [08, 0b-101, On]\n';
    const doc = parseDocument(src, EDIT_YAML_OPTIONS);
    expect(doc.toJS()).toEqual({ a: 493, b: true, c: 1000, d: null, e: null, f: 1000, g: 'yes', h: [8, -5, true] });
    doc.set('i', '0755');
    doc.set('j', 3);
    expect(doc.toString({ flowCollectionPadding: false })).toBe(`${src}i: "0755"\nj: 3\n`);
  });

  it('has one meaning per text for the resolver', () => {
    expect(resolvePlain('0755')).toEqual({ kind: 'int', value: 493, unsigned: false });
    expect(resolvePlain('18446744073709551615')).toEqual({ kind: 'int', value: 18446744073709551615n, unsigned: true });
    expect(resolvePlain('2001-12-14').kind).toBe('timestamp');
  });
});
