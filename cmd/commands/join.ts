/** `gitfed join NAME`: a member cluster enters the fleet repo's inventory. */
import { Option, type Command } from 'commander';
import { parseLabels, parseList } from '../../src/fleet/args.js';
import { FleetError } from '../../src/fleet/errors.js';
import { checkFormat, FORMAT_OPTION, print } from './kubefedctl.js';

interface Flags {
  repo: string;
  kind?: 'kubefed' | 'karmada';
  labels?: string;
  region?: string;
  zones?: string;
  provider?: string;
  context?: string;
  clusterContext?: string;
  kubeconfig?: string;
  force?: boolean;
  format: string;
}

export function register(program: Command): void {
  program
    .command('join')
    .description('add a member cluster to the fleet repo: writes clusters/NAME.yaml (no credentials, no cluster contacted)')
    .argument('<name>', 'cluster name (a DNS-1123 label: it names the output directory and the default kubeconfig context)')
    .option('--repo <dir>', 'fleet repo', '.')
    .addOption(new Option('--kind <kind>', 'document kind: KubeFedCluster or Karmada Cluster (default: what most of the fleet uses)').choices(['kubefed', 'karmada']))
    .option('--labels <k=v,...>', 'cluster labels, for placement selectors')
    .option('--region <region>', 'region')
    .option('--zones <a,b>', 'zones')
    .option('--provider <provider>', 'provider (Karmada field selectors)')
    .option('--context <context>', 'kubeconfig context the apply side uses (default: the cluster name)')
    .option('--cluster-context <context>', "kubefedctl's spelling of --context; the cluster must answer (its endpoint read from the kubeconfig)")
    .option('--kubeconfig <file>', 'check that the context exists in this kubeconfig')
    .option('--force', 'replace the document of a cluster that is already there')
    .option(...FORMAT_OPTION)
    .addHelpText('after', '\nExample:\n  gitfed join cloud-ap-1 --kind karmada --labels location=cloud,region=ap --region ap-south-1 --zones ap-south-1a,ap-south-1b --provider aws\n')
    .action(async (name: string, f: Flags) => {
      const format = checkFormat(f.format);
      if (f.clusterContext !== undefined && f.context !== undefined && f.clusterContext !== f.context) throw new FleetError('InvalidFlag', '--cluster-context and --context name two contexts');
      if (f.clusterContext !== undefined) {
        f.context = f.clusterContext;
        const { checkAnswers } = await import('./join-live.js');
        await checkAnswers(f.kubeconfig, name, f.clusterContext);
      }
      const { join } = await import('../../src/fleet/join.js');
      const r = await join({
        repo: f.repo, name, ...(f.kind ? { kind: f.kind } : {}), labels: parseLabels(f.labels, '--labels'),
        ...(f.region ? { region: f.region } : {}), zones: parseList(f.zones), ...(f.provider ? { provider: f.provider } : {}),
        ...(f.context ? { context: f.context } : {}), ...(f.kubeconfig ? { kubeconfig: f.kubeconfig } : {}), force: f.force === true,
      });
      const verb = { created: 'wrote', appended: 'appended to', replaced: 'replaced its document in' }[r.action];
      print(format, r, () => `joined ${r.cluster} (${r.document.kind}): ${verb} ${r.file}`);
    });
}
