/**
 * `gitfed diff`: what a change does to every cluster's rendered output (from source refs), or with
 * --live what an apply would change on each member now. Exit 0 no change, 1 changes, 2 error.
 */
import type { Command } from 'commander';
import type { DiffFormat } from '../../src/format/diff.js';
import { GitfedError } from '../../src/errors.js';
import { DEFAULT_BRANCH } from '../../src/git/layout.js';
import { paintFor, paintLiveDiff, paintUnifiedDiff } from '../colour.js';
import { printWarnings } from '../output.js';
import { renderWorkingTree } from './render.js';

interface DiffFlags {
  repo: string;
  format: DiffFormat;
  live?: boolean;
  cluster?: string[];
  branch: string;
  kubeconfig?: string;
  config?: string;
  ageKeyFile?: string[];
}

const FORMATS = new Set(['text', 'markdown', 'json']);

export function register(program: Command): void {
  program
    .command('diff')
    .description('show, per cluster, what a change does to the rendered output (default: working tree against HEAD)')
    .argument('[base]', 'source revision to compare from', 'HEAD')
    .argument('[head]', 'source revision to compare to (default: the working tree)')
    .option('--repo <dir>', 'fleet repo', '.')
    .option('--format <format>', 'text | markdown | json', 'text')
    .option('--live', 'compare the output branch with the members instead (server-side dry-run)')
    .option('--cluster <name...>', 'only these clusters')
    .option('--branch <name>', 'with --live: output branch', DEFAULT_BRANCH)
    .option('--kubeconfig <file>', 'with --live: kubeconfig with a context per member')
    .option('--config <file>', 'with --live: apply policies (ignore rules, conflicts)')
    .option('--age-key-file <file...>', 'with --live: age identities for SOPS-encrypted objects (besides $SOPS_AGE_KEY_FILE)')
    .addHelpText('after', '\nExamples:\n  gitfed diff                                  # working tree against HEAD\n  gitfed diff origin/main HEAD --format markdown   # a PR comment\n  gitfed diff --live --cluster cloud-eu-1      # what an apply would change now\n')
    .action(async (base: string, head: string | undefined, flags: DiffFlags) => {
      if (!FORMATS.has(flags.format)) throw new GitfedError('InvalidFlag', `--format must be text, markdown or json, not ${flags.format}`, { hint: '--format text, --format markdown (a PR comment) or --format json' });
      if (flags.live) return live(flags);
      const [{ renderAt }, { diffOutputs }, { formatDiff }] = await Promise.all([import('../../src/publish.js'), import('../../src/render/diff.js'), import('../../src/format/diff.js')]);
      const before = await renderAt(flags.repo, base);
      const after = head === undefined ? { render: await renderWorkingTree(flags.repo), commit: undefined } : await renderAt(flags.repo, head);
      printWarnings(after.render.warnings);
      const only = flags.cluster ? new Set(flags.cluster) : undefined;
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
  const [{ liveDiff, liveDiffExitCode }, { formatLiveDiff }] = await Promise.all([import('../../src/apply/live-diff.js'), import('../../src/format/live-diff.js')]);
  const { loadConfig, withAgeKeyFiles } = await import('../../src/apply/config.js');
  const result = await liveDiff({
    repo: flags.repo,
    branch: flags.branch,
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    ...(flags.cluster ? { clusters: flags.cluster } : {}),
    config: withAgeKeyFiles(loadConfig(flags.config), flags.ageKeyFile),
  });
  const out = formatLiveDiff(result, flags.format);
  process.stdout.write(flags.format === 'text' ? paintLiveDiff(out, paintFor(process.stdout)) : out);
  process.exitCode = liveDiffExitCode(result);
}
