/**
 * The schema corpus through gitfed alone (test/e2e/schema-validation.test.ts holds it against a
 * real API server): accepted documents pass, refused ones give the code their header names, with
 * file and line, and server-only ones pass, as the known limit they document.
 */
import { describe, expect, it } from 'vitest';
import { gitfedVerdict, schemaCases } from '../support/schema-corpus.js';

const cases = schemaCases();

describe('the schema corpus', () => {
  it('has documents of every class', () => {
    expect(cases.filter((c) => c.cls === 'accepted').length).toBeGreaterThan(10);
    expect(cases.filter((c) => c.cls === 'refused').length).toBeGreaterThan(20);
    expect(cases.some((c) => c.cls === 'server-only')).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const verdict = gitfedVerdict(c);
    const shown = `${c.name}: ${c.why}\n${verdict.map((v) => `${v.line} [${v.code}]`).join('\n')}`;
    if (c.cls === 'refused') {
      expect(verdict.length, shown).toBeGreaterThan(0);
      expect(verdict[0]!.code, shown).toBe(c.code);
      expect(verdict[0]!.line, shown).toMatch(new RegExp(`^${c.name.replace(/[.]/g, '\\.')}:\\d+: `));
    } else {
      expect(verdict, shown).toEqual([]);
    }
  });
});
