/**
 * kubefedctl's own form of federate, `federate TYPE NAME [-n NS] [--contents]`: the object is
 * read from a live cluster and its Federated<Kind> written into the fleet repo (or printed with
 * -o yaml). Chosen when --from-cluster is given, or when the arguments are TYPE NAME and the
 * first names no file but a federated type. Not a verb of its own: `federate` loads it.
 */
import { existsSync } from 'node:fs';
import { FleetError } from '../../src/fleet/errors.js';
import { parseList } from '../../src/fleet/args.js';
import { textTable } from '../../src/format/table.js';
import { print, type Format } from './kubefedctl.js';

interface LiveFlags {
  repo: string;
  namespace?: string;
  fromCluster?: string;
  contents?: boolean;
  skipApiResources?: string;
  output?: string;
  kubeconfig?: string;
  clusters?: string;
}

/** Did it handle the command line (true), or is it the file form (false)? */
export async function fromLiveCluster(args: readonly string[], f: LiveFlags, format: Format): Promise<boolean> {
  const [typeName, name] = args;
  const kubefedctlForm = f.fromCluster !== undefined || (args.length === 2 && !existsSync(typeName!) && !existsSync(name!));
  if (!kubefedctlForm) return false;
  if (args.length !== 2) throw new FleetError('InvalidArgument', `kubefedctl's form takes TYPE NAME, not ${args.length} argument(s)`, { hint: 'gitfed federate deployment web -n shop --from-cluster CONTEXT' });
  if (f.output !== undefined && f.output !== 'yaml') throw new FleetError('InvalidFlag', `-o ${JSON.stringify(f.output)}: only yaml (or nothing, to write into --repo)`);
  const [{ loadKubeConfig }, imp, { dumpDocuments }] = await Promise.all([import('../../src/apply/member/kube-client.js'), import('../../src/fleet/import/index.js'), import('../../src/fleet/yaml-text.js')]);
  const types = await imp.fleetTypes(f.repo);
  const q = typeName!.toLowerCase();
  const type = types.find((t) => [t.kind, t.pluralName, t.group ? `${t.pluralName}.${t.group}` : t.pluralName].some((s) => s.toLowerCase() === q) || (q === 'deploy' && t.kind === 'Deployment') || (q === 'ns' && t.kind === 'Namespace'));
  if (!type) throw new FleetError('UnknownType', `${typeName} is not a federated type of this fleet`, { hint: 'spell it as kubefedctl does (deployment, deployments.apps), or run gitfed enable for it first' });
  const kc = loadKubeConfig(f.kubeconfig);
  const context = f.fromCluster ?? kc.getCurrentContext();
  if (!context) throw new FleetError('InvalidFlag', 'the kubeconfig has no current context: name one with --from-cluster');
  const isNamespace = type.kind === 'Namespace';
  if (f.contents && !isNamespace) throw new FleetError('InvalidFlag', '--contents goes with `federate namespace NAME`');
  const namespace = isNamespace ? name! : f.namespace ?? 'default';
  const r = await imp.importMember(kc, {
    context, namespace, repo: f.repo, types, skip: parseList(f.skipApiResources), dryRun: f.output === 'yaml',
    ...(f.clusters !== undefined ? { clusters: parseList(f.clusters) } : {}),
    ...(f.contents ? {} : { only: { kind: type.kind, group: type.group, name: name! } }),
  });
  if (r.objects.length === 0) {
    const why = r.skipped[0] ? `: ${r.skipped[0].reason}` : '';
    throw new FleetError('NotFound', `${type.kind} ${isNamespace ? name : `${namespace}/${name}`} is not in context ${context}${why}`);
  }
  if (f.output === 'yaml') {
    process.stdout.write(dumpDocuments(r.objects));
    for (const s of r.skipped) process.stderr.write(`skipped ${s.object}: ${s.reason}\n`);
    return true;
  }
  const { objects: _objects, ...report } = r;
  print(format, report, () => {
    const parts = [textTable(['FILE', 'OBJECT'], r.files.map((x) => [x.path, x.object]))];
    if (r.skipped.length) parts.push(`\nNot federated (${r.skipped.length}):\n` + textTable(['OBJECT', 'REASON'], r.skipped.map((s) => [s.object, s.reason])));
    return parts.join('\n');
  });
  return true;
}
