import { describe, expect, it } from 'vitest';
import { canonicalJson, objectDigest } from '../../../src/apply/plan/digest.js';
import type { KubeObject } from '../../../src/object.js';

const cm = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'a' }, data });

describe('digest', () => {
  it('ignores key order at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(objectDigest(cm({ a: '1', b: '2' }))).toBe(objectDigest({ kind: 'ConfigMap', data: { b: '2', a: '1' }, metadata: { namespace: 'a', name: 'c' }, apiVersion: 'v1' }));
  });

  it('changes with content, and with the ignore pointers', () => {
    const d = objectDigest(cm({ a: '1' }));
    expect(d).toMatch(/^[0-9a-f]{20}$/);
    expect(objectDigest(cm({ a: '2' }))).not.toBe(d);
    expect(objectDigest(cm({ a: '1' }), ['/data/a'])).not.toBe(d);
    expect(objectDigest(cm({ a: '1' }), ['/x', '/y'])).toBe(objectDigest(cm({ a: '1' }), ['/y', '/x']));
  });
});
