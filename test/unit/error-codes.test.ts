/**
 * The codes of errors and warnings are a closed set (src/errors.ts): scripts match on them and the
 * README documents them. These tests keep the lists, the sources and the documentation agreeing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, GitfedError, isErrorCode, isWarningCode, RenderError, RenderErrors, WARNING_CODES } from '../../src/errors.js';

const ROOT = new URL('../../', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** Every source file, src/errors.ts without its two lists. */
const SOURCE_TEXT = [...sources('src'), ...sources('cmd')]
  .map((f) => readFileSync(f, 'utf8').replace(/^export const (ERROR|WARNING)_CODES = \{[^}]*\} as const;$/gm, ''))
  .join('\n');
const errorCodes = Object.keys(ERROR_CODES);
const warningCodes = Object.keys(WARNING_CODES);

/** Codes the docs name: `(`X`)`, `(reported as `X`)`, `Error `X``, `Errors `X`, `Y``. */
function documentedCodes(text: string): { errors: string[]; any: string[] } {
  const errors = [...text.matchAll(/\bErrors? ((?:`[A-Z][A-Za-z]+`(?:, )?)+)/g)].flatMap((m) => [...m[1]!.matchAll(/`([A-Za-z]+)`/g)].map((x) => x[1]!));
  const any = [...text.matchAll(/\((?:reported as )?`([A-Z][a-z]+[A-Z][A-Za-z]+)`\)/g)].map((m) => m[1]!);
  return { errors, any: [...errors, ...any] };
}

describe('the closed sets of codes', () => {
  it('are one alphabetical list each, every key its own value', () => {
    for (const set of [ERROR_CODES, WARNING_CODES]) {
      const keys = Object.keys(set);
      expect(keys).toEqual([...keys].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
      for (const [k, v] of Object.entries(set)) expect(v).toBe(k);
    }
  });

  it('hold no code that nothing uses', () => {
    const unused = [...errorCodes, ...warningCodes].filter((c) => !SOURCE_TEXT.includes(`'${c}'`));
    expect(unused).toEqual([]);
  });

  it('name every code a comparison in the sources tests for', () => {
    // A comparison on an untyped `.code` escapes the compiler; it must still name a real code
    // (foreign ones aside: Node errno codes, isomorphic-git's *Error, commander.*).
    const compared = [...SOURCE_TEXT.matchAll(/\.code\s*[!=]==\s*'([A-Za-z]+)'/g)].map((m) => m[1]!);
    const ours = compared.filter((c) => !/^E[A-Z]+$/.test(c) && !/Error$/.test(c));
    expect(ours.length).toBeGreaterThan(3);
    expect(ours.filter((c) => !isErrorCode(c) && !isWarningCode(c))).toEqual([]);
  });

  it('include every code the README and docs document', () => {
    const docs = [join(ROOT, 'README.md'), ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(ROOT, 'docs', f))];
    const found = docs.map((f) => documentedCodes(readFileSync(f, 'utf8')));
    const errors = found.flatMap((d) => d.errors);
    const any = found.flatMap((d) => d.any);
    expect(any).toEqual(expect.arrayContaining(['UnsupportedLiveState', 'DuplicateObject', 'ReplicasNotPlaced']));
    expect(errors.filter((c) => !isErrorCode(c))).toEqual([]);
    expect(any.filter((c) => !isErrorCode(c) && !isWarningCode(c))).toEqual([]);
  });

  it('tell codes from other strings', () => {
    expect(isErrorCode('DuplicateObject')).toBe(true);
    expect(isErrorCode('NotPropagated')).toBe(false);
    expect(isWarningCode('NotPropagated')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
  });

  it('are what GitfedError takes: another code does not compile', () => {
    // @ts-expect-error 'NoSuchCode' is not an ErrorCode; npm run typecheck fails if it becomes one.
    const e = new GitfedError('NoSuchCode', 'x');
    expect(e.code).toBe('NoSuchCode');
  });
});

describe('hints', () => {
  it('are data in JSON, for every error of a render', () => {
    const a = new RenderError('DuplicateObject', 'two documents', { file: 'a.yaml', line: 3, hint: 'remove one' });
    const b = new RenderError('Schema', 'bad');
    expect(a.toJSON()).toEqual({ code: 'DuplicateObject', message: 'two documents', file: 'a.yaml', line: 3, object: undefined, cluster: undefined, hint: 'remove one' });
    const all = JSON.parse(JSON.stringify(new RenderErrors([a, b])));
    expect(all.code).toBe('RenderFailed');
    expect(all.errors).toEqual([{ code: 'DuplicateObject', message: 'two documents', file: 'a.yaml', line: 3, hint: 'remove one' }, { code: 'Schema', message: 'bad' }]);
  });

  it('stay out of the one-line form', () => {
    expect(new RenderError('Schema', 'bad', { file: 'a.yaml', hint: 'fix it' }).format()).toBe('a.yaml: bad');
  });
});
