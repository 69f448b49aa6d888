/** `gitfed orphaning-deletion enable|disable|status OBJECT`: KubeFed's kubefed.io/orphan annotation, in the fleet repo. */
import { Argument, type Command } from 'commander';
import { ORPHAN_ANNOTATION } from '../../src/apply/member/ownership.js';
import type { OrphaningAction } from '../../src/fleet/orphaning.js';
import { printWarnings } from '../output.js';
import { FleetError } from '../../src/fleet/errors.js';
import { formatRef } from '../../src/object.js';
import { checkFormat, FORMAT_OPTION, kubefedctlRef, print, type Format } from './kubefedctl.js';

/**
 * The annotation on the member object itself. kubefedctl read and wrote it on the host's federated
 * object; gitfed's prune reads it on the live member object, so that is what a live status shows.
 * Setting it stays a change to the repo: a member edited by hand is what gitfed exists to avoid.
 */
async function liveStatus(action: OrphaningAction, object: string, context: string, kubeconfig: string | undefined, format: Format): Promise<void> {
  if (action !== 'status') {
    throw new FleetError('InvalidFlag', `orphaning-deletion ${action} --from-cluster: gitfed sets the annotation in the fleet repo, never on a member by hand`, { hint: `drop --from-cluster: gitfed orphaning-deletion ${action} ${object}, then render and apply` });
  }
  const [{ parseQuery }, { liveObject }] = await Promise.all([import('../../src/fleet/orphaning.js'), import('../../src/fleet/live.js')]);
  const q = parseQuery(object);
  // FederatedDeployment names the Deployment a member holds.
  const type = /^federated./i.test(q.kind) && !q.kind.includes('.') ? q.kind.slice('federated'.length) : q.kind;
  const { resource, object: live } = await liveObject({ context, ...(kubeconfig ? { kubeconfig } : {}) }, type, q.namespace, q.name);
  const member = formatRef({ kind: resource.kind, namespace: resource.namespaced ? (q.namespace ?? 'default') : '', name: q.name });
  if (!live) throw new FleetError('NotFound', `${member} is not on cluster ${context}`, { cluster: context, object: member });
  const status = live.metadata.annotations?.[ORPHAN_ANNOTATION] === 'true' ? 'Enabled' : 'Disabled';
  print(format, { object: member, cluster: context, status }, () => status);
}

export function register(program: Command): void {
  program
    .command('orphaning-deletion')
    .description(`set, remove or show ${ORPHAN_ANNOTATION}: "true" on a federated object's template, so apply leaves the member objects in place when it goes`)
    .addArgument(new Argument('<action>', 'what to do').choices(['enable', 'disable', 'status']))
    .argument('<object>', 'KIND/NAMESPACE/NAME (KIND/NAME when cluster-scoped), e.g. deployment/shop/web; or KIND with NAME and -n, as kubefedctl')
    .argument('[name]', "kubefedctl's form: the object's name, with KIND before it and -n NAMESPACE")
    .option('-n, --namespace <ns>', "kubefedctl's form: the object's namespace")
    .option('--repo <dir>', 'fleet repo', '.')
    .option('--from-cluster <context>', 'status only: read the annotation on the member object in this cluster, the one prune honours when the object leaves the branch')
    .option('--kubeconfig <file>', 'with --from-cluster (default: $KUBECONFIG, ~/.kube/config)')
    .option(...FORMAT_OPTION)
    .addHelpText('after', '\nExamples:\n  gitfed orphaning-deletion enable deployment/shop/web\n  gitfed orphaning-deletion status FederatedNamespace/shop\n  gitfed orphaning-deletion status FederatedDeployment web -n shop --from-cluster member1\n')
    .action(async (action: OrphaningAction, kindOrObject: string, name: string | undefined, f: { repo: string; format: string; namespace?: string; fromCluster?: string; kubeconfig?: string }) => {
      const format = checkFormat(f.format);
      const object = kubefedctlRef(kindOrObject, name, f.namespace);
      if (f.fromCluster !== undefined) return liveStatus(action, object, f.fromCluster, f.kubeconfig, format);
      const { orphaning } = await import('../../src/fleet/orphaning.js');
      const r = await orphaning({ repo: f.repo, object, action });
      if (r.onFederatedObject) {
        printWarnings([{ code: 'OrphanOnFederatedObject', file: r.file, line: r.line, object: r.object, message: `${ORPHAN_ANNOTATION} is on the federated object itself (upstream's place); no member sees it there: gitfed reads it on the template` }]);
      }
      print(format, r, () => (action === 'status' ? r.status : `${r.object} (${r.file}:${r.line}): orphaning ${r.status}${r.changed ? '' : ' (no change)'}`));
    });
}
