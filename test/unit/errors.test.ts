import { describe, expect, it } from 'vitest';
import { RenderError } from '../../src/errors.js';

describe('GitfedError.format', () => {
  it('names file, line, object and cluster', () => {
    const e = new RenderError('OverridePathNotFound', 'path /spec/foo does not exist', {
      file: 'manifests/app.yaml', line: 12, object: 'FederatedDeployment/web/nginx', cluster: 'cloud-1',
    });
    expect(e.format()).toBe('manifests/app.yaml:12: FederatedDeployment/web/nginx (cluster cloud-1): path /spec/foo does not exist');
  });
});
