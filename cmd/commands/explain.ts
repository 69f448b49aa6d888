/** `gitfed explain KIND/[NAMESPACE/]NAME`: why an object goes where it goes. */
import type { Command } from 'commander';
import { GitfedError } from '../../src/errors.js';
import { checkFormat, kubefedctlRef } from './kubefedctl.js';
import { renderWorkingTree } from './render.js';

export function register(program: Command): void {
  program
    .command('explain')
    .description('explain an object: which placement or policy matched, the replica arithmetic, the overrides per cluster')
    .argument('<object>', 'KIND/[NAMESPACE/]NAME, e.g. deployment/shop/web or FederatedDeployment/shop/web; or KIND with NAME and -n')
    .argument('[name]', "kubefedctl's form: the object's name, with KIND before it and -n NAMESPACE")
    .option('-n, --namespace <ns>', "kubefedctl's form: the object's namespace")
    .option('--repo <dir>', 'fleet repo', '.')
    .option('--format <format>', 'text | json', 'text')
    .addHelpText('after', '\nExample:\n  gitfed explain --repo examples/fleet-repo deployment/shop/web\n')
    .action(async (kindOrObject: string, name: string | undefined, flags: { repo: string; format: string; namespace?: string }) => {
      const format = checkFormat(flags.format);
      const query = kubefedctlRef(kindOrObject, name, flags.namespace);
      const [result, { findExplanations, formatExplanation }] = await Promise.all([renderWorkingTree(flags.repo), import('../../src/render/explain.js')]);
      const found = findExplanations(result.explanations, query);
      if (found.length === 0) throw new GitfedError('NotFound', `no federated object or template matches ${query}`);
      if (format === 'json') process.stdout.write(JSON.stringify(found, null, 2) + '\n');
      else process.stdout.write(found.map(formatExplanation).join('\n\n') + '\n');
    });
}
