import { describe, expect, it } from 'vitest';
import { assign, ownerOf, weight } from '../../../src/controller/rendezvous.js';

const members = Array.from({ length: 600 }, (_, i) => `cluster-${i}`);
const replicas = (n: number) => Array.from({ length: n }, (_, i) => `gitfed-${i}`);

function counts(a: Map<string, string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of a.values()) out.set(r, (out.get(r) ?? 0) + 1);
  return out;
}

describe('rendezvous assignment', () => {
  it('is the same whatever order the replicas are listed in', () => {
    const rs = replicas(5);
    const a = assign(members, rs);
    const b = assign(members, [...rs].reverse());
    expect([...b]).toEqual([...a]);
  });

  it('has no owner without replicas, and one replica owns everything', () => {
    expect(ownerOf('a', [])).toBeUndefined();
    expect(assign(members, []).size).toBe(0);
    expect(new Set(assign(members, ['only']).values())).toEqual(new Set(['only']));
  });

  it('moves only the leaving replica\'s members when one leaves', () => {
    const before = assign(members, replicas(4));
    const after = assign(members, replicas(4).filter((r) => r !== 'gitfed-2'));
    for (const m of members) {
      if (before.get(m) !== 'gitfed-2') expect(after.get(m)).toBe(before.get(m));
      else expect(after.get(m)).not.toBe('gitfed-2');
    }
  });

  it('moves only members to the newcomer when one joins', () => {
    const before = assign(members, replicas(3));
    const after = assign(members, replicas(4));
    const moved = members.filter((m) => before.get(m) !== after.get(m));
    expect(moved.length).toBeGreaterThan(0);
    for (const m of moved) expect(after.get(m)).toBe('gitfed-3');
    // About a quarter moves; rendezvous hashing moves 1/n on average.
    expect(moved.length).toBeGreaterThan(members.length / 4 - 60);
    expect(moved.length).toBeLessThan(members.length / 4 + 60);
  });

  it('spreads members evenly enough', () => {
    const c = counts(assign(members, replicas(3)));
    for (const n of c.values()) expect(Math.abs(n - 200)).toBeLessThan(45);
  });

  it('weighs a pair by the hash of both names, not by either alone', () => {
    expect(weight('a', 'b')).not.toBe(weight('b', 'a'));
    expect(weight('ab', 'c')).not.toBe(weight('a', 'bc'));
    expect(typeof weight('a', 'b')).toBe('bigint');
  });
});
