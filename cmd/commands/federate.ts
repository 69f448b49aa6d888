/** `gitfed federate FILE...`: plain Kubernetes objects into their Federated<Kind> form. */
import type { Command } from 'commander';
import { parseLabels, parseList } from '../../src/fleet/args.js';
import { FleetError } from '../../src/fleet/errors.js';
import type { PlacementSpec } from '../../src/fleet/federate-template.js';
import { textTable } from '../../src/format/table.js';
import { printWarnings } from '../output.js';
import { checkFormat, FORMAT_OPTION } from './kubefedctl.js';

interface Flags {
  repo: string;
  out?: string;
  inPlace?: boolean;
  clusters?: string;
  selector?: string;
  namespace?: string;
  format: string;
  fromCluster?: string;
  contents?: boolean;
  skipApiResources?: string;
  output?: string;
  kubeconfig?: string;
}

function placement(f: Flags): PlacementSpec {
  if (f.clusters !== undefined && f.selector !== undefined) throw new FleetError('InvalidFlag', '--clusters and --selector exclude each other');
  if (f.clusters !== undefined) return { clusters: parseList(f.clusters) };
  if (f.selector !== undefined) return { matchLabels: parseLabels(f.selector, '--selector') };
  return 'all';
}

export function register(program: Command): void {
  program
    .command('federate')
    .description('convert plain objects into Federated<Kind> documents (to stdout, --out DIR, or --in-place)')
    .argument('<files...>', 'YAML files of plain Kubernetes objects')
    .option('--repo <dir>', 'fleet repo, for its type configs and inventory', '.')
    .option('--out <dir>', 'write each file to DIR/<file name>')
    .option('--in-place', 'rewrite the given files')
    .option('--clusters <a,b>', 'place on these clusters (default: every cluster)')
    .option('--selector <k=v,...>', 'place on the clusters with these labels')
    .option('-n, --namespace <ns>', 'namespace for namespaced objects that have none')
    .option('--from-cluster <context>', "kubefedctl's form, TYPE NAME: read the object from this cluster (default: the kubeconfig's current context)")
    .option('--contents', 'with `namespace NAME`: the namespace and everything of a federated type in it')
    .option('--skip-api-resources <names>', 'with --contents: types to leave out (plural, plural.group or Kind)')
    .option('-o, --output <format>', 'kubefedctl form: yaml prints the documents instead of writing them into --repo')
    .option('--kubeconfig <file>', 'kubefedctl form: kubeconfig (default: $KUBECONFIG, ~/.kube/config)')
    .option(...FORMAT_OPTION)
    .addHelpText('after', '\nExamples (kubefedctl form, from a live cluster):\n  gitfed federate deployment web -n shop -o yaml\n  gitfed federate namespace shop --contents --skip-api-resources secrets --from-cluster dc1\n\nExamples (files)\n  gitfed federate app/*.yaml --selector location=cloud --out kubefed/app\n  gitfed federate kubefed/app.yaml --in-place --clusters onprem-dc1\n')
    .action(async (files: string[], f: Flags) => {
      const format = checkFormat(f.format);
      const { fromLiveCluster } = await import('./federate-live.js');
      if (await fromLiveCluster(files, f, format)) return;
      const { federate } = await import('../../src/fleet/federate.js');
      const r = await federate({ repo: f.repo, files, placement: placement(f), ...(f.out ? { out: f.out } : {}), inPlace: f.inPlace === true, ...(f.namespace ? { namespace: f.namespace } : {}) });
      printWarnings(r.warnings);
      const toStdout = !f.out && !f.inPlace;
      if (format === 'json') {
        process.stdout.write(JSON.stringify({ files: r.files.map((x) => (toStdout ? x : { ...x, text: undefined })), warnings: r.warnings }, null, 2) + '\n');
      } else if (toStdout) {
        process.stdout.write(r.files.map((x) => x.text.replace(/\n*$/, '\n')).join('---\n'));
      } else {
        const rows = r.files.flatMap((x) => x.objects.map((o) => [`${x.file}:${o.line}`, o.from, o.to, x.written ?? '']));
        process.stdout.write(textTable(['SOURCE', 'OBJECT', 'FEDERATED', 'WRITTEN TO'], rows) + '\n');
      }
    });
}
