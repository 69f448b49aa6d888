import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/dev/duration.js';
import { memberNames, parseNames } from '../../../src/dev/up.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['2m', 120_000],
    ['1m30s', 90_000],
    ['1500ms', 1_500],
    ['1.5s', 1_500],
    ['1h', 3_600_000],
  ])('%s is %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '90', 's', '1x', '10s junk'])('rejects %j', (text) => expect(parseDuration(text)).toBeUndefined());
});

describe('member names', () => {
  it('defaults to member1 … memberN', () => {
    expect(memberNames({ members: 3 })).toEqual(['member1', 'member2', 'member3']);
    expect(memberNames({})).toEqual(['member1', 'member2', 'member3']);
  });

  it('takes --names over --members', () => {
    expect(memberNames({ names: parseNames('east, west'), members: 5 })).toEqual(['east', 'west']);
  });

  it.each([['East'], ['a_b'], ['-a'], ['x'.repeat(64)]])('refuses %s, which is not a DNS label', (name) => {
    expect(() => memberNames({ names: [name] })).toThrow(/not a DNS label/);
  });

  it('refuses the same name twice', () => {
    expect(() => memberNames({ names: ['a', 'b', 'a'] })).toThrow(/given twice/);
  });
});
