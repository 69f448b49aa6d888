/** `gitfed unjoin NAME`: a member cluster leaves the fleet repo's inventory. */
import type { Command } from 'commander';
import { printWarnings } from '../output.js';
import { checkFormat, FORMAT_OPTION, print } from './kubefedctl.js';

export function register(program: Command): void {
  program
    .command('unjoin')
    .description('remove a member cluster from the fleet repo (its document only; objects on the member stay, as upstream)')
    .argument('<name>', 'cluster name')
    .option('--repo <dir>', 'fleet repo', '.')
    .option(...FORMAT_OPTION)
    .addHelpText('after', '\nExample:\n  gitfed unjoin burst-1 --repo fleet\n')
    .action(async (name: string, f: { repo: string; format: string }) => {
      const format = checkFormat(f.format);
      const { unjoin } = await import('../../src/fleet/unjoin.js');
      const r = await unjoin({ repo: f.repo, name });
      printWarnings(r.references.map((ref) => ({
        code: 'ClusterStillNamed', file: ref.file, line: ref.line, object: ref.object,
        message: `${ref.field} names ${name}, which is no longer in the fleet`,
      })));
      print(format, r, () => r.removed.map((x) => `unjoined ${name}: ${x.action === 'file-deleted' ? 'deleted' : 'removed its document from'} ${x.file}`).join('\n'));
    });
}
