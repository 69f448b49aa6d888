/**
 * gitfed as a user runs it on one generated fleet: each command a cold `node dist/cmd/gitfed.js`
 * process, several times, with what it depends on reset between runs (a repository without the
 * output branch for --commit, no preview for a fresh --out). Beside it, `cp -r` of the finished
 * preview: the file system's own price for writing that tree.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from './stats.js';
import { runOk, settleDisk, type ProcessRun } from './process.js';
import { progress } from './progress.js';

export interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly runsMs: readonly number[];
  /** Highest peak RSS over the runs, in MiB, when it could be measured. */
  readonly maxRssMiB?: number;
}

export function timing(runs: readonly ProcessRun[]): Timing {
  const ms = runs.map((r) => r.ms);
  const rss = runs.map((r) => r.maxRssKiB).filter((v): v is number => v !== undefined);
  return { medianMs: median(ms), minMs: Math.min(...ms), runsMs: ms, ...(rss.length === runs.length ? { maxRssMiB: Math.max(...rss) / 1024 } : {}) };
}

export interface CliTimings {
  /** `render --commit` into a repository that has no output branch yet. */
  readonly commit: Timing;
  /** `render --out` into a directory that does not exist. */
  readonly outFresh: Timing;
  /** `render --out` over its own earlier preview, nothing changed. */
  readonly outUnchanged: Timing;
  /** `render --out` over its own earlier preview after one edit (a new log level on a Deployment placed everywhere). */
  readonly outEdited: Timing;
  /** `cp -r` of the finished preview into a directory that does not exist. */
  readonly copy: Timing;
  /** `render` with neither --out nor --commit: the same read, parse, place and emit, nothing written (the floor of --out). */
  readonly noWrite: Timing;
  /** The same pair with both sides written to a tmpfs, where no disk can stall either of them. */
  readonly tmpfs?: { readonly outFresh: Timing; readonly copy: Timing };
  readonly editedFile: string;
}

const FIXED_DATE = '2026-01-01T00:00:00Z';

function git(cwd: string, ...args: string[]): void {
  const env = { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.invalid', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.invalid', GIT_AUTHOR_DATE: FIXED_DATE, GIT_COMMITTER_DATE: FIXED_DATE };
  const r = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} in ${cwd}: ${r.stderr}`);
}

/** Commits the fleet as one source commit and keeps a copy of the fresh .git to reset to. */
export function makeSourceRepo(fleetDir: string, pristine: string): void {
  git(fleetDir, 'init', '-q', '-b', 'main');
  git(fleetDir, 'add', '-A');
  git(fleetDir, 'commit', '-q', '-m', 'fleet');
  cpSync(join(fleetDir, '.git'), pristine, { recursive: true });
}

function resetRepo(fleetDir: string, pristine: string): void {
  rmSync(join(fleetDir, '.git'), { recursive: true, force: true });
  cpSync(pristine, join(fleetDir, '.git'), { recursive: true });
}

/**
 * The k-th edit of a FederatedDeployment's template: its log level, which no override replaces
 * (in the distinct shape every cluster overrides the image, so a new tag would change nothing).
 */
export function editOnce(text: string, k: number): string {
  const next = text.replace(/(name: LOG_LEVEL\n\s+value: )(\S+)/, `$1$2-${k}`);
  if (next === text) throw new Error('no LOG_LEVEL in the Deployment template to edit');
  return next;
}

/** A FederatedDeployment placed on every cluster, so one edit reaches as many clusters as any can. */
export function editTarget(files: ReadonlyMap<string, string>): string {
  let fallback: string | undefined;
  for (const [path, text] of files) {
    if (!text.startsWith('apiVersion: types.kubefed.io/v1beta1\nkind: FederatedDeployment')) continue;
    fallback ??= path;
    if (/placement:\n\s+clusterSelector: \{\}/.test(text)) return path;
  }
  if (!fallback) throw new Error('no FederatedDeployment in the fleet to edit');
  return fallback;
}

export interface CliRunOptions {
  readonly gitfed: string;
  readonly fleetDir: string;
  readonly workDir: string;
  readonly runs: number;
  /** Repo-relative path -> text of the fleet, to choose the file the edit runs change. */
  readonly fleetFiles: ReadonlyMap<string, string>;
  readonly label: string;
  /** A directory on a tmpfs for the second --out and cp -r pair, when there is one. */
  readonly tmpfsDir?: string;
}

async function repeat(label: string, runs: number, before: (i: number) => void, run: () => Promise<ProcessRun>): Promise<Timing & { runs: ProcessRun[] }> {
  const all: ProcessRun[] = [];
  for (let i = 0; i < runs; i++) {
    before(i);
    settleDisk();
    const r = await run();
    all.push(r);
    progress(`${label} run ${i + 1}/${runs}: ${(r.ms / 1000).toFixed(2)} s${r.maxRssKiB ? `, ${(r.maxRssKiB / 1024).toFixed(0)} MiB` : ''}`);
  }
  const t = timing(all);
  if (runs > 1) progress(`${label}: median ${(t.medianMs / 1000).toFixed(2)} s`, true);
  return { ...t, runs: all };
}

/**
 * The host's speed drifts (other work, CPU credits), so each gitfed measurement is taken in turns
 * with its peer: `between(i, runs)` runs a share of the kustomize column after each --commit run,
 * and each --out into a new directory is followed by a cp -r of what it wrote.
 */
export async function timeCli(o: CliRunOptions, between?: (i: number, runs: number) => Promise<void>): Promise<CliTimings> {
  const node = process.execPath;
  const pristine = join(o.workDir, 'pristine.git');
  makeSourceRepo(o.fleetDir, pristine);
  const out = join(o.workDir, 'preview');
  const copy = join(o.workDir, 'preview-copy');
  const render = (...args: string[]) => runOk(node, [o.gitfed, 'render', '--repo', o.fleetDir, ...args]);

  const commitRuns: ProcessRun[] = [];
  for (let i = 0; i < o.runs; i++) {
    commitRuns.push(...(await repeat(`[${o.label}] render --commit`, 1, () => resetRepo(o.fleetDir, pristine), () => render('--commit'))).runs);
    await between?.(i, o.runs);
  }
  const commit = timing(commitRuns);
  const fresh = await pairRuns(o, render, out, copy, '');
  let tmpfs: CliTimings['tmpfs'];
  if (o.tmpfsDir !== undefined) {
    const memPreview = join(o.tmpfsDir, 'preview');
    try {
      const r = await pairRuns(o, render, memPreview, join(o.tmpfsDir, 'preview-copy'), ' on tmpfs');
      tmpfs = { outFresh: timing(r.out), copy: timing(r.copy) };
    } finally {
      rmSync(memPreview, { recursive: true, force: true });
    }
  }
  const noWrite = await repeat(`[${o.label}] render, nothing written`, o.runs, () => undefined, () => render());
  const outFresh = timing(fresh.out);
  const copyTiming = timing(fresh.copy);
  const outUnchanged = await repeat(`[${o.label}] render --out (over itself)`, o.runs, () => undefined, () => render('--out', out));
  const editedFile = editTarget(o.fleetFiles);
  const original = o.fleetFiles.get(editedFile)!;
  let outEdited: Timing;
  try {
    const edit = (k: number) => writeFileSync(join(o.fleetDir, editedFile), editOnce(original, k + 1));
    outEdited = await repeat(`[${o.label}] render --out (one edit)`, o.runs, edit, () => render('--out', out));
  } finally {
    writeFileSync(join(o.fleetDir, editedFile), original);
  }
  // Leave the preview as the unedited fleet renders it: the kustomize comparison reads it.
  await render('--out', out);
  return { commit, outFresh, outUnchanged, outEdited, copy: copyTiming, noWrite: timing(noWrite.runs), ...(tmpfs ? { tmpfs } : {}), editedFile };
}

/**
 * `render --out` into a new directory, each run followed by `cp -r` of what it wrote, so that both
 * meet the disk in the same state; the copy is removed at the end, the preview kept.
 */
async function pairRuns(o: CliRunOptions, render: (...args: string[]) => Promise<ProcessRun>, out: string, copy: string, where: string): Promise<{ out: ProcessRun[]; copy: ProcessRun[] }> {
  const outs: ProcessRun[] = [];
  const copies: ProcessRun[] = [];
  for (let i = 0; i < o.runs; i++) {
    outs.push(...(await repeat(`[${o.label}] render --out (new)${where}`, 1, () => rmSync(out, { recursive: true, force: true }), () => render('--out', out))).runs);
    copies.push(...(await repeat(`[${o.label}] cp -r of the preview${where}`, 1, () => rmSync(copy, { recursive: true, force: true }), () => runOk('cp', ['-r', out, copy]))).runs);
  }
  rmSync(copy, { recursive: true, force: true });
  return { out: outs, copy: copies };
}
