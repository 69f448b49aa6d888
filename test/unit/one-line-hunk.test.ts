import { createTwoFilesPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { oneLineHunk } from '../../src/render/diff.js';

/** jsdiff's hunks for the pair, as the diff takes them. */
function jsdiffHunks(before: string, after: string): string {
  const p = createTwoFilesPatch('a', 'b', before, after, undefined, undefined, { context: 3 });
  const at = p.indexOf('\n@@');
  return at < 0 ? '' : p.slice(at + 1);
}

/** A small deterministic generator (an LCG), so that a failure is the same on every run. */
function generator(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    // The high bits: an LCG's low bits repeat with a short period.
    return (s >>> 16) % n;
  };
}

const deployment = (tag: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: main\n          image: registry.example.com/web:${tag}\n          ports:\n            - containerPort: 8080\n`;

describe('oneLineHunk', () => {
  it("writes jsdiff's hunk for a one-line change (an image tag), near either end too", () => {
    const cases: [string, string][] = [
      [deployment('1.2.17'), deployment('1.2.18')],
      ['a: 1\nb: 2\n', 'a: 9\nb: 2\n'],
      ['a: 1\nb: 2\n', 'a: 1\nb: 9\n'],
      ['only\n', 'other\n'],
    ];
    for (const [before, after] of cases) {
      const fast = oneLineHunk(before, after, 3);
      expect(fast, before).toBeDefined();
      expect(fast).toBe(jsdiffHunks(before, after));
    }
  });

  it('leaves to jsdiff what is not one line changed, or could be aligned in more than one way', () => {
    const cases: [string, string][] = [
      [deployment('1'), deployment('1')],
      ['a\nb\n', 'a\nb'],
      ['a\nb\n', 'a\r\nc\n'],
      ['a\nb\nc\n', 'x\nb\ny\n'],
      ['a\nb\n', 'a\nb\nc\n'],
      // The new line is its neighbour's text: deleting the neighbour instead costs as little.
      ['a\nb\nc\n', 'a\nc\nc\n'],
      ['a\nb\nc\n', 'a\na\nc\n'],
      ['a\na\nc\n', 'a\nb\nc\n'],
    ];
    for (const [before, after] of cases) expect(oneLineHunk(before, after, 3), JSON.stringify([before, after])).toBeUndefined();
  });

  it('agrees with jsdiff on every pair of random texts it takes, repeated lines and all', () => {
    const next = generator(20261205);
    const alphabet = ['a', 'b', 'c', 'd', 'e', 'f', 'g', '  - name: x', '', ' '];
    let taken = 0;
    for (let round = 0; round < 4000; round++) {
      const lines = Array.from({ length: 1 + next(12) }, () => alphabet[next(alphabet.length)]!);
      const changed = [...lines];
      const edits = 1 + next(2);
      for (let e = 0; e < edits; e++) {
        const at = next(changed.length);
        const what = next(4);
        if (what === 0 && changed.length > 1) changed.splice(at, 1);
        else if (what === 1) changed.splice(at, 0, alphabet[next(alphabet.length)]!);
        else changed[at] = alphabet[next(alphabet.length)]!;
      }
      const before = lines.join('\n') + '\n';
      const after = changed.join('\n') + '\n';
      const fast = oneLineHunk(before, after, 3);
      if (fast === undefined) continue;
      taken++;
      expect(fast, JSON.stringify([before, after])).toBe(jsdiffHunks(before, after));
    }
    // The property is only worth as much as the pairs it was tried on.
    expect(taken).toBeGreaterThan(500);
  });
});
