/**
 * Fixtures for the git layer's tests: throwaway repositories driven by native git (with a fixed
 * identity and dates, so commit ids are reproducible), and rendered output built by hand.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, onTestFinished } from 'vitest';
import { nativeGit } from '../../support/native-git.js';
import { GitError } from '../../../src/errors.js';
import { commitOutputs, type CommitOutputsOptions, type CommitOutputsResult } from '../../../src/git/commit-outputs.js';
import { readSourceAt } from '../../../src/git/source.js';
import type { BranchOutput, ClusterOutput } from '../../../src/render/types.js';

export const REPO = 'https://git.example.com/fleet.git';
export const VERSION = '0.1.0-test';

/** A fresh directory removed when the current test ends. */
export function tmpDir(prefix = 'gitfed-git-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let clock = 1_700_000_000;

/** Native git at the fixtures' clock, so commit ids are reproducible. */
export function git(dir: string, args: readonly string[], input?: string, env: Record<string, string> = {}): string {
  return nativeGit(dir, args, { input, env, date: `${clock} +0000` });
}

/** An empty repository on branch main. */
export function initRepo(dir = tmpDir(), bare = false): string {
  execFileSync('git', ['init', '-q', ...(bare ? ['--bare'] : []), '-b', 'main', dir]);
  return dir;
}

/** Writes `files` (null deletes), commits everything with `subject`, returns the commit id. */
export function commitFiles(dir: string, subject: string, files: Record<string, string | null>): string {
  for (const [path, content] of Object.entries(files)) {
    const abs = join(dir, path);
    if (content === null) rmSync(abs, { force: true });
    else {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
  }
  clock += 60;
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '--allow-empty', '-m', subject]);
  return git(dir, ['rev-parse', 'HEAD']);
}

/** The digest render computes: sha256 over sorted `path\0content\0`. */
export function digestOf(files: ReadonlyMap<string, string>): string {
  const h = createHash('sha256');
  for (const path of [...files.keys()].sort()) h.update(`${path}\0${files.get(path)}\0`);
  return h.digest('hex');
}

/** One cluster's output: `files` are relative to the cluster directory. */
export function cluster(name: string, files: Record<string, string>, dir = `clusters/${name}`): ClusterOutput {
  const map = new Map(Object.entries(files).map(([p, c]) => [`${dir}/${p}`, c]));
  return { cluster: name, dir, files: map, objects: map.size, digest: digestOf(map) };
}

export function branch(name: string, clusters: ClusterOutput[]): BranchOutput {
  return { branch: name, clusters };
}

/** A small object file as render would write it. */
export function configMap(name: string, value: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n  value: "${value}"\n`;
}

/**
 * A stand-in for render: every `apps/<name>.yaml` of the source goes to every cluster listed
 * (one per line) in `clusters.txt`.
 */
export function fakeRender(files: ReadonlyMap<string, string>, branchName = 'rendered'): BranchOutput {
  const names = (files.get('clusters.txt') ?? '').split('\n').filter(Boolean);
  const apps = [...files].filter(([p]) => p.startsWith('apps/'));
  return branch(branchName, names.map((n) => cluster(n, Object.fromEntries(apps.map(([p, c]) => [`default/${p.slice(5)}`, c])))));
}

/** A fleet repo with two clusters and one app, committed on main. */
export function fleet(dir = initRepo()): string {
  commitFiles(dir, 'two clusters, one app', { 'clusters.txt': 'east\nwest\n', 'apps/web.yaml': configMap('web', '1') });
  return dir;
}

/** Renders the fleet repo at `ref` with the stand-in renderer and commits it into the same repo. */
export async function renderAndCommit(dir: string, ref = 'main', extra: Partial<CommitOutputsOptions> = {}): Promise<CommitOutputsResult> {
  const s = await readSourceAt({ dir, ref });
  return commitOutputs({ dir, outputs: [fakeRender(s.files)], source: { repo: REPO, commit: s.commit, subject: s.subject }, version: VERSION, ...extra });
}

/** The GitError `p` rejects with; fails the test when it resolves or throws something else. */
export async function errorOf(p: Promise<unknown>): Promise<GitError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(GitError);
    return e as GitError;
  }
  throw new Error('expected a GitError');
}
