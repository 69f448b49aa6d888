/** `gitfed explain KIND/[NAMESPACE/]NAME`: why an object goes where it goes. */
import type { Command } from 'commander';
import { GitfedError } from '../../src/errors.js';
import { checkFormat, kubefedctlRef, targetKind } from './kubefedctl.js';
import { renderWorkingTree } from './render.js';

export function register(program: Command): void {
  program
    .command('explain')
    .description('explain an object: which placement or policy matched, the replica arithmetic, the overrides per cluster')
    .argument('<object>', 'KIND/[NAMESPACE/]NAME, e.g. deployment/shop/web, deploy/shop/web, deployments.apps/shop/web or FederatedDeployment/shop/web; or KIND with NAME and -n')
    .argument('[name]', "kubefedctl's form: the object's name, with KIND before it and -n NAMESPACE")
    .option('-n, --namespace <ns>', "kubefedctl's form: the object's namespace")
    .option('--repo <dir>', 'fleet repo', '.')
    .option('--state <rev>', 'explain with the members\' observed state at this revision of the state branch (e.g. fleet-state): the state behind each number')
    .option('--format <format>', 'text | json', 'text')
    .addHelpText('after', '\nExample:\n  gitfed explain --repo examples/fleet-repo deployment/shop/web\n  gitfed explain deployment web -n shop\n  gitfed explain --state fleet-state deployment/shop/web\n')
    .action(async (kindOrObject: string, name: string | undefined, flags: { repo: string; format: string; namespace?: string; state?: string }) => {
      const format = checkFormat(flags.format);
      const query = kubefedctlRef(kindOrObject, name, flags.namespace);
      const [result, target, { findExplanations }, { formatExplanations }] = await Promise.all([
        renderWorkingTree(flags.repo, undefined, { state: flags.state }), targetKind(flags.repo, query), import('../../src/render/explain.js'), import('../../src/format/explain.js'),
      ]);
      const found = findExplanations(result.explanations, query, target);
      if (found.length === 0) throw new GitfedError('NotFound', `no federated object or template matches ${query}`);
      process.stdout.write(formatExplanations(found, format));
    });
}
