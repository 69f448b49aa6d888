import { describe, expect, it } from 'vitest';
import { loadFile, ParseCache } from '../../src/render/load.js';

const multi = `# leading comment
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
data:
  k: v
---
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
  namespace: shop
data:
  x: |
    some text
    more
  y: z
`;

describe('loadFile', () => {
  it('splits documents and records their first line', () => {
    const { objects, errors } = loadFile('m.yaml', multi);
    expect(errors).toEqual([]);
    expect(objects.map((o) => [o.obj.metadata.name, o.pos.line])).toEqual([['a', 2], ['b', 10]]);
  });

  it('resolves field paths to lines lazily', () => {
    const { objects } = loadFile('m.yaml', multi);
    const b = objects[1]!;
    expect(b.lineOf(['metadata', 'namespace'])).toBe(14);
    expect(b.lineOf(['data', 'y'])).toBe(19);
    // A path that does not exist stops at the deepest ancestor that does.
    expect(b.lineOf(['data', 'nope', 'deeper'])).toBe(15);
  });

  it('names file and line of a syntax error', () => {
    const { errors } = loadFile('bad.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n---\na: [1,\n b: c\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.file).toBe('bad.yaml');
    expect(errors[0]!.line).toBeGreaterThanOrEqual(6);
    expect(errors[0]!.code).toBe('YAMLSyntax');
  });

  it('rejects a document without metadata.name, naming its line', () => {
    const { errors } = loadFile('x.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\n');
    expect(errors[0]!.message).toContain('metadata.name');
    expect(errors[0]!.line).toBe(3);
  });

  it('rejects a non-string label value', () => {
    const { errors } = loadFile('x.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    replicas: 3\n');
    expect(errors[0]!.message).toContain('metadata.labels.replicas');
    expect(errors[0]!.line).toBe(6);
  });

  it('unwraps a List', () => {
    const { objects } = loadFile('l.yaml', 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n');
    expect(objects.map((o) => [o.obj.metadata.name, o.pos.line])).toEqual([['a', 4], ['b', 7]]);
  });
});

describe('the YAML schema', () => {
  it('reads an unquoted date as a string, as Kubernetes does, and keeps merge keys', () => {
    const { objects } = loadFile('d.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nbase: &b {x: 1}\ndata:\n  <<: *b\n  since: 2020-01-01\n');
    expect(objects[0]!.obj.data).toEqual({ x: 1, since: '2020-01-01' });
  });
});

describe('ParseCache', () => {
  it('parses a file again only when its text changed', () => {
    const cache = new ParseCache();
    const a = cache.load('m.yaml', multi);
    expect(cache.load('m.yaml', multi)).toBe(a);
    expect(cache.load('m.yaml', multi + '\n# edit\n')).not.toBe(a);
  });
});

describe('a required string that is not one', () => {
  it.each([
    ['name: 123', 'must be a string, not the number 123 (quote it: "123")'],
    ['name: true', 'must be a string, not the boolean true (quote it: "true")'],
    ['name: [a]', 'must be a string, not a list'],
    ['name: ""', 'required string is empty'],
    ['name:', 'required string is missing'],
  ])('%s is named for what it is, at its own line', (line, why) => {
    const { errors } = loadFile('f.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: shop\n  ${line}\n`);
    expect(errors.map((e) => [e.line, e.message])).toEqual([[5, `ConfigMap: field metadata.name: ${why}`]]);
  });

  it('a missing name points at metadata, and a kind that is a number at the kind', () => {
    expect(loadFile('f.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: shop\n').errors.map((e) => [e.line, e.message])).toEqual([[3, 'ConfigMap: field metadata.name: required string is missing']]);
    expect(loadFile('f.yaml', 'apiVersion: v1\nkind: 5\nmetadata:\n  name: a\n').errors.map((e) => [e.line, e.message])).toEqual([[2, 'field kind: must be a string, not the number 5 (quote it: "5")']]);
  });
});
