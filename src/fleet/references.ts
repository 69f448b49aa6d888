/**
 * @module fleet/references
 * Where the fleet names a cluster explicitly: KubeFed placement lists, overrides and RSP entries,
 * Karmada `clusterNames`/`exclude` in policies and override targets. Selectors are not
 * references: they adapt to the inventory, names do not. Unjoin lists these so that nobody is
 * surprised by an object that silently lost a cluster (render would warn `UnknownCluster` later).
 */
import { displayName, groupOf } from '../object.js';
import type { SourceObject } from '../render/types.js';

export interface ClusterReference {
  readonly file: string;
  readonly line: number;
  /** `Kind/namespace/name` of the referring document. */
  readonly object: string;
  /** The field that names the cluster, e.g. `spec.placement.clusters[1].name`. */
  readonly field: string;
}

const REFERRING_GROUPS = new Set(['types.kubefed.io', 'scheduling.kubefed.io', 'policy.karmada.io']);

type Path = (string | number)[];

function fieldName(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every path under `value` that names `cluster`. */
function namesIn(value: unknown, cluster: string, path: Path, rspClusters: boolean, out: Path[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => namesIn(v, cluster, [...path, i], rspClusters, out));
    return;
  }
  if (!isRecord(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const at = [...path, k];
    if ((k === 'clusterNames' || k === 'exclude') && Array.isArray(v)) {
      v.forEach((n, i) => n === cluster && out.push([...at, i]));
    } else if (k === 'clusterName' && v === cluster) {
      out.push(at);
    } else if (k === 'clusters' && Array.isArray(v)) {
      v.forEach((c, i) => isRecord(c) && c.name === cluster && out.push([...at, i, 'name']));
    } else if (k === 'clusters' && rspClusters && isRecord(v) && cluster in v) {
      out.push([...at, cluster]);
    } else {
      namesIn(v, cluster, at, rspClusters, out);
    }
  }
}

export function clusterReferences(objects: readonly SourceObject[], cluster: string): ClusterReference[] {
  const refs: ClusterReference[] = [];
  for (const src of objects) {
    const group = groupOf(src.obj.apiVersion);
    if (!REFERRING_GROUPS.has(group)) continue;
    const paths: Path[] = [];
    namesIn(src.obj.spec, cluster, ['spec'], group === 'scheduling.kubefed.io', paths);
    for (const p of paths) refs.push({ file: src.pos.file, line: src.lineOf(p), object: displayName(src.obj), field: fieldName(p) });
  }
  return refs.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}
