import { describe, expect, it } from 'vitest';
import { matchesSelector, SelectorError } from '../../src/render/selector.js';

const labels = { region: 'eu', tier: 'onprem' };

describe('matchesSelector', () => {
  it.each([
    ['empty selector matches all', {}, true],
    ['matchLabels hit', { matchLabels: { region: 'eu' } }, true],
    ['matchLabels miss', { matchLabels: { region: 'us' } }, false],
    ['In hit', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['onprem', 'edge'] }] }, true],
    ['NotIn on missing key matches', { matchExpressions: [{ key: 'gpu', operator: 'NotIn', values: ['yes'] }] }, true],
    ['NotIn hit excludes', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['onprem'] }] }, false],
    ['Exists', { matchExpressions: [{ key: 'region', operator: 'Exists' }] }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'region', operator: 'DoesNotExist' }] }, false],
    ['labels and expressions are ANDed', { matchLabels: { region: 'eu' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['cloud'] }] }, false],
  ])('%s', (_name, sel, want) => {
    expect(matchesSelector(sel, labels)).toBe(want);
  });

  it('rejects an unknown operator', () => {
    expect(() => matchesSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, labels)).toThrow(SelectorError);
  });
});
