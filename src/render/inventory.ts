/**
 * The fleet's member clusters, from KubeFedCluster (core.kubefed.io/v1beta1) and Karmada Cluster
 * (cluster.karmada.io/v1alpha1) documents. Only what placement needs is read: names, labels,
 * provider, region, zones, taints. How to reach a member is never a credential in git: at most the
 * name of a kubeconfig context, in the annotation gitfed.io/context (a KubeFedCluster's
 * apiEndpoint and secretRef are not read, and render says so).
 */
import { RenderError } from '../errors.js';
import { objectKey } from '../object.js';
import { isDNS1123Label } from './names.js';
import { shapeProblems, type Shape } from './shape.js';
import type { Cluster, SourceObject, Taint, WarningDiagnostic } from './types.js';

export const CONTEXT_ANNOTATION = 'gitfed.io/context';

const strings: Shape = { list: 'string' };
/** What placement reads from a cluster document, typed as the Cluster and KubeFedCluster APIs type it. */
const CLUSTER_FIELDS: Shape = {
  fields: {
    spec: { fields: { provider: 'string', region: 'string', zone: 'string', zones: strings, taints: { list: { fields: { key: 'string', value: 'string', effect: 'string' } } } } },
    status: { fields: { region: 'string', zones: strings } },
  },
};

/**
 * Cluster names are DNS-1123 labels (at most 63 lower-case letters, digits and '-'): with no dot,
 * a name is one plain path segment and one plain part of a branch name, never `..`, a hidden
 * directory, a `.lock` ref, or two directories differing only in case.
 */
export function clusterNameProblems(name: string): string[] {
  return isDNS1123Label(name);
}

export function isClusterDocument(o: SourceObject): boolean {
  const { apiVersion, kind } = o.obj;
  return (kind === 'KubeFedCluster' && apiVersion.startsWith('core.kubefed.io/')) || (kind === 'Cluster' && apiVersion.startsWith('cluster.karmada.io/'));
}

/**
 * kubefedctl join writes how the host reached a member (apiEndpoint, and a Secret's name for its
 * credentials). gitfed reaches members through kubeconfig contexts instead; rather than drop those
 * fields unsaid, render says which context stands for them, until the annotation records it.
 */
function connectionWarning(doc: SourceObject, context: string | undefined): WarningDiagnostic | undefined {
  const spec = (doc.obj.spec ?? {}) as { apiEndpoint?: unknown; secretRef?: { name?: unknown } };
  if (doc.obj.kind !== 'KubeFedCluster' || context !== undefined || (spec.apiEndpoint === undefined && spec.secretRef === undefined)) return undefined;
  const name = doc.obj.metadata.name;
  const fields = [
    ...(spec.apiEndpoint !== undefined ? [`spec.apiEndpoint (${String(spec.apiEndpoint)})`] : []),
    ...(spec.secretRef !== undefined ? [`spec.secretRef (Secret ${String(spec.secretRef?.name ?? '?')} on the KubeFed host)`] : []),
  ];
  const field = ['spec', spec.apiEndpoint !== undefined ? 'apiEndpoint' : 'secretRef'];
  let line: number | undefined;
  return {
    severity: 'warning',
    code: 'FieldIgnored',
    message: `${fields.join(' and ')} not read: gitfed apply reaches cluster ${name} through the kubeconfig context ${JSON.stringify(name)}, with that context's credentials`,
    file: doc.pos.file,
    // Found when first read: finding it parses the document again, and a fleet that kubefedctl
    // joined has this warning on every cluster (0.35 s for 500), which a render whose warnings
    // nobody reads (the base side of `gitfed diff`) need not pay.
    get line() {
      return (line ??= doc.lineOf(field));
    },
    object: objectKey(doc.obj),
    cluster: name,
    hint: `make sure a kubeconfig context named ${name}${typeof spec.apiEndpoint === 'string' ? ` points at ${spec.apiEndpoint}` : ''}, or name the context in annotation ${CONTEXT_ANNOTATION}: CONTEXT; either way the annotation silences this`,
  };
}

export function readInventory(docs: readonly SourceObject[]): { clusters: Cluster[]; errors: RenderError[]; warnings: WarningDiagnostic[] } {
  const byName = new Map<string, Cluster>();
  const errors: RenderError[] = [];
  const warnings: WarningDiagnostic[] = [];
  for (const doc of docs) {
    if (!isClusterDocument(doc)) continue;
    const { obj, pos } = doc;
    const spec = (obj.spec ?? {}) as Record<string, unknown>;
    const status = (obj.status ?? {}) as Record<string, unknown>;
    const name = obj.metadata.name;
    const ctx = { file: pos.file, line: pos.line, object: `${obj.kind}/${name}`, cluster: name };
    const bad = clusterNameProblems(name);
    if (bad.length > 0) {
      errors.push(new RenderError('InvalidName', `cluster name ${JSON.stringify(name)} ${bad.join('; ')} (it names a directory, maybe a branch, and a kubeconfig context)`, { ...ctx, line: doc.lineOf(['metadata', 'name']) }));
      continue;
    }
    const existing = byName.get(name);
    if (existing) {
      errors.push(new RenderError('DuplicateCluster', `cluster ${name} is also defined at ${existing.pos.file}:${existing.pos.line}`, ctx));
      continue;
    }
    const typeErrors = shapeProblems(obj, CLUSTER_FIELDS);
    for (const p of typeErrors) errors.push(new RenderError('Schema', p.message, { ...ctx, line: doc.lineOf(p.path) }));
    if (typeErrors.length > 0) continue;
    // KubeFed keeps region/zones in status (filled by its cluster controller); a fleet repo may set them in spec or status.
    const zones = arrayOfStrings(spec.zones) ?? arrayOfStrings(status.zones) ?? (typeof spec.zone === 'string' ? [spec.zone] : []);
    const region = str(spec.region) ?? str(status.region);
    const taints: Taint[] = [];
    const rawTaints = spec.taints;
    if (Array.isArray(rawTaints)) {
      let bad = false;
      rawTaints.forEach((t: Record<string, unknown>, i) => {
        if (typeof t?.key !== 'string' || typeof t?.effect !== 'string') {
          errors.push(new RenderError('Schema', `field spec.taints[${i}]: needs key and effect`, { ...ctx, line: doc.lineOf(['spec', 'taints', i]) }));
          bad = true;
        } else taints.push({ key: t.key, effect: t.effect, ...(typeof t.value === 'string' ? { value: t.value } : {}) });
      });
      if (bad) continue;
    }
    const context = obj.metadata.annotations?.[CONTEXT_ANNOTATION];
    const unread = connectionWarning(doc, context);
    if (unread) warnings.push(unread);
    byName.set(name, {
      name,
      labels: { ...(obj.metadata.labels ?? {}) },
      ...(str(spec.provider) ? { provider: str(spec.provider)! } : {}),
      ...(region ? { region } : {}),
      zones,
      taints,
      ...(context ? { context } : {}),
      pos,
    });
  }
  const clusters = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { clusters, errors, warnings };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function arrayOfStrings(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.length > 0 ? v.map(String) : undefined;
}
