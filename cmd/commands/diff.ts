/**
 * `gitfed diff`: what a change does to every cluster's rendered output (from source refs), or with
 * --live what an apply would change on each member now. Exit 0 no change, 1 changes, 2 error.
 */
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { DiffFormat } from '../../src/format/diff.js';
import type { RenderedFrom } from '../../src/git/state-read.js';
import type { RenderCaches, RenderResult } from '../../src/render/render.js';
import type { StateChange } from '../../src/state/change.js';
import { GitfedError } from '../../src/errors.js';
import { DEFAULT_BRANCH } from '../../src/git/layout.js';
import { paintFor, paintLiveDiff, paintUnifiedDiff } from '../colour.js';
import { branchSelector, chooseClusters, SELECTOR_FLAGS, SELECTOR_HELP } from '../cluster-filter.js';
import { printWarnings } from '../output.js';
import { renderAtOffThread, renderRevisionHere, type RenderedRevision } from '../render-worker.js';
import { renderWorkingTree, workingTreeFiles } from './render.js';

interface DiffFlags {
  repo: string;
  format: DiffFormat;
  live?: boolean;
  cluster?: string[];
  selector?: string;
  strict?: boolean;
  branch: string;
  kubeconfig?: string;
  config?: string;
  ageKeyFile?: string[];
  maxBytes?: string;
  fullOut?: string;
  fullLink?: string;
}

const FORMATS = new Set(['text', 'markdown', 'json']);

export function register(program: Command): void {
  program
    .command('diff')
    .description('show, per cluster, what a change does to the rendered output (default: working tree against HEAD)')
    .argument('[base]', 'source revision to compare from (default: HEAD)')
    .argument('[head]', 'source revision to compare to (default: the working tree)')
    .option('--repo <dir>', 'fleet repo', '.')
    .option('--format <format>', 'text | markdown | json', 'text')
    .option('--live', 'compare the output branch with the members instead (server-side dry-run)')
    .option('--cluster <name...>', 'only these clusters')
    .option(SELECTOR_FLAGS, SELECTOR_HELP)
    .option('--strict', "render both sides whole, and the head's warnings are errors (exit 2): for CI. Without it, only what the change reaches is rendered, and only its warnings are told")
    .option('--max-bytes <n>', `with --format markdown: the most bytes the comment may have, 0 for no limit (default: ${GITHUB_LIMIT}, GitHub's)`)
    .option('--full-out <file>', 'with --format markdown: also write the whole diff, unshortened, to this file; the comment names it')
    .option('--full-link <url>', 'with --full-out: where readers find that file (a CI artifact URL); the comment links it')
    .option('--branch <name>', 'with --live: output branch', DEFAULT_BRANCH)
    .option('--kubeconfig <file>', 'with --live: kubeconfig with a context per member')
    .option('--config <file>', 'with --live: apply policies (ignore rules, conflicts)')
    .option('--age-key-file <file...>', 'with --live: age identities for SOPS-encrypted objects (besides $SOPS_AGE_KEY_FILE)')
    .addHelpText('after', '\nExamples:\n  gitfed diff                                  # working tree against HEAD\n  gitfed diff origin/main HEAD --format markdown   # a PR comment\n  gitfed diff --live --cluster cloud-eu-1      # what an apply would change now\n')
    .action(async (baseArg: string | undefined, head: string | undefined, flags: DiffFlags) => {
      if (!FORMATS.has(flags.format)) throw new GitfedError('InvalidFlag', `--format must be text, markdown or json, not ${flags.format}`, { hint: '--format text, --format markdown (a PR comment) or --format json' });
      if (flags.live) {
        // The members are compared with the output branch as it is: a source revision has no say.
        if (baseArg !== undefined || head !== undefined) throw new GitfedError('InvalidFlag', `--live compares the output branch with the members; it takes no revision (got ${[baseArg, head].filter(Boolean).join(' ')})`, { hint: 'gitfed diff --live [--branch rendered]; or gitfed diff BASE HEAD without --live' });
        if (flags.strict) throw new GitfedError('InvalidFlag', '--strict needs a render; --live reads the output branch', { hint: 'gitfed render --strict checks the source' });
        return live(flags);
      }
      const budget = markdownFlags(flags);
      const base = baseArg ?? 'HEAD';
      // With more than two cores the base renders on a worker thread while this one renders the
      // head (started first, so that its start-up overlaps this thread's module loading; --cluster
      // bounds what crosses back). With two or fewer, V8's own threads (concurrent marking, the
      // optimising compiler) already fill the second core: at 500 clusters, every object distinct,
      // the diff on two threads took 2.9-3.3 s and 4.8-5.3 CPU-seconds, on this one 2.8-3.1 s and
      // 4.0-4.1 (README, Benchmarks). So both render here, the base first: the head
      // then shares the read and the parse of every file the two have in common and takes every cluster's copy
      // of a document made from the same as in the base (CopyMemo), and the compare reads both
      // sides' objects, so that only the changed files' texts are ever written (textsOnRead). A
      // small fleet (counted from the base's trees) renders here whatever the cores: a worker
      // would load the render's modules a second time for longer than it saves.
      const named = flags.cluster ? { clusters: flags.cluster } : {};
      // Two source revisions, warnings not refused: each side renders only what the change
      // reaches (src/render/affected.ts), on this thread whatever the cores; the rest of the
      // fleet renders alike on both and is left out. Otherwise both render whole.
      const [{ ParseCache }, { CopyMemo }] = await Promise.all([import('../../src/render/load.js'), import('../../src/render/copy-memo.js')]);
      const caches = { parse: new ParseCache(), copies: new CopyMemo(), textsOnRead: true };
      const texts = new Map<string, string>();
      // A working tree that cannot be read is told after the base's errors, by the whole render.
      const headFiles = head !== undefined || flags.strict ? undefined : await workingTreeFiles(flags.repo).catch(() => undefined);
      const headSource = head !== undefined ? { ref: head } : headFiles && { files: headFiles };
      const changed = flags.strict || !headSource ? undefined : await (await import('../../src/render-revision.js')).renderChangedAt(flags.repo, base, headSource, { caches, texts });
      let baseSide: Promise<RenderedRevision>;
      let headSide: ReturnType<typeof renderHead>;
      if (changed) {
        baseSide = Promise.resolve({ commit: changed.base.commit, render: changed.base.render });
        headSide = Promise.resolve({ ...(changed.head.commit ? { commit: changed.head.commit } : {}), render: changed.head.render });
      } else if (availableParallelism() <= 2 || (await baseFileCount(flags.repo, base)) < FEW_FILES) {
        baseSide = renderRevisionHere(flags.repo, base, { ...named, caches, texts });
        headSide = baseSide.then(() => renderHead(flags.repo, head, flags.strict === true, { caches, texts, ...(headFiles ? { files: headFiles } : {}) }));
      } else {
        baseSide = renderAtOffThread(flags.repo, base, named);
        headSide = renderHead(flags.repo, head, flags.strict === true, headFiles ? { files: headFiles } : {});
      }
      // Loaded while the sides render, not after: the import starts now and its modules are
      // evaluated once this thread lets go.
      const comparing = Promise.all([import('../../src/render/diff.js'), import('../../src/render/diff-review.js'), import('../../src/format/diff.js')]);
      // Awaited only when both sides render; a side's error is the one told.
      comparing.catch(() => undefined);
      // Both always settle, and the base's error is the one told when both sides fail (as before).
      const [b, h] = await Promise.allSettled([baseSide, headSide]);
      if (b.status === 'rejected') throw b.reason;
      if (h.status === 'rejected') throw h.reason;
      const [before, { from: headFrom, ...after }] = [b.value, h.value];
      const baseFrom = before.from;
      const [{ diffOutputs }, { reviewDiff }, { formatDiff }] = await comparing;
      printWarnings(after.render.warnings);
      // A cluster may be in one side only (joined or left): both inventories count, the head's labels first.
      const fleet = new Map([...before.render.clusters, ...after.render.clusters].map((c) => [c.name, c.labels]));
      const only = chooseClusters(flags, fleet);
      const pick = (bs: typeof before.render.branches) => (only ? bs.map((b) => ({ ...b, clusters: b.clusters.filter((c) => only.has(c.cluster)) })) : bs);
      const d = diffOutputs(pick(before.render.branches), pick(after.render.branches), {
        base: `${base} (${renderedLabel(baseFrom) ?? before.commit.slice(0, 7)})`,
        head: head === undefined ? 'working tree' : `${head} (${renderedLabel(headFrom) ?? after.commit!.slice(0, 7)})`,
      });
      const change = await stateChange(flags.repo, baseFrom?.state, headFrom?.state);
      const review = reviewDiff(d);
      let fullDiff: { name: string; bytes: number; link?: string } | undefined;
      if (flags.fullOut) {
        const full = formatDiff(d, review, 'markdown', { maxBytes: 0 });
        await writeFile(flags.fullOut, full);
        fullDiff = { name: basename(flags.fullOut), bytes: Buffer.byteLength(full), ...(flags.fullLink ? { link: flags.fullLink } : {}) };
      }
      const stateBlock = change ? await formatStateChange(change, flags.format) : '';
      const room = budget > 0 && stateBlock ? Math.max(1, budget - Buffer.byteLength(stateBlock)) : budget;
      let out = formatDiff(d, review, flags.format, { maxBytes: room, ...(fullDiff ? { fullDiff } : {}) });
      if (change) out = flags.format === 'json' ? JSON.stringify({ ...JSON.parse(out), stateChange: change }, null, 2) + '\n' : stateBlock + out;
      process.stdout.write(flags.format === 'text' ? paintUnifiedDiff(out, paintFor(process.stdout)) : out);
      process.exitCode = d.changed ? 1 : 0;
    });
}

/** Fleet files below which both sides render on the main thread (see the diff action). */
const FEW_FILES = 100;

/** The base's fleet files, or Infinity when it cannot be read (its render then tells why). */
async function baseFileCount(repo: string, ref: string): Promise<number> {
  const [{ countSourceFiles }, { fleetPathFilter }] = await Promise.all([import('../../src/git/source.js'), import('../../src/render-revision.js')]);
  return countSourceFiles({ dir: repo, ref, filter: fleetPathFilter }).catch(() => Infinity);
}

/** The head side on this thread: a revision (a rendered commit stands for its pair), or the working tree. */
async function renderHead(repo: string, head: string | undefined, strict: boolean, shared: { caches?: RenderCaches; texts?: Map<string, string>; files?: ReadonlyMap<string, string> }): Promise<{ commit?: string; from?: RenderedFrom; render: RenderResult }> {
  // The working tree is read from disk (once: `files` when the diff read it already); blob texts are for a revision.
  const { files, ...revision } = shared;
  const side = head === undefined ? { render: await renderWorkingTree(repo, undefined, { strict, ...(shared.caches ? { caches: shared.caches } : {}), ...(files ? { files } : {}) }) } : await (await import('../../src/render-revision.js')).renderRevision(repo, head, { strict, ...revision });
  // Some warnings find their line when it is first read: read it now, while a worker may still render the base.
  for (const w of side.render.warnings) void w.line;
  return side;
}

/** `rendered abc1234: source def5678, state 0123456` for a rendered commit. */
function renderedLabel(from: RenderedFrom | undefined): string | undefined {
  return from && `rendered ${from.commit.slice(0, 7)}: source ${from.source.slice(0, 7)}${from.state ? `, state ${from.state.slice(0, 7)}` : ''}`;
}

/** The state change between the two sides' states, when the head read one and it differs from the base's. */
async function stateChange(repo: string, base: string | undefined, head: string | undefined): Promise<StateChange | undefined> {
  if (head === undefined || head === base) return undefined;
  const { stateChangeBetween } = await import('../../src/git/state-branch.js');
  return stateChangeBetween(repo, base ?? null, head);
}

/** Loaded only when the two sides read different states, which a diff of source revisions never does. */
async function formatStateChange(change: StateChange, format: DiffFormat): Promise<string> {
  const { stateChangeMarkdown, stateChangeText } = await import('../../src/state/change.js');
  if (format === 'markdown') return stateChangeMarkdown(change) + '\n';
  return format === 'text' ? stateChangeText(change) + '\n' : '';
}

/** GitHub's limit for a comment; the default --max-bytes (kept here so --help needs no formatter). */
const GITHUB_LIMIT = 65_536;

/** The markdown budget, and the flags that only markdown takes checked. */
function markdownFlags(flags: DiffFlags): number {
  const markdownOnly = [flags.maxBytes !== undefined && '--max-bytes', flags.fullOut !== undefined && '--full-out', flags.fullLink !== undefined && '--full-link'].filter((f): f is string => !!f);
  if (flags.format !== 'markdown' && markdownOnly.length > 0) throw new GitfedError('InvalidFlag', `${markdownOnly.join(', ')} shape a markdown comment; add --format markdown`);
  if (flags.fullLink !== undefined && flags.fullOut === undefined) throw new GitfedError('InvalidFlag', '--full-link names where the --full-out file is; give --full-out too');
  if (flags.maxBytes === undefined) return GITHUB_LIMIT;
  const n = Number(flags.maxBytes);
  if (!/^\d+$/.test(flags.maxBytes) || !Number.isSafeInteger(n)) throw new GitfedError('InvalidFlag', `--max-bytes must be a whole number of bytes, not ${flags.maxBytes}`, { hint: '--max-bytes 65536 (GitHub), 1000000 (GitLab), or 0 for no limit' });
  return n;
}

async function live(flags: DiffFlags): Promise<void> {
  const [{ liveDiff, liveDiffExitCode }, { formatLiveDiff }] = await Promise.all([import('../../src/apply/live-diff.js'), import('../../src/format/live-diff.js')]);
  const { loadConfig, withAgeKeyFiles } = await import('../../src/apply/config.js');
  const selector = branchSelector(flags.selector);
  const result = await liveDiff({
    repo: flags.repo,
    branch: flags.branch,
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    ...(flags.cluster ? { clusters: flags.cluster } : {}),
    ...(selector ? { selector } : {}),
    config: withAgeKeyFiles(loadConfig(flags.config), flags.ageKeyFile),
  });
  const out = formatLiveDiff(result, flags.format);
  process.stdout.write(flags.format === 'text' ? paintLiveDiff(out, paintFor(process.stdout)) : out);
  process.exitCode = liveDiffExitCode(result);
}
