import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../../src/apply/config.js';

describe('gitfed-apply.yaml', () => {
  it('defaults everything', () => {
    expect(parseConfig('')).toEqual(DEFAULT_CONFIG);
  });
  it('reads policies, contexts, ignore rules and concurrency', () => {
    const c = parseConfig(`
conflicts: stop
drift: report
contexts: {member1: kind-member1}
concurrency: {members: 2, requestsPerMember: 8}
ignore:
  - group: apps
    kind: Deployment
    jsonPointers: [/spec/replicas]
`);
    expect(c).toMatchObject({ conflicts: 'stop', drift: 'report', contexts: { member1: 'kind-member1' }, memberConcurrency: 2, requestConcurrency: 8 });
    expect(c.ignore).toEqual([{ group: 'apps', kind: 'Deployment', name: undefined, namespace: undefined, jsonPointers: ['/spec/replicas'] }]);
  });
  it.each([
    ['conflicts: maybe', /conflicts must be one of force, stop/],
    ['ignore: [{kind: X}]', /jsonPointers/],
    ['ignore: [{kind: X, jsonPointers: [spec]}]', /must start with "\/"/],
    ['resyncSeconds: -1', /positive/],
    ['colour: blue', /unknown key colour/],
  ])('rejects %s', (text, msg) => expect(() => parseConfig(text, 'x.yaml')).toThrow(msg));
});
