/** `gitfed enable TYPE`: a FederatedTypeConfig for a custom resource type, in the fleet repo. */
import { Option, type Command } from 'commander';
import { checkFormat, FORMAT_OPTION, print } from './kubefedctl.js';

interface Flags {
  repo: string;
  version?: string;
  scope?: string;
  kind?: string;
  group?: string;
  plural?: string;
  crd?: string;
  fromCluster?: string;
  kubeconfig?: string;
  federatedGroup?: string;
  federatedVersion?: string;
  force?: boolean;
  dryRun?: boolean;
  format: string;
}

export function register(program: Command): void {
  program
    .command('enable')
    .description('federate a resource type: writes type-configs/<plural>.<group>.yaml')
    .argument('[type]', 'Kind, plural, short name or plural.group (optional with --crd when the file has one CRD)')
    .option('--repo <dir>', 'fleet repo', '.')
    .option('--version <version>', 'version the members serve, e.g. v1')
    .addOption(new Option('--scope <scope>', 'scope of the resource').choices(['Namespaced', 'Cluster']))
    .option('--kind <kind>', 'Kind, when TYPE is a plural')
    .option('--group <group>', 'API group, when TYPE is a Kind (default: core)')
    .option('--plural <plural>', "plural name (default: kubefedctl's plural of the kind)")
    .option('--crd <file>', 'take group, kind, plural, scope and version from this CustomResourceDefinition')
    .option('--from-cluster <context>', "take them from this cluster's API discovery, as kubefedctl enable does (the preferred version)")
    .option('--kubeconfig <file>', 'with --from-cluster (default: $KUBECONFIG, ~/.kube/config)')
    .option('--federated-group <group>', 'API group of the federated type', 'types.kubefed.io')
    .option('--federated-version <version>', 'version of the federated type', 'v1beta1')
    .option('--force', 'replace a type config for this type that says something else')
    .option('--dry-run', 'print the type config, write nothing')
    .option(...FORMAT_OPTION)
    .addHelpText('after', '\nExamples:\n  gitfed enable certificates.cert-manager.io --kind Certificate --version v1 --scope Namespaced\n  gitfed enable --crd crds/certificate.yaml\n  gitfed enable certificates.cert-manager.io --from-cluster member1\n')
    .action(async (type: string | undefined, f: Flags) => {
      const format = checkFormat(f.format);
      const [{ enable }, { dumpDocument }] = await Promise.all([import('../../src/fleet/enable.js'), import('../../src/fleet/yaml-text.js')]);
      const r = await enable({
        repo: f.repo, ...(type !== undefined ? { type } : {}),
        ...(f.version ? { version: f.version } : {}), ...(f.scope ? { scope: f.scope } : {}), ...(f.kind ? { kind: f.kind } : {}),
        ...(f.group !== undefined ? { group: f.group } : {}), ...(f.plural ? { plural: f.plural } : {}), ...(f.crd ? { crd: f.crd } : {}),
        ...(f.fromCluster ? { fromCluster: { context: f.fromCluster, ...(f.kubeconfig ? { kubeconfig: f.kubeconfig } : {}) } } : {}),
        ...(f.federatedGroup ? { federatedGroup: f.federatedGroup } : {}), ...(f.federatedVersion ? { federatedVersion: f.federatedVersion } : {}),
        force: f.force === true, dryRun: f.dryRun === true,
      });
      if (f.dryRun && format === 'text') {
        process.stdout.write(dumpDocument(r.document));
        return;
      }
      const said = { created: 'wrote', appended: 'appended to', enabled: 'set propagation Enabled in', unchanged: 'already enabled in', replaced: 'replaced its document in' }[r.action];
      print(format, r, () => `${r.name}: ${said} ${r.file}`);
    });
}
