/**
 * `gitfed diff`: what a change does to every cluster's rendered output (from source refs), or with
 * --live what an apply would change on each member now. Exit 0 no change, 1 changes, 2 error.
 */
import type { Command } from 'commander';
import type { DiffFormat } from '../../src/format/diff.js';
import { GitfedError } from '../../src/errors.js';
import { DEFAULT_BRANCH } from '../../src/git/layout.js';
import { paintFor, paintLiveDiff, paintUnifiedDiff } from '../colour.js';
import { chooseClusters, SELECTOR_FLAGS, SELECTOR_HELP } from '../cluster-filter.js';
import { printWarnings } from '../output.js';
import { renderWorkingTree } from './render.js';

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
    .option('--strict', "the head's render warnings are errors (exit 2): for CI")
    .option('--branch <name>', 'with --live: output branch', DEFAULT_BRANCH)
    .option('--kubeconfig <file>', 'with --live: kubeconfig with a context per member')
    .option('--config <file>', 'with --live: apply policies (ignore rules, conflicts)')
    .addHelpText('after', '\nExamples:\n  gitfed diff                                  # working tree against HEAD\n  gitfed diff origin/main HEAD --format markdown   # a PR comment\n  gitfed diff --live --cluster cloud-eu-1      # what an apply would change now\n')
    .action(async (baseArg: string | undefined, head: string | undefined, flags: DiffFlags) => {
      if (!FORMATS.has(flags.format)) throw new GitfedError('InvalidFlag', `--format must be text, markdown or json, not ${flags.format}`, { hint: '--format text, --format markdown (a PR comment) or --format json' });
      if (flags.live) {
        // The members are compared with the output branch as it is: a source revision has no say.
        if (baseArg !== undefined || head !== undefined) throw new GitfedError('InvalidFlag', `--live compares the output branch with the members; it takes no revision (got ${[baseArg, head].filter(Boolean).join(' ')})`, { hint: 'gitfed diff --live [--branch rendered]; or gitfed diff BASE HEAD without --live' });
        if (flags.strict || flags.selector !== undefined) throw new GitfedError('InvalidFlag', `${flags.strict ? '--strict' : '--selector'} needs a render; --live reads the output branch`, { hint: 'use --cluster NAME with --live' });
        return live(flags);
      }
      const base = baseArg ?? 'HEAD';
      const [{ renderAt }, { diffOutputs }, { formatDiff }] = await Promise.all([import('../../src/publish.js'), import('../../src/render/diff.js'), import('../../src/format/diff.js')]);
      const before = await renderAt(flags.repo, base);
      const strict = { strict: flags.strict === true };
      const after = head === undefined ? { render: await renderWorkingTree(flags.repo, undefined, strict), commit: undefined } : await renderAt(flags.repo, head, strict);
      printWarnings(after.render.warnings);
      // A cluster may be in one side only (joined or left): both inventories count, the head's labels first.
      const fleet = new Map([...before.render.clusters, ...after.render.clusters].map((c) => [c.name, c.labels]));
      const only = chooseClusters(flags, fleet);
      const pick = (bs: typeof before.render.branches) => (only ? bs.map((b) => ({ ...b, clusters: b.clusters.filter((c) => only.has(c.cluster)) })) : bs);
      const d = diffOutputs(pick(before.render.branches), pick(after.render.branches), {
        base: `${base} (${before.commit.slice(0, 7)})`,
        head: head === undefined ? 'working tree' : `${head} (${after.commit!.slice(0, 7)})`,
      });
      const out = formatDiff(d, flags.format);
      process.stdout.write(flags.format === 'text' ? paintUnifiedDiff(out, paintFor(process.stdout)) : out);
      process.exitCode = d.changed ? 1 : 0;
    });
}

async function live(flags: DiffFlags): Promise<void> {
  const { liveDiff, liveDiffExitCode, formatLiveDiff } = await import('../../src/apply/live-diff.js');
  const { loadConfig } = await import('../../src/apply/config.js');
  const result = await liveDiff({
    repo: flags.repo,
    branch: flags.branch,
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    ...(flags.cluster ? { clusters: flags.cluster } : {}),
    config: loadConfig(flags.config),
  });
  const out = formatLiveDiff(result, flags.format);
  process.stdout.write(flags.format === 'text' ? paintLiveDiff(out, paintFor(process.stdout)) : out);
  process.exitCode = liveDiffExitCode(result);
}
