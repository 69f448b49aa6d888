import { describe, expect, it } from 'vitest';
import { formatPointer, getAt, parsePointer, removeAt, setAt } from '../../../src/json-pointer.js';
import { adoptIgnored, ignoredPointers, withoutIgnored } from '../../../src/apply/plan/ignore.js';
import type { KubeObject } from '../../../src/object.js';

describe('JSON pointers (RFC 6901)', () => {
  it('escapes ~ and /', () => {
    expect(parsePointer('/metadata/annotations/a~1b~0c')).toEqual(['metadata', 'annotations', 'a/b~c']);
    expect(formatPointer(['metadata', 'annotations', 'a/b~c'])).toBe('/metadata/annotations/a~1b~0c');
    expect(() => parsePointer('spec')).toThrow(/must start/);
  });
  it('reads, removes and sets, tolerating missing paths', () => {
    const doc = { spec: { replicas: 3, list: [{ a: 1 }, { a: 2 }] } };
    expect(getAt(doc, '/spec/list/1/a')).toEqual({ found: true, value: 2 });
    expect(getAt(doc, '/spec/nope/x').found).toBe(false);
    expect(removeAt(doc, '/spec/list/0')).toBe(true);
    expect(doc.spec.list).toEqual([{ a: 2 }]);
    expect(removeAt(doc, '/spec/nope')).toBe(false);
    expect(setAt(doc, '/spec/template/x', 1)).toBe(true);
    expect(doc.spec).toMatchObject({ template: { x: 1 } });
    expect(setAt(doc, '/spec/list/5', 1)).toBe(false);
  });
});

const deploy = (replicas?: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'prod' },
  spec: { ...(replicas === undefined ? {} : { replicas }), template: { spec: { containers: [{ name: 'c', image: 'x' }] } } },
});

describe('ignore rules', () => {
  const rules = [
    { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
    { kind: 'Deployment', name: 'web*', namespace: 'prod', jsonPointers: ['/metadata/annotations/x'] },
    { group: 'apps', kind: 'StatefulSet', jsonPointers: ['/spec/replicas'] },
  ];
  it('select pointers by group, kind, name and namespace globs', () => {
    expect(ignoredPointers(rules, { group: 'apps', kind: 'Deployment', namespace: 'prod', name: 'web-1' })).toEqual(['/metadata/annotations/x', '/spec/replicas']);
    expect(ignoredPointers(rules, { group: 'apps', kind: 'Deployment', namespace: 'dev', name: 'web' })).toEqual(['/spec/replicas']);
    expect(ignoredPointers(rules, { group: 'extensions', kind: 'Deployment', namespace: 'dev', name: 'x' })).toEqual([]);
  });
  it('strip ignored fields from a copy', () => {
    const d = deploy(3);
    expect(withoutIgnored(d, ['/spec/replicas']).spec).not.toHaveProperty('replicas');
    expect(d.spec).toHaveProperty('replicas', 3);
  });
  it('adopt the live value for an existing object, or drop the field when live has none (Flux-style)', () => {
    expect((adoptIgnored(deploy(2), deploy(7), ['/spec/replicas']).spec as { replicas: number }).replicas).toBe(7);
    expect(adoptIgnored(deploy(2), deploy(undefined), ['/spec/replicas']).spec).not.toHaveProperty('replicas');
    expect((adoptIgnored(deploy(2), undefined, ['/spec/replicas']).spec as { replicas: number }).replicas).toBe(2);
  });
});
