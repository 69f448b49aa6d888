import { describe, expect, it } from 'vitest';
import { managersOf } from '../../../src/apply/plan/managers.js';
import type { KubeObject } from '../../../src/object.js';

const live: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'shop',
    managedFields: [
      { manager: 'gitfed', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"main"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } } } },
      { manager: 'kubectl-edit', operation: 'Update', fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"main"}': { 'f:image': {} } } } } } } },
      { manager: 'hpa-controller', operation: 'Update', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
      { manager: 'labeller', operation: 'Update', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:team': {} } }, 'f:spec': { 'f:template': { 'f:spec': { 'f:tolerations': { 'v:{"key":"a"}': {} } } } } } },
    ],
  },
  spec: { replicas: 5, template: { spec: { containers: [{ name: 'sidecar', image: 's' }, { name: 'main', image: 'evil:1' }], tolerations: [{ key: 'a' }] } } },
};

describe('the managers of a drifted field', () => {
  it('are found through keyed and valued list elements, gitfed left out', () => {
    expect(managersOf(live, ['/spec/template/spec/containers/1/image'])).toEqual(['kubectl-edit']);
    expect(managersOf(live, ['/spec/template/spec/containers/0/image'])).toEqual([]);
    expect(managersOf(live, ['/spec/replicas'])).toEqual(['hpa-controller']);
    expect(managersOf(live, ['/metadata/labels/team', '/spec/template/spec/tolerations/0'])).toEqual(['labeller']);
    expect(managersOf(live, ['/spec/replicas', '/spec/template/spec/containers/1/image'])).toEqual(['hpa-controller', 'kubectl-edit']);
    expect(managersOf({ ...live, metadata: { name: 'x' } }, ['/spec/replicas'])).toEqual([]);
  });
});
