/**
 * @module fleet/orphaning
 * `gitfed orphaning-deletion enable|disable|status`: KubeFed's orphaning annotation,
 * `kubefed.io/orphan: "true"`. Upstream read it on the federated object in the host cluster;
 * gitfed has no host cluster, so it goes where it reaches the member: the template's metadata
 * (for a Karmada-style template, the object's own metadata). Render keeps template annotations,
 * and gitfed's apply leaves an object carrying it in place when it leaves the branch instead of
 * pruning it (docs/apply.md).
 */
import { readFile } from 'node:fs/promises';
import { Scalar, isMap, type Document, type YAMLMap } from 'yaml';
import { displayName, groupOf } from '../object.js';
import type { SourceObject } from '../render/types.js';
import { writeFileAtomic } from './atomic-write.js';
import { editDocument, objectPath } from './documents.js';
import { FleetError } from './errors.js';
import { loadRepo, repoPath, where } from './repo.js';
import { typeConfigs } from './type-configs.js';

export const ORPHAN_ANNOTATION = 'kubefed.io/orphan';

export type OrphaningAction = 'enable' | 'disable' | 'status';

export interface OrphaningOptions {
  readonly repo: string;
  /** `KIND/NAMESPACE/NAME` or `KIND/NAME`; KIND is the federated kind or the target kind, any case. */
  readonly object: string;
  readonly action: OrphaningAction;
}

export interface OrphaningResult {
  readonly object: string;
  readonly file: string;
  readonly line: number;
  readonly style: 'kubefed' | 'karmada';
  readonly status: 'Enabled' | 'Disabled';
  readonly changed: boolean;
  /** The annotation sits on the federated object itself, upstream's place, which no member sees. */
  readonly onFederatedObject: boolean;
}

const NOT_TEMPLATES = new Set(['types.kubefed.io', 'core.kubefed.io', 'scheduling.kubefed.io', 'policy.karmada.io', 'cluster.karmada.io', 'work.karmada.io', 'gitfed.io']);

interface Query {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export function parseQuery(text: string): Query {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new FleetError('InvalidArgument', `${JSON.stringify(text)}: name the object as KIND/NAMESPACE/NAME, or KIND/NAME when it is cluster-scoped`);
  }
  return parts.length === 3 ? { kind: parts[0]!, namespace: parts[1]!, name: parts[2]! } : { kind: parts[0]!, name: parts[1]! };
}

function nameMatches(src: SourceObject, q: Query): boolean {
  const { name, namespace } = src.obj.metadata;
  return name === q.name && (q.namespace === undefined ? namespace === undefined || namespace === name : namespace === q.namespace);
}

/** The federated document (or, failing that, the Karmada-style template) the query names. */
function findTarget(objects: readonly SourceObject[], q: Query): { src: SourceObject; style: 'kubefed' | 'karmada' } {
  const kind = q.kind.toLowerCase();
  const fedGroups = new Set(['types.kubefed.io', ...typeConfigs(objects).flatMap((f) => (f.spec ? [f.spec.federatedGroup] : []))]);
  const kubefed = objects.filter((o) => fedGroups.has(groupOf(o.obj.apiVersion)) && [kind, `federated${kind}`].includes(o.obj.kind.toLowerCase()) && nameMatches(o, q));
  const karmada = objects.filter((o) => !NOT_TEMPLATES.has(groupOf(o.obj.apiVersion)) && o.obj.kind.toLowerCase() === kind && nameMatches(o, q));
  const found = kubefed.length > 0 ? kubefed : karmada;
  if (found.length === 0) throw new FleetError('NotFound', `no federated object or template in the fleet repo is ${q.kind}/${q.namespace ? `${q.namespace}/` : ''}${q.name}`);
  if (found.length > 1) throw new FleetError('Ambiguous', `${q.kind}/${q.name} names several documents: ${found.map((f) => `${displayName(f.obj)} at ${where(f)}`).join(', ')}`);
  return { src: found[0]!, style: kubefed.length > 0 ? 'kubefed' : 'karmada' };
}

function annotationsOf(obj: unknown): Record<string, unknown> | undefined {
  const a = (obj as { metadata?: { annotations?: unknown } } | undefined)?.metadata?.annotations;
  return typeof a === 'object' && a !== null ? (a as Record<string, unknown>) : undefined;
}

/** Delete `path` and then every map above it, up to `keep` levels, that the deletion left empty. */
function deletePruning(doc: Document, path: readonly (string | number)[], keep: number): void {
  doc.deleteIn(path);
  for (let n = path.length - 1; n > keep; n--) {
    const parent = doc.getIn(path.slice(0, n), true);
    if (!isMap(parent) || (parent as YAMLMap).items.length > 0) break;
    doc.deleteIn(path.slice(0, n));
  }
}

export async function orphaning(opts: OrphaningOptions): Promise<OrphaningResult> {
  const repo = await loadRepo(opts.repo);
  const { src, style } = findTarget(repo.objects, parseQuery(opts.object));
  const base = style === 'kubefed' ? ['spec', 'template', 'metadata'] : ['metadata'];
  const holder = style === 'kubefed' ? (src.obj.spec as { template?: unknown } | undefined)?.template : src.obj;
  const before = annotationsOf(holder)?.[ORPHAN_ANNOTATION] === 'true';
  const onFederatedObject = style === 'kubefed' && annotationsOf(src.obj)?.[ORPHAN_ANNOTATION] !== undefined;
  const result = { object: displayName(src.obj), file: src.pos.file, line: src.pos.line, style, onFederatedObject };
  if (opts.action === 'status' || before === (opts.action === 'enable')) {
    return { ...result, status: before ? 'Enabled' : 'Disabled', changed: false };
  }
  const path = repoPath(repo, src.pos.file);
  const { kind, metadata } = src.obj;
  const edited = editDocument(await readFile(path, 'utf8'), src.pos.line, src.pos.file, (doc) => {
    const prefix = objectPath(doc, kind, metadata.name, metadata.namespace);
    if (!prefix) throw new FleetError('DocumentNotFound', `${displayName(src.obj)} moved while being edited`, { file: src.pos.file, line: src.pos.line });
    const at = [...prefix, ...base, 'annotations', ORPHAN_ANNOTATION];
    if (opts.action === 'enable') {
      // Quoted, as Kubernetes needs a string: a bare true would be a boolean and fail validation.
      const value = new Scalar('true');
      value.type = Scalar.QUOTE_DOUBLE;
      doc.setIn(at, value);
    } else {
      deletePruning(doc, at, prefix.length + (style === 'kubefed' ? 2 : 0));
    }
    return true;
  });
  await writeFileAtomic(path, edited.text);
  return { ...result, status: opts.action === 'enable' ? 'Enabled' : 'Disabled', changed: true };
}
