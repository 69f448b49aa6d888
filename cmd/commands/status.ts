/** `gitfed status`: the last propagation report, as a table for people, or JSON or Markdown. */
import type { Command } from 'commander';
import { DEFAULT_STATE_FILE } from '../../src/apply/status/state-store.js';
import { GitfedError } from '../../src/errors.js';
import { paintFor, paintStates } from '../colour.js';
import { checkFormat } from './apply.js';

interface StatusFlags {
  state: string;
  format: string;
  all?: boolean;
}

export function register(program: Command): void {
  program
    .command('status')
    .description('print the propagation report kept by gitfed apply and gitfed daemon')
    .option('--state <file>', 'the report file', DEFAULT_STATE_FILE)
    .option('--format <format>', 'table | json | markdown', 'table')
    .option('--all', 'list every object, not only those that need a look')
    .action(async (flags: StatusFlags) => {
      const format = checkFormat(flags.format);
      const [{ formatReport }, { readState }] = await Promise.all([import('../../src/format/report.js'), import('../../src/apply/status/state-store.js')]);
      const report = readState(flags.state);
      if (!report) throw new GitfedError('NoReport', `no report at ${flags.state}`, { file: flags.state, hint: 'run gitfed apply or gitfed daemon first (or point --state at their report)' });
      const out = formatReport(report, format, { allObjects: flags.all });
      process.stdout.write(format === 'table' ? paintStates(out, paintFor(process.stdout)) : out);
    });
}
