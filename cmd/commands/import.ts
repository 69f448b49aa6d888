/** `gitfed import`: a live KubeFed host or Karmada control plane, written out as a fleet repo. */
import type { Command } from 'commander';
import { FleetError } from '../../src/fleet/errors.js';
import { table } from '../output.js';
import { checkFormat, FORMAT_OPTION, print } from './kubefedctl.js';

interface Flags {
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
    .option('--repo <dir>', 'fleet repo to write into (no file it would write may exist yet)', '.')
    .option('--kubeconfig <file>', 'kubeconfig (default: $KUBECONFIG, ~/.kube/config)')
    .option('--kubefed-namespace <ns>', 'KubeFed system namespace', 'kube-federation-system')
    .option('--dry-run', 'list what would be written, write nothing')
    .option(...FORMAT_OPTION)
    .addHelpText('after', '\nOne file per object; server-set fields stripped; secrets never written. What cannot be imported is\nlisted with the reason.\n\nExamples:\n  gitfed import --from-kubefed host --repo fleet\n  gitfed import --from-karmada karmada-apiserver --repo fleet && gitfed render --repo fleet --out /tmp/out\n')
    .action(async (f: Flags) => {
      const format = checkFormat(f.format);
      const sources = [f.fromKubefed, f.fromKarmada].filter((s) => s !== undefined);
      if (sources.length !== 1) throw new FleetError('InvalidFlag', 'give exactly one of --from-kubefed CONTEXT and --from-karmada CONTEXT');
      const [{ loadKubeConfig }, { importFleet }] = await Promise.all([import('../../src/apply/member/kube-client.js'), import('../../src/fleet/import/index.js')]);
      const kc = loadKubeConfig(f.kubeconfig);
      const from = f.fromKubefed !== undefined ? 'kubefed' : 'karmada';
      const r = await importFleet(kc, { from, context: sources[0]!, repo: f.repo, kubefedNamespace: f.kubefedNamespace, dryRun: f.dryRun === true });
      print(format, r, () => {
        const parts = [table(['FILE', 'OBJECT'], r.files.map((x) => [x.path, x.object]))];
        if (r.skipped.length) parts.push(`\nNot imported (${r.skipped.length}):\n` + table(['OBJECT', 'REASON'], r.skipped.map((s) => [s.object, s.reason])));
        if (r.notes.length) parts.push('\n' + r.notes.map((n) => `note: ${n}`).join('\n'));
        parts.push(`\n${f.dryRun ? 'would write' : 'wrote'} ${r.files.length} file(s) to ${f.repo}; ${r.skipped.length} not imported`);
        return parts.join('\n');
      });
    });
}
