/** `gitfed daemon`: keep every member matching the output branch, and the report current. */
import type { Command } from 'commander';
import { loadConfig } from '../../src/apply/config.js';
import { Daemon } from '../../src/apply/daemon.js';
import { DEFAULT_STATE_FILE } from '../../src/apply/state-store.js';

interface DaemonFlags {
  repo: string;
  branch: string;
  kubeconfig?: string;
  cluster?: string[];
  config?: string;
  state: string;
}

export function register(program: Command): void {
  program
    .command('daemon')
    .description('watch the output branch and keep every member matching it: apply on a new head, correct or report drift, prune')
    .option('--repo <dir|url>', 'repository holding the output branch; a URL is fetched on an interval', '.')
    .option('--branch <name>', 'output branch', 'rendered')
    .option('--kubeconfig <file>', 'kubeconfig with one context per member (default: $KUBECONFIG, ~/.kube/config)')
    .option('--cluster <name...>', 'only these members')
    .option('--config <file>', 'apply policies (default: ./gitfed-apply.yaml if present)')
    .option('--state <file>', 'where the report is kept for gitfed status', DEFAULT_STATE_FILE)
    .addHelpText('after', '\nSIGTERM or SIGINT: in-flight requests finish, then the daemon exits 0.\n\nExample:\n  gitfed daemon --repo out.git --kubeconfig members.kubeconfig\n')
    .action(async (flags: DaemonFlags) => {
      const daemon = new Daemon({
        repo: flags.repo,
        branch: flags.branch,
        kubeconfig: flags.kubeconfig,
        clusters: flags.cluster,
        config: loadConfig(flags.config),
        stateFile: flags.state,
        log: (line) => process.stderr.write(line + '\n'),
      });
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`${signal}: finishing in-flight requests\n`);
        daemon.stop().then(
          () => process.exit(0),
          () => process.exit(2),
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
      await daemon.start();
    });
}
