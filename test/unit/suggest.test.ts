import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../src/render/schema/suggest.js';
import { unknownFieldMessage } from '../../src/render/schema/fields.js';

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('wieght', 'weight')).toBe(1);
    expect(editDistance('replicaSchedulng', 'replicaScheduling')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests the nearest known name, ignoring case', () => {
    expect(closest('replicaSchedulng', ['clusterAffinity', 'replicaScheduling', 'spreadConstraints'])).toBe('replicaScheduling');
    expect(closest('ClusterSelector', ['clusters', 'clusterSelector'])).toBe('clusterSelector');
    expect(closest('overides', ['override', 'overrides'])).toBe('overrides');
  });

  it('suggests nothing for a word unlike every name, and takes a start of one name as that name', () => {
    expect(closest('rollout', ['clusterAffinity', 'replicaScheduling'])).toBeUndefined();
    expect(closest('cluster', ['name'])).toBeUndefined();
    expect(closest('plural', ['group', 'pluralName', 'kind'])).toBe('pluralName');
    expect(closest('clus', ['clusterAffinity', 'clusterTolerations'])).toBeUndefined();
  });

  it('names the field by its whole path', () => {
    expect(unknownFieldMessage(['spec', 'overrides', 0, 'clusterOverride'], ['clusterName', 'clusterOverrides'])).toBe('unknown field "spec.overrides[0].clusterOverride"; did you mean "clusterOverrides"?');
    expect(unknownFieldMessage(['spec', 'x'], [])).toBe('unknown field "spec.x": nothing may be set here');
  });
});
