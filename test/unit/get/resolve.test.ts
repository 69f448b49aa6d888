import { describe, expect, it } from 'vitest';
import { parseType, resolveType, type ApiResource } from '../../../src/get/resolve.js';

const r = (group: string, version: string, name: string, kind: string, shortNames: string[] = []): ApiResource => ({ group, version, name, singularName: kind.toLowerCase(), kind, namespaced: true, shortNames });

// Discovery order: core first, then each group's preferred version.
const discovery = [
  r('', 'v1', 'pods', 'Pod', ['po']),
  r('', 'v1', 'events', 'Event', ['ev']),
  r('apps', 'v1', 'deployments', 'Deployment', ['deploy']),
  r('events.k8s.io', 'v1', 'events', 'Event', ['ev']),
  r('types.kubefed.io', 'v1beta1', 'federateddeployments', 'FederatedDeployment'),
];

describe('kubectl TYPE spellings', () => {
  it.each([
    ['pods', 'pods'], ['po', 'pods'], ['Pod', 'pods'], ['pod', 'pods'],
    ['deploy', 'deployments'], ['deployments.apps', 'deployments'], ['deploy.apps', 'deployments'], ['deployments.v1.apps', 'deployments'],
    ['federateddeployments.types.kubefed.io', 'federateddeployments'], ['FederatedDeployment', 'federateddeployments'],
  ])('%s names %s', (spelling, plural) => {
    expect(resolveType(parseType(spelling), discovery)?.name).toBe(plural);
  });

  it('prefers the core group for an unqualified name, and takes the group when named', () => {
    expect(resolveType(parseType('events'), discovery)?.group).toBe('');
    expect(resolveType(parseType('events.events.k8s.io'), discovery)?.group).toBe('events.k8s.io');
  });

  it('finds nothing for a type the member does not serve, or the wrong group or version', () => {
    expect(resolveType(parseType('gadgets'), discovery)).toBeUndefined();
    expect(resolveType(parseType('deployments.extensions'), discovery)).toBeUndefined();
    expect(resolveType(parseType('deployments.v1beta1.apps'), discovery)).toBeUndefined();
  });
});
