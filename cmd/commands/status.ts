/** `gitfed status`: the last propagation report, as a table for people, or JSON or Markdown. */
import type { Command } from 'commander';
import { GitfedError } from '../../src/errors.js';
import { paintFor, paintStates } from '../colour.js';
import { checkFormat } from './apply.js';

interface StatusFlags {
  repo: string;
  state?: string;
  kubeconfig?: string;
  namespace: string;
  format: string;
  all?: boolean;
}

export function register(program: Command): void {
  program
    .command('status')
    .description('print the propagation report kept by gitfed apply and gitfed daemon, or by the controller in a management cluster')
    .option('--repo <dir|url>', 'the repository whose report to print (kept in its git directory)', '.')
    .option('--state <file>', 'the report file (default: gitfed/status.json in the repository\'s git directory)')
    .option('--kubeconfig <file>', 'read the report from the MemberStatus objects of the management cluster instead')
    .option('--namespace <ns>', 'namespace of the controller in the management cluster (with --kubeconfig)', 'gitfed-system')
    .option('--format <format>', 'table | json | markdown', 'table')
    .option('--all', 'list every object, not only those that need a look')
    .action(async (flags: StatusFlags) => {
      const format = checkFormat(flags.format);
      const { formatReport } = await import('../../src/format/report.js');
      let report;
      if (flags.kubeconfig) {
        const [{ Management }, { StatusStore }, { fleetReport }] = await Promise.all([
          import('../../src/controller/management.js'), import('../../src/controller/status-store.js'), import('../../src/controller/fleet-report.js'),
        ]);
        const mgmt = await Management.connect(flags.kubeconfig, flags.namespace, 10_000);
        try {
          const objects = await new StatusStore(mgmt).list();
          if (objects.length === 0) throw new GitfedError('NoReport', `no MemberStatus objects in namespace ${flags.namespace}`, { hint: 'is a gitfed controller running there? (--namespace names its namespace)' });
          const { writers: _w, ...plain } = fleetReport(objects, { now: Date.now() });
          report = plain;
        } finally {
          mgmt.close();
        }
      } else {
        const { readState, stateFileFor } = await import('../../src/apply/status/state-store.js');
        const file = flags.state ?? stateFileFor(flags.repo);
        report = readState(file);
        if (!report) throw new GitfedError('NoReport', `no report at ${file}`, { file, hint: 'run gitfed apply or gitfed daemon first (or point --state at their report, --kubeconfig at the management cluster of a controller)' });
      }
      const out = formatReport(report, format, { allObjects: flags.all });
      process.stdout.write(format === 'table' ? paintStates(out, paintFor(process.stdout)) : out);
    });
}
