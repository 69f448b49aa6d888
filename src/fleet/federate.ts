/**
 * @module fleet/federate
 * `gitfed federate`: plain Kubernetes objects into `Federated<Kind>` documents, file by file.
 * Documents that are already federated, policies and inventory pass through unchanged, so a
 * file can be federated twice, and a mixed file keeps its other documents byte for byte.
 * Unlike upstream, nothing needs a cluster: the type comes from the built-ins and the fleet's
 * type configs, and objects without a namespace take `namespace` (a fleet repo has no kubectl
 * context to supply one).
 */
import { basename, join } from 'node:path';
import { isMap, isSeq, type Document, type YAMLMap } from 'yaml';
import { formatRef, groupOf } from '../object.js';
import { GitfedError } from '../errors.js';
import { loadFile } from '../render/load.js';
import { readFleetFile } from '../workspace/read-file.js';
import type { WarningDiagnostic } from '../render/types.js';
import { writeFileAtomic } from './atomic-write.js';
import { clusterDocuments } from './clusters.js';
import { documentChunks, newEditable, parseEditable, printOptions } from './documents.js';
import { FleetError } from './errors.js';
import { federateNode, type PlacementSpec } from './federate-template.js';
import { loadRepo, type FleetRepo } from './repo.js';
import { typeLookup, type TypeSpec } from './type-configs.js';

// Where it always was, for callers of the fleet module; it lives with the type configs (no yaml there).
export { typeLookup };

/** Groups whose documents are gitfed's, KubeFed's or Karmada's own: never federated again. */
const KEEP_GROUPS = new Set(['types.kubefed.io', 'core.kubefed.io', 'scheduling.kubefed.io', 'policy.karmada.io', 'cluster.karmada.io', 'gitfed.io', 'apiextensions.k8s.io']);

export interface FederateOptions {
  readonly repo: string;
  readonly files: readonly string[];
  /** Write each file's result to `out/<basename>`. */
  readonly out?: string;
  /** Rewrite the given files. @default false */
  readonly inPlace?: boolean;
  /** @default every cluster (an empty clusterSelector) */
  readonly placement?: PlacementSpec;
  /** For namespaced objects that have none. */
  readonly namespace?: string;
}

export interface FederatedFile {
  readonly file: string;
  /** Where the result went; undefined when it is for stdout. */
  readonly written?: string;
  readonly text: string;
  readonly objects: readonly { from: string; to: string; line: number }[];
}

export interface FederateResult {
  readonly files: readonly FederatedFile[];
  readonly warnings: readonly WarningDiagnostic[];
}

interface Context {
  readonly types: ReadonlyMap<string, TypeSpec>;
  readonly placement: PlacementSpec;
  readonly namespace?: string;
}

/** One object's federated form, or undefined to keep it as written. */
function federateOne(doc: Document, node: YAMLMap, file: string, line: number, ctx: Context, done: FederatedFile['objects'][number][]): YAMLMap | undefined {
  const apiVersion = String(node.get('apiVersion') ?? '');
  const kind = String(node.get('kind') ?? '');
  const group = groupOf(apiVersion);
  if (KEEP_GROUPS.has(group)) return undefined;
  const type = ctx.types.get(`${group}/${kind}`);
  if (!type) {
    throw new FleetError('UnknownType', `${kind} (${group || 'core'}) is not a federated type of this fleet; run gitfed enable for it first`, { file, line });
  }
  const meta = node.get('metadata') as YAMLMap | undefined;
  const name = String(meta?.get('name'));
  const own = meta?.get('namespace');
  let namespace: string | undefined;
  if (type.scope === 'Namespaced') {
    namespace = typeof own === 'string' && own !== '' ? own : ctx.namespace;
    if (!namespace) throw new FleetError('MissingNamespace', `${kind}/${name} has no metadata.namespace; a federated object needs one: add it or pass --namespace`, { file, line, object: `${kind}/${name}` });
  }
  const fed = federateNode(doc, node, { type, name, namespace, placement: ctx.placement });
  const isNamespace = type.group === '' && type.kind === 'Namespace';
  done.push({ from: formatRef({ kind, namespace: namespace ?? '', name }), to: `${type.federatedKind}/${isNamespace ? `${name}/` : namespace ? `${namespace}/` : ''}${name}`, line });
  return fed;
}

/** The file with every plain object replaced by its federated form; other documents are kept byte for byte. */
export function federateText(file: string, text: string, ctx: Context): { text: string; objects: FederatedFile['objects'] } {
  const loaded = loadFile(file, text);
  if (loaded.errors.length > 0) throw new FleetError(loaded.errors[0]!.code, loaded.errors[0]!.message, { file, line: loaded.errors[0]!.line });
  const objects: FederatedFile['objects'][number][] = [];
  const out: string[] = [];
  for (const c of documentChunks(text)) {
    const firstObject = loaded.objects.find((o) => o.pos.line >= c.firstLine);
    const doc = parseEditable(c.body);
    const root = doc.contents;
    let replacement: string | undefined;
    if (isMap(root) && root.get('kind') === 'List' && isSeq(root.get('items'))) {
      const items = (root.get('items') as { items: unknown[] }).items;
      const docs: string[] = [];
      for (const [i, item] of items.entries()) {
        // List items load in order, so the i-th object from this document on is item i.
        const line = loaded.objects.filter((o) => o.pos.line >= c.firstLine)[i]?.pos.line ?? c.firstLine;
        const one = newEditable();
        const fed = isMap(item) ? federateOne(doc, item, file, line, ctx, objects) : undefined;
        one.contents = (fed ?? item) as Document['contents'];
        docs.push(one.toString(printOptions(c.body)));
      }
      replacement = docs.join('---\n');
    } else if (isMap(root)) {
      const fed = federateOne(doc, root, file, firstObject?.pos.line ?? c.firstLine, ctx, objects);
      if (fed) {
        doc.contents = fed;
        replacement = doc.toString(printOptions(c.body));
      }
    }
    if (replacement === undefined) out.push(...c.head, c.body);
    else {
      const trailing = c.body.length - c.body.replace(/\n+$/, '').length;
      out.push(...c.head, replacement.replace(/\n+$/, '') + '\n'.repeat(trailing));
    }
  }
  return { text: out.join('\n'), objects };
}

export async function federate(opts: FederateOptions): Promise<FederateResult> {
  if (opts.out && opts.inPlace) throw new FleetError('InvalidFlag', '--out and --in-place exclude each other');
  if (opts.files.length === 0) throw new FleetError('InvalidFlag', 'name the files to federate');
  const repo = await loadRepo(opts.repo);
  const ctx: Context = { types: typeLookup(repo), placement: opts.placement ?? 'all', ...(opts.namespace ? { namespace: opts.namespace } : {}) };
  const warnings = unknownClusters(repo, ctx.placement);

  const targets = new Map<string, string>();
  const results: FederatedFile[] = [];
  // Everything is converted before anything is written: one bad document leaves every file as it was.
  for (const file of opts.files) {
    let text: string;
    try {
      text = await readFleetFile(file, file);
    } catch (err) {
      if (err instanceof GitfedError) throw err;
      throw new FleetError('FileNotFound', `cannot read: ${(err as Error).message}`, { file }, { cause: err });
    }
    const r = federateText(file, text, ctx);
    const written = opts.inPlace ? file : opts.out ? join(opts.out, basename(file)) : undefined;
    if (written) {
      const other = targets.get(written);
      if (other) throw new FleetError('OutputCollision', `${file} and ${other} would both be written to ${written}`, { file });
      targets.set(written, file);
    }
    results.push({ file, text: r.text, objects: r.objects, ...(written ? { written } : {}) });
  }
  for (const r of results) if (r.written) await writeFileAtomic(r.written, r.text);
  return { files: results, warnings };
}

function unknownClusters(repo: FleetRepo, placement: PlacementSpec): WarningDiagnostic[] {
  if (placement === 'all' || !('clusters' in placement)) return [];
  const known = new Set(clusterDocuments(repo.objects).map((o) => o.obj.metadata.name));
  return placement.clusters.filter((c) => !known.has(c)).map((c) => ({ severity: 'warning' as const, code: 'UnknownCluster', message: `cluster ${c} is not in the fleet's inventory; render will skip it`, cluster: c }));
}
