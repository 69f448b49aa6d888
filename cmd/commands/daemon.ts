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
  rollout?: string;
  rolloutState: string;
  ageKeyFile?: string[];
}

export function register(program: Command): void {
  memberOptions(program.command('daemon'))
    .description('watch the output branch and keep every member matching it: apply on a new head, correct or report drift, prune')
    .option('--rollout <fleet dir>', "roll a new head out wave by wave, by the rollout section of this fleet checkout's gitfed.yaml (docs/rollout.md)")
    .option('--rollout-state <file>', 'where the rollout is kept for gitfed rollout status | resume | abort | promote', '.gitfed-rollout.json')
    .addHelpText('after', '\nSIGTERM or SIGINT: in-flight requests finish, then the daemon exits 0.\n\nExample:\n  gitfed daemon --repo out.git --kubeconfig members.kubeconfig\n')
    .action(async (flags: DaemonFlags) => {
      const [{ loadConfig, withAgeKeyFiles }, { Daemon }] = await Promise.all([import('../../src/apply/config.js'), import('../../src/apply/daemon.js')]);
      const rollout = flags.rollout === undefined ? undefined : { ...(await (await import('../../src/rollout/fleet-waves.js')).fleetWaves(flags.rollout)), file: flags.rolloutState };
      const daemon = new Daemon({
        repo: flags.repo,
        branch: flags.branch,
        kubeconfig: flags.kubeconfig,
        clusters: flags.cluster,
        config: withAgeKeyFiles(loadConfig(flags.config), flags.ageKeyFile),
        stateFile: flags.state,
        ...(rollout ? { rollout } : {}),
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
