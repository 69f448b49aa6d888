/**
 * @module karmada/unsupported-kinds
 * Karmada kinds that are not resource templates and that gitfed does not implement. Read as
 * templates they would be reported as "no policy selects it", which hides that the fleet asked
 * for autoscaling or cross-cluster networking and gets none; each is refused by name instead
 * (UnsupportedKind), saying what to use.
 *
 * Why not implemented:
 * - FederatedHPA computes fleet-wide desired replicas from the members' pod metrics every 15 s;
 *   the observed state holds no metrics, and a state commit per metric change would flood git.
 * - CronFederatedHPA changes replicas (or a FederatedHPA's bounds) on a cron schedule; in a
 *   GitOps fleet the schedule belongs to whatever commits the change, and a render evaluated at
 *   the wall clock would stop being a function of its commits.
 * - MultiClusterService exposes and imports Services across clusters through EndpointSlices that
 *   Karmada's controllers copy between members at run time; a render writes no such objects.
 */
import type { Diagnostic, SourceObject } from '../types.js';

interface Refusal {
  readonly what: string;
  readonly instead: string;
}

const REFUSED: ReadonlyMap<string, Refusal> = new Map([
  [
    'autoscaling.karmada.io/FederatedHPA',
    {
      what: 'scales from the members\' metrics, which gitfed does not observe',
      instead: 'propagate a HorizontalPodAutoscaler (autoscaling/v2) with the workload: gitfed divides its minReplicas and maxReplicas over the clusters in proportion to the workload\'s replicas there',
    },
  ],
  [
    'autoscaling.karmada.io/CronFederatedHPA',
    {
      what: 'changes replicas on a clock, and a render is a function of its commits only',
      instead: 'commit the replica change on a schedule (a CI job), or scale on each member (a HorizontalPodAutoscaler, or KEDA\'s cron trigger)',
    },
  ],
  [
    'networking.karmada.io/MultiClusterService',
    {
      what: 'copies Services and EndpointSlices between members at run time',
      instead: 'propagate the Service like any template and connect the members with a multi-cluster network (MCS API ServiceExport/ServiceImport, Cilium ClusterMesh, Submariner)',
    },
  ],
]);

/** The group (no version) and kind a refusal is keyed by: `autoscaling.karmada.io/FederatedHPA`. */
function groupKind(src: SourceObject): string {
  const slash = src.obj.apiVersion.indexOf('/');
  return `${slash < 0 ? '' : src.obj.apiVersion.slice(0, slash)}/${src.obj.kind}`;
}

/** An UnsupportedKind error for a kind Karmada has and gitfed does not implement; undefined otherwise. */
export function unsupportedKind(src: SourceObject): Diagnostic | undefined {
  const r = REFUSED.get(groupKind(src));
  if (!r) return undefined;
  const ns = src.obj.metadata.namespace;
  const ref = `${src.obj.kind}/${ns ? `${ns}/` : ''}${src.obj.metadata.name}`;
  return {
    severity: 'error',
    code: 'UnsupportedKind',
    message: `${ref}: gitfed does not implement Karmada's ${src.obj.kind}: it ${r.what}`,
    file: src.pos.file,
    line: src.pos.line,
    hint: r.instead,
  };
}
