/** `gitfed disable TYPE`: stop propagating a federated type, or remove its type config. */
import type { Command } from 'commander';
import { checkFormat, FORMAT_OPTION, print } from './kubefedctl.js';

export function register(program: Command): void {
  program
    .command('disable')
    .description('set propagation: Disabled in a type config (its objects go nowhere), or remove it with --delete')
    .argument('<type>', "type config name (plural.group), target Kind or federated Kind")
    .option('--repo <dir>', 'fleet repo', '.')
    .option('--delete', 'remove the type config instead')
    .option('--force', 'with --delete: remove it even while federated objects of the type remain')
    .option(...FORMAT_OPTION)
    .addHelpText('after', '\nExamples:\n  gitfed disable certificates.cert-manager.io\n  gitfed disable Certificate --delete\n')
    .action(async (name: string, f: { repo: string; delete?: boolean; force?: boolean; format: string }) => {
      const format = checkFormat(f.format);
      const { disable } = await import('../../src/fleet/disable.js');
      const r = await disable({ repo: f.repo, name, delete: f.delete === true, force: f.force === true });
      const said = { disabled: 'set propagation Disabled in', unchanged: 'already disabled in', deleted: 'removed its type config from', created: 'wrote a disabled type config for the built-in kind to' }[r.action];
      const count = r.action === 'deleted' ? '' : ` (${r.instances.length} federated object(s) of the type now go nowhere)`;
      print(format, r, () => `${r.name}: ${said} ${r.file}${count}`);
    });
}
