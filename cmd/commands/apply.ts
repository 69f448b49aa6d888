/** `gitfed apply`: reconcile every member once with its directory on the output branch. */
import type { Command } from 'commander';
import type { ReportFormat } from '../../src/format/report.js';
import { GitfedError } from '../../src/errors.js';
import { DEFAULT_BRANCH } from '../../src/git/layout.js';
import { paintFor, paintStates } from '../colour.js';
import { branchSelector, SELECTOR_FLAGS, SELECTOR_HELP } from '../cluster-filter.js';

interface ApplyFlags {
  repo: string;
  branch: string;
  kubeconfig?: string;
  cluster?: string[];
  selector?: string;
  dryRun?: boolean;
  config?: string;
  state?: string;
  format: ReportFormat;
  ageKeyFile?: string[];
}

export function checkFormat(format: string): ReportFormat {
  if (format !== 'table' && format !== 'json' && format !== 'markdown') throw new GitfedError('InvalidFlag', `--format must be table, json or markdown, not ${format}`);
  return format;
}

/** The flags `apply` and `daemon` share: where the branch is, how to reach the members, policies, report file. */
export function memberOptions(cmd: Command): Command {
  return cmd
    .option('--repo <dir|url>', 'repository (or directory with the branch layout) holding the output branch; a URL is fetched', '.')
    .option('--branch <name>', 'output branch', DEFAULT_BRANCH)
    .option('--kubeconfig <file>', 'kubeconfig with one context per member (default: $KUBECONFIG, ~/.kube/config)')
    .option('--cluster <name...>', 'only these members')
    .option(SELECTOR_FLAGS, `${SELECTOR_HELP}; the labels recorded in the branch metadata`)
    .option('--config <file>', 'apply policies (default: ./gitfed-apply.yaml if present)')
    .option('--state <file>', 'where the report is kept for gitfed status (default: gitfed/status.json in the repository\'s git directory)')
    .option('--age-key-file <file...>', 'age identities for SOPS-encrypted objects (besides $SOPS_AGE_KEY_FILE and $SOPS_AGE_KEY)');
}

export function register(program: Command): void {
  memberOptions(program.command('apply'))
    .description('server-side-apply each cluster directory of the output branch to its member, once, and print the propagation report')
    .option('--dry-run', 'server-side dry-run only: report what would change; exit 1 if anything would')
    .option('--format <format>', 'table | json | markdown', 'table')
    .addHelpText('after', '\nExit codes: 0 every member synced, 1 changes pending (--dry-run), 2 a member failed or was unreachable.\n\nExample:\n  gitfed apply --repo out.git --branch rendered --kubeconfig members.kubeconfig\n')
    .action(async (flags: ApplyFlags) => {
      const format = checkFormat(flags.format);
      // Loaded here, not at the top: @kubernetes/client-node alone costs a second, and help needs none of it.
      const [{ applyBranch }, { readSource }, { loadConfig, withAgeKeyFiles }, { fetchRemote, isRemote }, { formatReport }, { applyExitCode }] = await Promise.all([
        import('../../src/apply/apply-branch.js'), import('../../src/git/branch-read.js'), import('../../src/apply/config.js'),
        import('../../src/git/mirror.js'), import('../../src/format/report.js'), import('../../src/apply/status/report.js'),
      ]);
      const config = withAgeKeyFiles(loadConfig(flags.config), flags.ageKeyFile);
      const repo = isRemote(flags.repo) ? await fetchRemote(flags.repo, flags.branch) : flags.repo;
      const selector = branchSelector(flags.selector);
      const snapshot = await readSource(repo, flags.branch, { clusters: flags.cluster, ...(selector ? { selector } : {}) });
      // -l resolves to names here: the report and the exit code then speak of exactly those members.
      const clusters = selector ? snapshot.clusters.map((c) => c.name) : flags.cluster;
      const report = await applyBranch({
        repo: flags.repo,
        branch: flags.branch,
        kubeconfig: flags.kubeconfig,
        clusters,
        dryRun: flags.dryRun,
        config,
        stateFile: flags.state,
        snapshot,
      });
      const out = formatReport(report, format);
      process.stdout.write(format === 'table' ? paintStates(out, paintFor(process.stdout)) : out);
      process.exitCode = applyExitCode(report, { clusters, dryRun: flags.dryRun });
    });
}
