/** `gitfed render`: the fleet repo's working tree (or a ref) into per-cluster objects. */
import { readFile, stat } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { RenderCaches, RenderResult } from '../../src/render/render.js';
import { GitfedError } from '../../src/errors.js';
import type { SourceRef } from '../../src/git/metadata.js';
import { publicUrl } from '../../src/git/public-url.js';
import { VERSION } from '../../src/version.js';
import { textTable } from '../../src/format/table.js';
import { chooseClusters, SELECTOR_FLAGS, SELECTOR_HELP } from '../cluster-filter.js';
import { printWarnings } from '../output.js';
import type { BranchOutput } from '../../src/render/types.js';

/** What the metadata file of a preview names as its source: not a commit, the files on disk. */
export const WORKING_TREE_SOURCE = { repo: '.', commit: 'working-tree' } as const;

/** WORKING_TREE_SOURCE with the fleet name a commit of this working tree would record, so the preview applies as the branch would. */
export async function previewSource(repo: string, sourceRepo?: string): Promise<SourceRef> {
  const [{ fleetNameOf }, { CONFIG_FILE }] = await Promise.all([import('../../src/publish.js'), import('../../src/render/config.js')]);
  const config = await readFile(resolve(repo, CONFIG_FILE), 'utf8').catch(() => undefined);
  // A preview is still worth having where no name can be found (a shallow clone without a remote).
  const fleet = await fleetNameOf(repo, new Map(config === undefined ? [] : [[CONFIG_FILE, config]]), { sourceRepo }).catch(() => undefined);
  return { ...WORKING_TREE_SOURCE, ...(fleet ? { fleet } : {}) };
}

export interface RenderFlags {
  repo: string;
  out?: string;
  commit?: boolean;
  ref: string;
  push?: string;
  sourceRepo?: string;
  cluster?: string[];
  selector?: string;
  strict?: boolean;
  format: 'table' | 'json';
  state?: string;
}

/**
 * Render the working tree of `repo`, excluding an `out` directory that sits inside it, with the
 * observed state at revision `state` of the repo (the state branch) when one is given; `strict`
 * refuses warnings.
 */
/** `files`: the working tree's fleet files when the caller has read them already (a diff). */
export async function renderWorkingTree(repo: string, out?: string, options: { strict?: boolean; state?: string; caches?: RenderCaches; files?: ReadonlyMap<string, string> } = {}): Promise<RenderResult> {
  const extra: string[] = [];
  if (out) {
    const rel = relative(resolve(repo), resolve(out));
    if (rel && !rel.startsWith('..')) extra.push(rel.split('\\').join('/') + '/**');
  }
  // Loaded when a render runs, so that help and the other verbs do not pay for the pipeline.
  const { renderFleet } = await import('../../src/render/render.js');
  const observed = options.state === undefined ? undefined : await (await import('../../src/git/state-read.js')).readStateAt(repo, options.state);
  return renderFleet(options.files ?? (await workingTreeFiles(repo, extra)), options.caches ?? {}, { strict: options.strict, ...(observed ? { state: observed } : {}) });
}

/** The fleet's files in the working tree (path -> text), `extra` globs left out besides gitfed.yaml's. */
export async function workingTreeFiles(repo: string, extra: readonly string[] = []): Promise<ReadonlyMap<string, string>> {
  return (await import('../../src/workspace/source.js')).readWorkingTree(repo, extra);
}

function restrictToClusters(branches: readonly BranchOutput[], only: ReadonlySet<string> | undefined): BranchOutput[] {
  if (!only) return [...branches];
  return branches.map((b) => ({ ...b, clusters: b.clusters.filter((c) => only.has(c.cluster)) })).filter((b) => b.clusters.length > 0);
}

export function register(program: Command): void {
  program
    .command('render')
    .description('render the fleet repo into one directory of objects per member cluster')
    .option('--repo <dir>', 'fleet repo', '.')
    .option('--out <dir>', 'write a preview directory with exactly the output branch layout')
    .option('--cluster <name...>', 'only these clusters')
    .option(SELECTOR_FLAGS, SELECTOR_HELP)
    .option('--strict', 'warnings are errors (exit 2, nothing written): for CI')
    .option('--commit', 'render a source commit (--ref) and commit every output branch')
    .option('--ref <rev>', 'source revision for --commit', 'HEAD')
    .option('--push <remote>', 'with --commit: publish the output branches (never forced)')
    .option('--source-repo <url>', 'how the metadata file names the fleet repo (default: remote origin URL, else ".")')
    .option('--state <rev>', 'read the members\' observed state at this revision of the state branch (e.g. fleet-state, written by gitfed observe)')
    .option('--format <format>', 'table | json', 'table')
    .addHelpText('after', '\nExamples:\n  gitfed render --repo examples/fleet-repo --out /tmp/preview\n  gitfed render --commit --repo . --ref main --push origin\n  gitfed render --commit --ref main --state fleet-state\n')
    .action(async (flags: RenderFlags) => {
      if (flags.commit || flags.push) {
        // Every output branch holds every cluster: a partial commit would drop the others from it.
        if (flags.cluster || flags.selector !== undefined) throw new GitfedError('InvalidFlag', `${flags.cluster ? '--cluster' : '--selector'} limits a preview or a summary; --commit renders every cluster into the branch`, { hint: 'drop it, or use --out DIR to preview some clusters' });
        return renderCommit(flags);
      }
      if (flags.out) await checkOutDir(flags.out);
      const [result, { previewFiles, writePreview }, { summarize, formatSummary }, { branchFiles }] = await Promise.all([
        renderWorkingTree(flags.repo, flags.out, { strict: flags.strict, state: flags.state }), import('../../src/workspace/preview.js'), import('../../src/format/summary.js'), import('../../src/git/metadata.js'),
      ]);
      const only = chooseClusters(flags, new Map(result.clusters.map((c) => [c.name, c.labels])));
      const branches = restrictToClusters(result.branches, only);
      if (flags.out) {
        const source = await previewSource(flags.repo, flags.sourceRepo);
        await writePreview(flags.out, previewFiles(branches, (b) => branchFiles(b, source, VERSION)), { repo: flags.repo });
      }
      printWarnings(result.warnings);
      const summary = summarize(result, only);
      if (flags.format === 'json') process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      else process.stdout.write(formatSummary(summary) + '\n' + (flags.out ? `\nwrote ${flags.out}\n` : ''));
    });
}

/** `--out` must be a directory, or a path where one can be made: nothing on the way may be a file. */
async function checkOutDir(out: string): Promise<void> {
  for (let p = resolve(out); ; p = dirname(p)) {
    const st = await stat(p).catch(() => undefined);
    if (st && !st.isDirectory()) {
      const what = p === resolve(out) ? '--out is a file' : `--out is under ${p}, which is a file`;
      throw new GitfedError('InvalidOutput', `${what}; give a directory for the preview (it is created, or replaced when it holds an earlier preview)`, { file: out });
    }
    if (st || p === dirname(p)) return;
  }
}

async function renderCommit(flags: RenderFlags): Promise<void> {
  const { publish } = await import('../../src/publish.js');
  const { originUrl, fetchBranches } = await import('./remote.js');
  const sourceRepo = flags.sourceRepo ?? (await originUrl(flags.repo)) ?? '.';
  const r = await publish({
    repo: flags.repo,
    ref: flags.ref,
    sourceRepo,
    ...(flags.state !== undefined ? { state: flags.state } : {}),
    strict: flags.strict === true,
    ...(flags.push ? { push: flags.push, fetch: (branches: readonly string[]) => fetchBranches(flags.repo, flags.push!, branches) } : {}),
  });
  printWarnings(r.render.warnings);
  if (flags.format === 'json') {
    process.stdout.write(JSON.stringify({ source: r.source, ...(r.render.state?.commit ? { state: r.render.state.commit } : {}), branches: r.commit.branches, notes: r.commit.notes, pushed: r.pushed ? { ...r.pushed, url: publicUrl(r.pushed.url) } : null }, null, 2) + '\n');
    return;
  }
  process.stdout.write(`source ${r.source.commit.slice(0, 7)} ${r.source.subject}\n${r.render.state?.commit ? `state ${r.render.state.commit.slice(0, 7)}\n` : ''}\n`);
  process.stdout.write(textTable(['BRANCH', 'HEAD', 'COMMITTED', 'CLUSTERS NEW', 'CHANGED', 'GONE', 'UNCHANGED'], r.commit.branches.map((b) => [
    b.branch, b.head.slice(0, 12), b.committed ? 'yes' : 'no (up to date)', b.added.length, b.changed.length, b.removed.length, b.unchanged.length,
  ])) + '\n');
  if (r.pushed) process.stdout.write(`\npushed to ${publicUrl(r.pushed.url)}: ${r.pushed.refs.map((p) => `${p.ref} ${p.status}`).join(', ')}\n`);
}
