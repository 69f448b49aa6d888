/** `gitfed orphaning-deletion enable|disable|status OBJECT`: KubeFed's kubefed.io/orphan annotation, in the fleet repo. */
import { Argument, type Command } from 'commander';
import { ORPHAN_ANNOTATION } from '../../src/apply/member/ownership.js';
import type { OrphaningAction } from '../../src/fleet/orphaning.js';
import { printWarnings } from '../output.js';
import { checkFormat, FORMAT_OPTION, kubefedctlRef, print } from './kubefedctl.js';

export function register(program: Command): void {
  program
    .command('orphaning-deletion')
    .description(`set, remove or show ${ORPHAN_ANNOTATION}: "true" on a federated object's template, so apply leaves the member objects in place when it goes`)
    .addArgument(new Argument('<action>', 'what to do').choices(['enable', 'disable', 'status']))
    .argument('<object>', 'KIND/NAMESPACE/NAME (KIND/NAME when cluster-scoped), e.g. deployment/shop/web; or KIND with NAME and -n, as kubefedctl')
    .argument('[name]', "kubefedctl's form: the object's name, with KIND before it and -n NAMESPACE")
    .option('-n, --namespace <ns>', "kubefedctl's form: the object's namespace")
    .option('--repo <dir>', 'fleet repo', '.')
    .option(...FORMAT_OPTION)
    .addHelpText('after', '\nExamples:\n  gitfed orphaning-deletion enable deployment/shop/web\n  gitfed orphaning-deletion status FederatedNamespace/shop\n')
    .action(async (action: OrphaningAction, kindOrObject: string, name: string | undefined, f: { repo: string; format: string; namespace?: string }) => {
      const format = checkFormat(f.format);
      const object = kubefedctlRef(kindOrObject, name, f.namespace);
      const { orphaning } = await import('../../src/fleet/orphaning.js');
      const r = await orphaning({ repo: f.repo, object, action });
      if (r.onFederatedObject) {
        printWarnings([{ code: 'OrphanOnFederatedObject', file: r.file, line: r.line, object: r.object, message: `${ORPHAN_ANNOTATION} is on the federated object itself (upstream's place); no member sees it there: gitfed reads it on the template` }]);
      }
      print(format, r, () => (action === 'status' ? r.status : `${r.object} (${r.file}:${r.line}): orphaning ${r.status}${r.changed ? '' : ' (no change)'}`));
    });
}
