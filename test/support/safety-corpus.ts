/**
 * The safety corpus (test/corpus/safety): hostile or careless fleet repos, each a `case.yaml`
 * overlaid on the baseline fleet, run through the real CLI. See test/corpus/safety/README.md.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import jsyaml from 'js-yaml';
import { nativeGit } from './native-git.js';

export const CORPUS = new URL('../corpus/safety/', import.meta.url).pathname;
export const BASELINE = join(CORPUS, 'baseline');

/** Content: text, bytes, or a repetition whose prefix and suffix are content too (large files, invalid bytes at the end of one). */
export type Content = string | { base64: string } | Repeat;
export interface Repeat {
  repeat: string;
  times: number;
  prefix?: Content;
  suffix?: Content;
}

/** How a file of a case is made: content, a symlink, a named pipe, or null to delete. */
export type FileSpec = Content | null | { symlink: string } | { fifo: true };

export interface Expectation {
  /** Exit code; 2 unless the case is a warning or a success. */
  exit?: number;
  /** The error (or warning, for exit 0) code printed in brackets; may be left out for exit 0. */
  code?: string;
  /** The file the message names, relative to the fleet root. */
  file?: string;
  line?: number;
  object?: string;
  cluster?: string;
  /** Substrings the message must hold. */
  message?: string | string[];
  /** Substrings stdout must hold. */
  stdout?: string | string[];
  /**
   * Strings (a token) that must appear nowhere gitfed wrote: stdout, stderr, every file of the
   * world the run added or changed, and every object in the repository.
   */
  absent?: string[];
  /** Native git commands run in the repo afterwards, with substrings their output must hold. */
  git?: { args: string[]; contains: string | string[] }[];
}

/** What the world holds besides the fleet's files: made after the case's commit, before the snapshot. */
export interface CaseSetup {
  /** Native git commands run in the repo, in order (`[branch, team/x]`, `[remote, add, origin, URL]`). */
  git?: string[][];
  /** Files written (not committed), relative to the repo: lock files under `.git`, for example. */
  files?: Record<string, string>;
  /** Empty directories made, relative to the repo. */
  dirs?: string[];
}

export interface SafetyCase {
  /** `<class>/<case>`, the directory under test/corpus/safety. */
  name: string;
  why: string;
  files: Record<string, FileSpec>;
  /** File modes to set after writing (octal strings), for cases about modes. */
  chmod?: Record<string, string>;
  /** Which runs: `commit` (render --commit), `out` (render --out over the baseline preview), or custom argv lists. */
  runs: (string | string[])[];
  /**
   * `nobody`: run the CLI as uid/gid 65534 (setpriv) over a world it owns, so modes such as
   * chmod 000 really refuse reads (root reads anything). Skipped where setpriv is missing.
   */
  user?: 'nobody';
  setup?: CaseSetup;
  expect: Expectation;
}

/** Every case.yaml under the corpus (by default this tree's; the bench, run from dist/, passes it), sorted by name. */
export function loadCorpus(corpus = CORPUS): SafetyCase[] {
  const cases: SafetyCase[] = [];
  const baseline = join(corpus, 'baseline');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && path !== baseline) walk(path);
      else if (entry.name === 'case.yaml') {
        const raw = jsyaml.load(readFileSync(path, 'utf8')) as Partial<SafetyCase>;
        const name = relative(corpus, dir);
        if (!raw?.why || !raw.expect || (!raw.expect.code && (raw.expect.exit ?? 2) !== 0)) throw new Error(`${name}/case.yaml: needs why and expect.code`);
        cases.push({ name, why: raw.why, files: raw.files ?? {}, chmod: raw.chmod, runs: raw.runs ?? ['commit', 'out'], ...(raw.user ? { user: raw.user } : {}), setup: raw.setup, expect: raw.expect });
      }
    }
  };
  walk(corpus);
  return cases;
}

/** The CLI arguments of a run of a case in `world` (which holds repo/ and out/). */
export function argvFor(run: string | string[], world: string): string[] {
  const repo = join(world, 'repo');
  if (run === 'commit') return ['render', '--repo', repo, '--commit'];
  if (run === 'out') return ['render', '--repo', repo, '--out', join(world, 'out')];
  if (typeof run === 'string') throw new Error(`unknown run "${run}"`);
  return run.map((a) => a.replaceAll('{repo}', repo).replaceAll('{out}', join(world, 'out')).replaceAll('{world}', world));
}

/** Writes a case's files over a fleet checkout. */
export function overlay(repo: string, files: Record<string, FileSpec>, chmod: Record<string, string> = {}): void {
  for (const [path, spec] of Object.entries(files)) {
    const abs = join(repo, path);
    rmSync(abs, { force: true, recursive: true });
    if (spec === null) continue;
    mkdirSync(dirname(abs), { recursive: true });
    if (typeof spec === 'object' && 'symlink' in spec) symlinkSync(spec.symlink, abs);
    else if (typeof spec === 'object' && 'fifo' in spec) execFileSync('mkfifo', [abs]);
    else writeFileSync(abs, bytesOf(spec));
  }
  for (const [path, mode] of Object.entries(chmod)) chmodSync(join(repo, path), parseInt(mode, 8));
}

function bytesOf(c: Content): Buffer {
  if (typeof c === 'string') return Buffer.from(c, 'utf8');
  if ('base64' in c) return Buffer.from(c.base64, 'base64');
  return Buffer.concat([bytesOf(c.prefix ?? ''), Buffer.from(c.repeat.repeat(c.times), 'utf8'), bytesOf(c.suffix ?? '')]);
}

/** Applies a case's setup to the repo of a world (see CaseSetup). */
export function applySetup(repo: string, setup: CaseSetup | undefined): void {
  for (const args of setup?.git ?? []) git(repo, args);
  for (const dir of setup?.dirs ?? []) mkdirSync(join(repo, dir), { recursive: true });
  for (const [path, content] of Object.entries(setup?.files ?? {})) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
}

/**
 * Where any of `needles` shows in what a run wrote: the files of `root` added or changed since
 * `before` (a snapshot) and every object of the git repository `repo`, decompressed.
 */
export function findWritten(root: string, repo: string, before: Map<string, string>, needles: readonly string[]): string[] {
  const hits: string[] = [];
  const after = snapshot(root);
  for (const [rel, v] of after) {
    if (before.get(rel) === v || !v.startsWith('file ')) continue;
    const text = readFileSync(join(root, rel), 'latin1');
    for (const n of needles) if (text.includes(n)) hits.push(`${n} in ${rel}`);
  }
  const objects = execFileSync('git', ['-C', repo, 'cat-file', '--batch-all-objects', '--batch'], { maxBuffer: 1 << 30, env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } }).toString('latin1');
  for (const n of needles) if (objects.includes(n)) hits.push(`${n} in an object of ${relative(root, repo) || '.'}`);
  return hits;
}

/** Native git with no user or system config, so the host's settings never leak into a test. */
export function git(dir: string, args: readonly string[]): string {
  return nativeGit(dir, args);
}

/**
 * Everything under `root` that a failed render must leave alone: each path with its type, mode
 * and content hash. Git's object store is left out (unreferenced objects are harmless); refs,
 * the notes, lock files, the preview and every other file are in.
 */
export function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      const rel = relative(root, abs);
      if (/(^|\/)\.git\/objects$/.test(rel)) continue;
      const st = lstatSync(abs);
      if (st.isSymbolicLink()) out.set(rel, `link ${readlinkSync(abs)}`);
      else if (st.isDirectory()) {
        out.set(rel, `dir ${(st.mode & 0o7777).toString(8)}`);
        walk(abs);
      } else if (st.isFile()) {
        const sum = createHash('sha256').update(readFileSync(abs)).digest('hex').slice(0, 16);
        out.set(rel, `file ${(st.mode & 0o7777).toString(8)} ${sum}`);
      } else out.set(rel, 'other');
    }
  };
  walk(root);
  return out;
}

/** The differences between two snapshots, as lines a failing assertion can show. */
export function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const lines: string[] = [];
  for (const [k, v] of before) if (after.get(k) !== v) lines.push(`${after.has(k) ? 'changed' : 'removed'} ${k}`);
  for (const k of after.keys()) if (!before.has(k)) lines.push(`added ${k}`);
  return lines;
}

/** A Node stack frame in output: what a user must never see. */
export const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;

/** Where setpriv is, if anywhere: cases with `user: nobody` need it. */
export const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));

/**
 * Runs the built CLI as nobody (uid/gid 65534, no groups) over `world`, which is handed to that
 * user first, with the directories above it made traversable.
 */
export async function runGitfedAsNobody(cli: string, args: readonly string[], world: string): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!SETPRIV) throw new Error('setpriv is not installed');
  const own = (p: string) => {
    const st = lstatSync(p);
    if (!st.isSymbolicLink()) chownSync(p, 65534, 65534);
    if (st.isDirectory()) for (const n of readdirSync(p)) own(join(p, n));
  };
  own(world);
  for (let d = dirname(world); d !== dirname(d); d = dirname(d)) chmodSync(d, lstatSync(d).mode | 0o011);
  return new Promise((done) => {
    execFile(SETPRIV, ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, cli, ...args], { cwd: world, timeout: 60_000 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
