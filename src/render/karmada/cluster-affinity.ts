/**
 * @module karmada/cluster-affinity
 * `util.ClusterMatches`: does a member cluster satisfy a ClusterAffinity (placement affinity,
 * static weight target, override rule target)? `affinityMismatch` gives the reason in words for
 * `gitfed explain`; `clusterMatches` is its boolean form.
 */
import { matchesSelector, SelectorError } from '../selector.js';
import type { Cluster } from '../types.js';
import type { ClusterAffinity, FieldSelectorRequirement } from './model.js';

/** Why the cluster fails the affinity, or undefined when it matches. Parts are checked in upstream order. */
export function affinityMismatch(cluster: Cluster, affinity: ClusterAffinity): string | undefined {
  if (affinity.exclude?.includes(cluster.name)) return 'listed in exclude';
  if (affinity.labelSelector !== undefined && affinity.labelSelector !== null) {
    let ok: boolean;
    try {
      ok = matchesSelector(affinity.labelSelector, cluster.labels);
    } catch (err) {
      if (!(err instanceof SelectorError)) throw err;
      ok = false;
    }
    if (!ok) return 'labels do not match the labelSelector';
  }
  for (const req of affinity.fieldSelector?.matchExpressions ?? []) {
    if (!fieldMatches(cluster, req)) return `field selector ${req.key} ${req.operator} [${(req.values ?? []).join(', ')}] does not hold`;
  }
  const names = affinity.clusterNames ?? [];
  if (names.length > 0 && !names.includes(cluster.name)) return 'not in clusterNames';
  return undefined;
}

export function clusterMatches(cluster: Cluster, affinity: ClusterAffinity): boolean {
  return affinityMismatch(cluster, affinity) === undefined;
}

function fieldMatches(cluster: Cluster, req: FieldSelectorRequirement): boolean {
  const values = req.values ?? [];
  if (req.key === 'zone') {
    const zones = cluster.zones;
    switch (req.operator) {
      case 'In':
        return zones.some((z) => values.includes(z));
      case 'NotIn':
        return !zones.some((z) => values.includes(z));
      case 'Exists':
        return zones.length > 0;
      case 'DoesNotExist':
        return zones.length === 0;
      default:
        return false;
    }
  }
  // provider and region are matched as node-selector requirements against a label set that
  // leaves out empty fields, so NotIn on a missing field holds and In does not.
  const fields: Record<string, string> = {};
  if (cluster.provider) fields.provider = cluster.provider;
  if (cluster.region) fields.region = cluster.region;
  const has = Object.prototype.hasOwnProperty.call(fields, req.key);
  const v = fields[req.key];
  switch (req.operator) {
    case 'In':
      return has && values.includes(v!);
    case 'NotIn':
      return !has || !values.includes(v!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || values.length !== 1) return false;
      const a = Number.parseInt(v!, 10);
      const b = Number.parseInt(values[0]!, 10);
      if (Number.isNaN(a) || Number.isNaN(b)) return false;
      return req.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}
