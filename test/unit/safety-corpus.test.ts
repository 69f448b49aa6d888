/**
 * The safety corpus through the real CLI: every case exits as it expects, names the file (and
 * line, object, cluster) and its code, prints no stack trace, and a failed render leaves every
 * branch, ref, lock, preview and file exactly as it was.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runGitfed } from '../support/cli.js';
import { applySetup, argvFor, BASELINE, changes, findWritten, git, loadCorpus, overlay, runGitfedAsNobody, SETPRIV, snapshot, STACK_FRAME, type SafetyCase } from '../support/safety-corpus.js';

const cases = loadCorpus();
let root = '';
let template = '';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gitfed-safety-'));
  template = join(root, 'template');
  const repo = join(template, 'repo');
  cpSync(BASELINE, repo, { recursive: true });
  git(repo, ['init', '-q', '-b', 'main']);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'baseline fleet']);
  for (const args of [['render', '--repo', repo, '--commit'], ['render', '--repo', repo, '--out', join(template, 'out')]]) {
    const r = await runGitfed(args);
    if (r.code !== 0) throw new Error(`baseline render failed: ${r.stderr}`);
  }
  // Two whole CLI processes: on a loaded machine they take far longer than a hook's default 10 s.
}, 120_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

async function check(c: SafetyCase, run: string | string[], index: number): Promise<void> {
  const world = join(root, `${c.name.replaceAll('/', '--')}-${index}`);
  cpSync(template, world, { recursive: true, verbatimSymlinks: true });
  const repo = join(world, 'repo');
  overlay(repo, c.files, c.chmod);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '--allow-empty', '-m', `case ${c.name}`]);
  applySetup(repo, c.setup);
  const before = snapshot(world);

  const r = c.user ? await runGitfedAsNobody(CLI, argvFor(run, world), world) : await runGitfed(argvFor(run, world));
  const shown = `${c.name} (${JSON.stringify(run)}): ${c.why}\nexit ${r.code}\nstderr:\n${r.stderr}`;
  const e = c.expect;
  expect(r.code, shown).toBe(e.exit ?? 2);
  expect(r.stderr, shown).not.toMatch(STACK_FRAME);
  expect(r.stdout, shown).not.toMatch(STACK_FRAME);
  if (e.code !== undefined) expect(r.stderr, shown).toContain(`[${e.code}]`);
  if (e.file !== undefined) expect(r.stderr, shown).toContain(e.line !== undefined ? `${e.file}:${e.line}:` : e.file);
  if (e.object !== undefined) expect(r.stderr, shown).toContain(e.object);
  if (e.cluster !== undefined) expect(r.stderr, shown).toContain(`cluster ${e.cluster}`);
  for (const m of [e.message ?? []].flat()) expect(r.stderr, shown).toContain(m);
  for (const m of [e.stdout ?? []].flat()) expect(r.stdout, shown).toContain(m);
  for (const n of e.absent ?? []) expect(`${r.stdout}\n${r.stderr}`, shown).not.toContain(n);
  if (e.absent) expect(findWritten(world, repo, before, e.absent), shown).toEqual([]);
  for (const g of e.git ?? []) for (const m of [g.contains].flat()) expect(git(repo, g.args), `${shown}\ngit ${g.args.join(' ')}`).toContain(m);
  if ((e.exit ?? 2) !== 0) expect(changes(before, snapshot(world)), shown).toEqual([]);
  rmSync(world, { recursive: true, force: true });
}

describe('safety corpus', () => {
  it('has as many cases, in as many classes, as the README says', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const claim = /\(`test\/corpus\/safety\/`, (\d+)\s+cases in (\w+) classes/.exec(readme);
    expect(claim, 'the README counts the safety corpus').not.toBeNull();
    const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
    expect(Number(claim![1])).toBe(cases.length);
    expect(words.indexOf(claim![2]!)).toBe(new Set(cases.map((c) => c.name.split('/')[0])).size);
  });
  for (const c of cases) {
    c.runs.forEach((run, i) => {
      (c.user !== undefined && !SETPRIV ? it.skip : it.concurrent)(`${c.name} [${typeof run === 'string' ? run : run.join(' ')}]`, () => check(c, run, i));
    });
  }
});
