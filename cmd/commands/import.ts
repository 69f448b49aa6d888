/** `gitfed import`: a live KubeFed host or Karmada control plane, written out as a fleet repo. */
import type { Command } from 'commander';
import { parseList } from '../../src/fleet/args.js';
import { FleetError } from '../../src/fleet/errors.js';
import { textTable } from '../../src/format/table.js';
import { checkFormat, FORMAT_OPTION, print } from './kubefedctl.js';

interface Flags {
  fromMember?: string;
  namespace?: string;
  skipApiResources?: string;
  fromKubefed?: string;
  fromKarmada?: string;
  repo: string;
  kubeconfig?: string;
  kubefedNamespace: string;
  dryRun?: boolean;
  format: string;
}

export function register(program: Command): void {
  program
    .command('import')
    .description('write a fleet repo from a live KubeFed host (--from-kubefed) or Karmada control plane (--from-karmada)')
    .option('--from-kubefed <context>', 'kubeconfig context of the KubeFed host cluster')
    .option('--from-karmada <context>', 'kubeconfig context of the karmada-apiserver')
    .option('--from-member <context>', 'a namespace of a member cluster (with -n), as karmadactl promote and kubefedctl federate --contents')
    .option('-n, --namespace <ns>', 'with --from-member: the namespace to bring under the fleet')
    .option('--skip-api-resources <names>', 'with --from-member: types to leave out (plural, plural.group or Kind; comma-separated)')
    .option('--repo <dir>', 'fleet repo to write into (no file it would write may exist yet)', '.')
    .option('--kubeconfig <file>', 'kubeconfig (default: $KUBECONFIG, ~/.kube/config)')
    .option('--kubefed-namespace <ns>', 'KubeFed system namespace', 'kube-federation-system')
    .option('--dry-run', 'list what would be written, write nothing')
    .option(...FORMAT_OPTION)
    .addHelpText('after', '\nOne file per object; server-set fields stripped; secrets never written. What cannot be imported is\nlisted with the reason.\n\nExamples:\n  gitfed import --from-kubefed host --repo fleet\n  gitfed import --from-karmada karmada-apiserver --repo fleet && gitfed render --repo fleet --out /tmp/out\n')
    .action(async (f: Flags) => {
      const format = checkFormat(f.format);
      const sources = [f.fromKubefed, f.fromKarmada, f.fromMember].filter((s) => s !== undefined);
      if (sources.length !== 1) throw new FleetError('InvalidFlag', 'give exactly one of --from-kubefed CONTEXT, --from-karmada CONTEXT and --from-member CONTEXT');
      if (f.fromMember !== undefined && !f.namespace) throw new FleetError('InvalidFlag', '--from-member needs -n NAMESPACE: the namespace to bring under the fleet');
      const [{ loadKubeConfig }, imp] = await Promise.all([import('../../src/apply/member/kube-client.js'), import('../../src/fleet/import/index.js')]);
      const kc = loadKubeConfig(f.kubeconfig);
      const r = f.fromMember !== undefined
        ? await imp.importMember(kc, { context: f.fromMember, namespace: f.namespace!, repo: f.repo, types: await imp.fleetTypes(f.repo), skip: parseList(f.skipApiResources), dryRun: f.dryRun === true })
        : await imp.importFleet(kc, { from: f.fromKubefed !== undefined ? 'kubefed' : 'karmada', context: sources[0]!, repo: f.repo, kubefedNamespace: f.kubefedNamespace, dryRun: f.dryRun === true });
      const { objects: _objects, ...report } = r as typeof r & { objects?: unknown };
      print(format, report, () => {
        const parts = [textTable(['FILE', 'OBJECT'], r.files.map((x) => [x.path, x.object]))];
        if (r.skipped.length) parts.push(`\nNot imported (${r.skipped.length}):\n` + textTable(['OBJECT', 'REASON'], r.skipped.map((s) => [s.object, s.reason])));
        if (r.notes.length) parts.push('\n' + r.notes.map((n) => `note: ${n}`).join('\n'));
        parts.push(`\n${f.dryRun ? 'would write' : 'wrote'} ${r.files.length} file(s) to ${f.repo}; ${r.skipped.length} not imported`);
        return parts.join('\n');
      });
    });
}
