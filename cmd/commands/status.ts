/**
 * `gitfed status`: the last propagation report, as a table for people, or JSON or Markdown; or,
 * given a federated object, KubeFed's status of that one object.
 */
import type { Command } from 'commander';
import type { PropagationReport } from '../../src/apply/status/report.js';
import { GitfedError } from '../../src/errors.js';
import { paintFor, paintStates } from '../colour.js';
import { checkFormat } from './apply.js';
import { kubefedctlRef, targetKind } from './kubefedctl.js';

interface StatusFlags {
  repo: string;
  state?: string;
  kubeconfig?: string;
  namespace?: string;
  controllerNamespace?: string;
  format?: string;
  output?: string;
  all?: boolean;
}

const CONTROLLER_NAMESPACE = 'gitfed-system';

/** The report: from the controller's MemberStatus objects (--kubeconfig), else from apply's report file. */
async function readReport(flags: StatusFlags, controllerNamespace: string, required: boolean): Promise<PropagationReport | undefined> {
  if (flags.kubeconfig) {
    const [{ Management }, { StatusStore }, { fleetReport }] = await Promise.all([
      import('../../src/controller/management.js'), import('../../src/controller/status-store.js'), import('../../src/controller/fleet-report.js'),
    ]);
    const mgmt = await Management.connect(flags.kubeconfig, controllerNamespace, 10_000);
    try {
      const objects = await new StatusStore(mgmt).list();
      if (objects.length === 0) throw new GitfedError('NoReport', `no MemberStatus objects in namespace ${controllerNamespace}`, { hint: 'is a gitfed controller running there? (--controller-namespace names its namespace)' });
      const { writers: _w, ...plain } = fleetReport(objects, { now: Date.now() });
      return plain;
    } finally {
      mgmt.close();
    }
  }
  const { readState, stateFileFor } = await import('../../src/apply/status/state-store.js');
  const file = flags.state ?? stateFileFor(flags.repo);
  const report = readState(file);
  if (!report && required) throw new GitfedError('NoReport', `no report at ${file}`, { file, hint: 'run gitfed apply or gitfed daemon first (or point --state at their report, --kubeconfig at the management cluster of a controller)' });
  return report ?? undefined;
}

/** One federated object (or Karmada template): where render places it, and what the report says of each of those members. */
async function objectStatus(kindOrObject: string, name: string | undefined, flags: StatusFlags): Promise<void> {
  const output = flags.output ?? flags.format ?? 'table';
  if (output !== 'table' && output !== 'json' && output !== 'yaml') throw new GitfedError('InvalidFlag', `-o ${JSON.stringify(output)}: table, json or yaml`);
  const query = kubefedctlRef(kindOrObject, name, flags.namespace);
  const [{ renderWorkingTree }, target, { findExplanations }, { federatedObjectStatus }, { formatObjectStatus }, { objectKey, displayKey }] = await Promise.all([
    import('./render.js'), targetKind(flags.repo, query), import('../../src/render/explain.js'), import('../../src/apply/status/object-status.js'), import('../../src/format/object-status.js'), import('../../src/object.js'),
  ]);
  const result = await renderWorkingTree(flags.repo);
  const found = findExplanations(result.explanations, query, target);
  if (found.length === 0) throw new GitfedError('NotFound', `no federated object or template matches ${query}`, { hint: `gitfed explain ${query} says the same; name it as KIND/NAMESPACE/NAME or KIND NAME -n NAMESPACE` });
  if (found.length > 1) throw new GitfedError('BadQuery', `${query} names ${found.length} objects: ${found.map((e) => displayKey(e.object)).join(', ')}`, { hint: 'name the kind exactly, e.g. FederatedDeployment/NS/NAME' });
  const origin = found[0]!.object;
  const placement = new Map(result.rendered.filter((r) => r.origin === origin).map((r) => [r.cluster, { key: objectKey(r.obj), object: displayKey(objectKey(r.obj)) }]));
  const report = await readReport(flags, flags.controllerNamespace ?? CONTROLLER_NAMESPACE, false);
  process.stdout.write(formatObjectStatus(federatedObjectStatus(displayKey(origin), placement, report), output));
}

export function register(program: Command): void {
  program
    .command('status')
    .description('print the propagation report kept by gitfed apply and gitfed daemon, or by the controller in a management cluster; or KubeFed\'s status of one federated object')
    .argument('[object]', 'a federated object or template: Federated<Kind>/NAMESPACE/NAME, KIND/NAMESPACE/NAME, or KIND with NAME and -n')
    .argument('[name]', "kubectl's form: the object's name, with KIND before it and -n NAMESPACE")
    .option('--repo <dir|url>', 'the repository whose report to print (kept in its git directory); with an object, the fleet repo rendered to place it', '.')
    .option('--state <file>', 'the report file (default: gitfed/status.json in the repository\'s git directory)')
    .option('--kubeconfig <file>', 'read the report from the MemberStatus objects of the management cluster instead')
    .option('-n, --namespace <ns>', `with an object: the object's namespace; without one: the controller's namespace, as --controller-namespace (default ${CONTROLLER_NAMESPACE})`)
    .option('--controller-namespace <ns>', `namespace of the controller in the management cluster (with --kubeconfig; default ${CONTROLLER_NAMESPACE})`)
    .option('--format <format>', 'table | json | markdown (with an object: table | json | yaml)')
    .option('-o, --output <format>', 'with an object: table | json | yaml')
    .option('--all', 'list every object, not only those that need a look')
    .addHelpText('after', [
      '',
      'With an object, the status KubeFed wrote to it: a Propagation condition (True with reason',
      'AggregateSuccess, or False with CheckClusters) and per cluster upstream\'s reason (OK, ClusterNotReady,',
      'CreationFailed, UpdateFailed, DeletionFailed, AlreadyExists, WaitingForRemoval), plus gitfed\'s Pending',
      'and Drifted. Placement comes from rendering --repo; what happened, from the report.',
      '',
      'Examples:',
      '  gitfed status',
      '  gitfed status FederatedDeployment/shop/web',
      '  gitfed status deploy web -n shop -o yaml',
      '',
    ].join('\n'))
    .action(async (kindOrObject: string | undefined, name: string | undefined, flags: StatusFlags) => {
      if (kindOrObject !== undefined) return objectStatus(kindOrObject, name, flags);
      if (flags.output !== undefined) throw new GitfedError('InvalidFlag', '-o applies to the status of one object; the report takes --format table|json|markdown');
      const format = checkFormat(flags.format ?? 'table');
      const { formatReport } = await import('../../src/format/report.js');
      const report = (await readReport(flags, flags.controllerNamespace ?? flags.namespace ?? CONTROLLER_NAMESPACE, true))!;
      const out = formatReport(report, format, { allObjects: flags.all });
      process.stdout.write(format === 'table' ? paintStates(out, paintFor(process.stdout)) : out);
    });
}
