/**
 * The safety corpus (test/corpus/safety): hostile or careless fleet repos, each a `case.yaml`
 * overlaid on the baseline fleet, run through the real CLI. See test/corpus/safety/README.md.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import jsyaml from 'js-yaml';

export const CORPUS = new URL('../corpus/safety/', import.meta.url).pathname;
export const BASELINE = join(CORPUS, 'baseline');

/** How a file of a case is made: plain text, bytes, a repetition (large files), a symlink, a named pipe, or null to delete. */
export type FileSpec = string | null | { base64: string } | { repeat: string; times: number; prefix?: string; suffix?: string } | { symlink: string } | { fifo: true };

export interface Expectation {
  /** Exit code; 2 unless the case is a warning. */
  exit?: number;
  /** The error (or warning, for exit 0) code printed in brackets. */
  code: string;
  /** The file the message names, relative to the fleet root. */
  file?: string;
  line?: number;
  object?: string;
  cluster?: string;
  /** Substrings the message must hold. */
  message?: string | string[];
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
  expect: Expectation;
}

/** Every case.yaml under the corpus, sorted by name. */
export function loadCorpus(): SafetyCase[] {
  const cases: SafetyCase[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && path !== BASELINE) walk(path);
      else if (entry.name === 'case.yaml') {
        const raw = jsyaml.load(readFileSync(path, 'utf8')) as Partial<SafetyCase>;
        const name = relative(CORPUS, dir);
        if (!raw?.why || !raw.expect?.code) throw new Error(`${name}/case.yaml: needs why and expect.code`);
        cases.push({ name, why: raw.why, files: raw.files ?? {}, chmod: raw.chmod, runs: raw.runs ?? ['commit', 'out'], ...(raw.user ? { user: raw.user } : {}), expect: raw.expect });
      }
    }
  };
  walk(CORPUS);
  return cases;
}

/** Writes a case's files over a fleet checkout. */
export function overlay(repo: string, files: Record<string, FileSpec>, chmod: Record<string, string> = {}): void {
  for (const [path, spec] of Object.entries(files)) {
    const abs = join(repo, path);
    rmSync(abs, { force: true, recursive: true });
    if (spec === null) continue;
    mkdirSync(dirname(abs), { recursive: true });
    if (typeof spec === 'string') writeFileSync(abs, spec);
    else if ('base64' in spec) writeFileSync(abs, Buffer.from(spec.base64, 'base64'));
    else if ('symlink' in spec) symlinkSync(spec.symlink, abs);
    else if ('fifo' in spec) execFileSync('mkfifo', [abs]);
    else writeFileSync(abs, (spec.prefix ?? '') + spec.repeat.repeat(spec.times) + (spec.suffix ?? ''));
  }
  for (const [path, mode] of Object.entries(chmod)) chmodSync(join(repo, path), parseInt(mode, 8));
}

/** Native git with no user or system config, so the host's settings never leak into a test. */
export function git(dir: string, args: readonly string[]): string {
  return execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Fleet Dev',
      GIT_AUTHOR_EMAIL: 'dev@example.com',
      GIT_COMMITTER_NAME: 'Fleet Dev',
      GIT_COMMITTER_EMAIL: 'dev@example.com',
      GIT_AUTHOR_DATE: '1700000000 +0000',
      GIT_COMMITTER_DATE: '1700000000 +0000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trimEnd();
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
