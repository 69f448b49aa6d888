/**
 * @module karmada/cluster-names
 * Cluster names a policy spells out (clusterNames, exclude) that the inventory does not know.
 * Upstream matches nothing for them, silently; a typo, or a cluster that left the fleet, should
 * be seen, so each is a warning naming the policy, without failing the render.
 */
import type { Diagnostic, SourceObject } from '../types.js';
import type { ClusterAffinity } from './model.js';

type Path = (string | number)[];

function affinities(spec: Record<string, unknown>): [Path, ClusterAffinity | undefined][] {
  // Runs before the types are checked (validate.ts reports them): anything may be null or a string here.
  const placement = (spec.placement ?? {}) as Record<string, unknown>;
  const out: [Path, ClusterAffinity | undefined][] = [[['spec', 'placement', 'clusterAffinity'], placement.clusterAffinity as ClusterAffinity]];
  const terms = Array.isArray(placement.clusterAffinities) ? placement.clusterAffinities : [];
  terms.forEach((t, i) => out.push([['spec', 'placement', 'clusterAffinities', i], t as ClusterAffinity]));
  const weights = (placement.replicaScheduling as { weightPreference?: { staticWeightList?: unknown } } | undefined)?.weightPreference?.staticWeightList;
  (Array.isArray(weights) ? weights : []).forEach((w, i) =>
    out.push([['spec', 'placement', 'replicaScheduling', 'weightPreference', 'staticWeightList', i, 'targetCluster'], (w as { targetCluster?: ClusterAffinity } | null)?.targetCluster]),
  );
  const rules = Array.isArray(spec.overrideRules) ? spec.overrideRules : [];
  rules.forEach((r, i) => out.push([['spec', 'overrideRules', i, 'targetCluster'], (r as { targetCluster?: ClusterAffinity } | null)?.targetCluster]));
  out.push([['spec', 'targetCluster'], spec.targetCluster as ClusterAffinity]);
  return out;
}

export function unknownClusterWarnings(src: SourceObject, known: ReadonlySet<string>, objectKey: string): Diagnostic[] {
  const spec = (src.obj.spec ?? {}) as Record<string, unknown>;
  const out: Diagnostic[] = [];
  for (const [path, a] of affinities(spec)) {
    if (!a || typeof a !== 'object') continue;
    for (const field of ['clusterNames', 'exclude'] as const) {
      const names = a[field];
      if (!Array.isArray(names)) continue;
      names.forEach((n, i) => {
        if (typeof n !== 'string' || known.has(n)) return;
        out.push({
          severity: 'warning',
          code: 'UnknownCluster',
          message: `${objectKey}: ${field} names cluster ${JSON.stringify(n)}, which is not in the cluster inventory`,
          file: src.pos.file,
          line: src.lineOf([...path, field, i]),
          object: objectKey,
        });
      });
    }
  }
  return out;
}
