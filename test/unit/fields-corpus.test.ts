/**
 * The fields corpus (test/corpus/fields): typo'd and unimplemented fields in every document gitfed
 * interprets, each laid over a small valid fleet and rendered, with the error or warning it must
 * give asserted by code, file, line and message. See test/corpus/fields/README.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { GitfedError, RenderErrors } from '../../src/errors.js';
import { renderFleet } from '../../src/render/render.js';
import { displayObject } from '../../src/object.js';

const CORPUS = new URL('../corpus/fields/', import.meta.url).pathname;
const BASELINE = join(CORPUS, 'baseline');

interface FieldCase {
  name: string;
  why: string;
  /** Text replacements in baseline files; `from` must occur exactly once. */
  edits?: { file: string; from: string; to: string }[];
  /** Whole files added (or replacing a baseline file). */
  files?: Record<string, string>;
  /** Render with warnings refused, as `--strict` does. */
  strict?: boolean;
  expect: {
    /** 2: the render fails; 0: it succeeds. */
    exit: 0 | 2;
    /** The code of the error (exit 2) or warning (exit 0); absent with exit 0: no warning at all. */
    code?: string;
    file?: string;
    line?: number;
    /** Substrings of the printed line. */
    message?: string | string[];
  };
}

function readTree(dir: string, root = dir, out = new Map<string, string>()): Map<string, string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) readTree(p, root, out);
    else out.set(relative(root, p), readFileSync(p, 'utf8'));
  }
  return out;
}

function loadCases(): FieldCase[] {
  const cases: FieldCase[] = [];
  for (const cls of readdirSync(CORPUS, { withFileTypes: true })) {
    if (!cls.isDirectory() || cls.name === 'baseline') continue;
    for (const c of readdirSync(join(CORPUS, cls.name)).sort()) {
      const raw = jsyaml.load(readFileSync(join(CORPUS, cls.name, c, 'case.yaml'), 'utf8')) as Omit<FieldCase, 'name'>;
      if (!raw.why || !raw.expect || (raw.expect.exit === 2 && !raw.expect.code)) throw new Error(`${cls.name}/${c}: needs why, expect.exit and (for exit 2) expect.code`);
      cases.push({ name: `${cls.name}/${c}`, ...raw });
    }
  }
  return cases.sort((a, b) => a.name.localeCompare(b.name));
}

function fleetOf(c: FieldCase): Map<string, string> {
  const files = readTree(BASELINE);
  for (const e of c.edits ?? []) {
    const text = files.get(e.file);
    if (text === undefined) throw new Error(`${c.name}: no baseline file ${e.file}`);
    if (text.split(e.from).length !== 2) throw new Error(`${c.name}: "${e.from}" must occur once in ${e.file}`);
    files.set(e.file, text.replace(e.from, e.to));
  }
  for (const [path, text] of Object.entries(c.files ?? {})) files.set(path, text);
  return files;
}

/** What the CLI prints for each finding: `file:line: object (cluster c): message` and the code. */
interface Printed {
  code: string;
  line: string;
  file?: string;
  at?: number;
}

function run(c: FieldCase): { exit: 0 | 2; printed: Printed[] } {
  try {
    const r = renderFleet(fleetOf(c), {}, { strict: c.strict === true });
    return {
      exit: 0,
      printed: r.warnings.map((w) => ({ code: w.code, file: w.file, at: w.line, line: `${w.file}:${w.line}: ${w.object ? displayObject(w.object) + ': ' : ''}${w.message}` })),
    };
  } catch (err) {
    if (!(err instanceof GitfedError)) throw err;
    const errors = err instanceof RenderErrors ? err.errors : [err];
    return { exit: 2, printed: errors.map((e) => ({ code: e.code, file: e.file, at: e.line, line: e.format() })) };
  }
}

const cases = loadCases();

describe('the fields corpus', () => {
  it('has cases of every class', () => {
    const classes = new Set(cases.map((c) => c.name.split('/')[0]));
    expect([...classes].sort()).toEqual(['ignored', 'strict', 'unknown', 'unsupported']);
    expect(cases.length).toBeGreaterThan(30);
  });

  it('starts from a baseline that renders without a warning', () => {
    expect(run({ name: 'baseline', why: '', expect: { exit: 0 } })).toEqual({ exit: 0, printed: [] });
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { exit, printed } = run(c);
    const shown = `${c.name}: ${c.why}\n${printed.map((p) => `${p.line} [${p.code}]`).join('\n')}`;
    expect(exit, shown).toBe(c.expect.exit);
    if (c.expect.code === undefined) {
      expect(printed, shown).toEqual([]);
      return;
    }
    const hit = printed.find((p) => p.code === c.expect.code && (c.expect.file === undefined || p.file === c.expect.file) && (c.expect.line === undefined || p.at === c.expect.line));
    expect(hit, shown).toBeDefined();
    for (const m of [c.expect.message ?? []].flat()) expect(hit!.line, shown).toContain(m);
  });
});
