/** `gitfed daemon`: keep every member matching the output branch, and the report current. */
import type { Command } from 'commander';
import { memberOptions } from './apply.js';

interface DaemonFlags {
  repo: string;
  branch: string;
  kubeconfig?: string;
  cluster?: string[];
  config?: string;
  state: string;
  ageKeyFile?: string[];
}

export function register(program: Command): void {
  memberOptions(program.command('daemon'))
    .description('watch the output branch and keep every member matching it: apply on a new head, correct or report drift, prune')
    .addHelpText('after', '\nSIGTERM or SIGINT: in-flight requests finish, then the daemon exits 0.\n\nExample:\n  gitfed daemon --repo out.git --kubeconfig members.kubeconfig\n')
    .action(async (flags: DaemonFlags) => {
      const [{ loadConfig, withAgeKeyFiles }, { Daemon }] = await Promise.all([import('../../src/apply/config.js'), import('../../src/apply/daemon.js')]);
      const daemon = new Daemon({
        repo: flags.repo,
        branch: flags.branch,
        kubeconfig: flags.kubeconfig,
        clusters: flags.cluster,
        config: withAgeKeyFiles(loadConfig(flags.config), flags.ageKeyFile),
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
