/** `gitfed get TYPE [NAME]`: kubectl get over every member at once, one table with a CLUSTER column. */
import type { Command } from 'commander';
import { GitfedError } from '../../src/errors.js';

interface Flags {
  namespace?: string;
  allNamespaces?: boolean;
  cluster: string[];
  selector?: string;
  output?: string;
  kubeconfig?: string;
  requestTimeout: string;
}

const collect = (v: string, prev: string[]) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

export function register(program: Command): void {
  program
    .command('get')
    .description('list objects of one type on every member in parallel (kubectl get with a CLUSTER column)')
    .argument('<type>', 'resource type as kubectl spells it: pods, po, Pod, deployments.apps, a CRD plural')
    .argument('[name]', 'one object by name')
    .option('-n, --namespace <ns>', 'namespace (default: default)')
    .option('-A, --all-namespaces', 'every namespace')
    .option('--cluster <names>', 'only these members (kubeconfig contexts); repeat or comma-separate', collect, [])
    .option('-l, --selector <selector>', 'label selector, as kubectl takes it')
    .option('-o, --output <format>', 'wide | yaml | json (default: a table)')
    .option('--kubeconfig <file>', 'kubeconfig with one context per member (default: $KUBECONFIG, ~/.kube/config)')
    .option('--request-timeout <seconds>', 'give up on a member that has not answered in this time', '10')
    .addHelpText('after', '\nA member that does not answer, or does not serve the type, is a row of its own and a warning on\nstderr; the exit code is then 1.\n\nExamples:\n  gitfed get pods -A\n  gitfed get deploy web -n shop -o yaml\n  gitfed get federateddeployments.types.kubefed.io -n shop --cluster host\n')
    .action(async (type: string, name: string | undefined, f: Flags) => {
      const output = f.output ?? 'table';
      if (!['table', 'wide', 'yaml', 'json'].includes(output)) throw new GitfedError('InvalidFlag', `-o ${JSON.stringify(output)}: wide, yaml or json`);
      if (f.allNamespaces && f.namespace) throw new GitfedError('InvalidFlag', '-n and -A exclude each other');
      if (f.allNamespaces && name !== undefined) throw new GitfedError('InvalidFlag', 'a name cannot be looked up in all namespaces (-A); give -n');
      const timeout = Number(f.requestTimeout);
      if (!(timeout > 0)) throw new GitfedError('InvalidFlag', `--request-timeout ${JSON.stringify(f.requestTimeout)}: a number of seconds`);
      const [{ loadKubeConfig }, { getAcrossMembers, membersOf }, print, yaml] = await Promise.all([
        import('../../src/apply/member/kube-client.js'),
        import('../../src/get/query.js'),
        import('../../src/get/print.js'),
        import('js-yaml'),
      ]);
      const kc = loadKubeConfig(f.kubeconfig);
      const members = membersOf(kc, f.cluster);
      if (members.length === 0) throw new GitfedError('ClusterNotFound', 'the kubeconfig has no contexts', { hint: 'gitfed get asks every context of the kubeconfig; pass --kubeconfig' });
      const namespace = f.namespace ?? 'default';
      const tabular = output === 'table' || output === 'wide';
      const answers = await getAcrossMembers(kc, members, {
        type, ...(name !== undefined ? { name } : {}), namespace, allNamespaces: f.allNamespaces === true,
        ...(f.selector ? { labelSelector: f.selector } : {}), want: tabular ? 'table' : 'objects', timeoutMs: timeout * 1000,
      });
      if (answers.every((a) => a.state === 'not-served')) {
        throw new GitfedError('NoKindMatch', `no member serves a resource type ${JSON.stringify(type)}`, { hint: 'spell it as kubectl does: pods, po, deployments.apps, or a CRD plural' });
      }
      if (name !== undefined && answers.every((a) => a.state === 'not-found' || a.state === 'not-served')) {
        throw new GitfedError('NotFound', `${type} ${JSON.stringify(name)} not found on any member${f.allNamespaces ? '' : ` in namespace ${namespace}`}`);
      }
      let notes: readonly string[];
      if (tabular) {
        const p = print.printTable(answers, { type, wide: output === 'wide', allNamespaces: f.allNamespaces === true, namespace });
        process.stdout.write(p.text);
        notes = p.notes;
      } else {
        const data = print.answersAsData(answers);
        process.stdout.write(output === 'json' ? JSON.stringify(data, null, 2) + '\n' : yaml.dump(data, { noRefs: true, lineWidth: -1 }));
        notes = print.notesOf(answers, type);
      }
      for (const n of notes) process.stderr.write(n + '\n');
      if (answers.some((a) => a.state === 'failed')) process.exitCode = 1;
    });
}
