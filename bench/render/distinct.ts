/**
 * The "every object distinct" fleet shape. In the shared shape most clusters get byte-identical
 * copies of an object, which flatters any cache keyed by content; real fleets often stamp each
 * copy: here every object carries its cluster's label, and every Deployment a per-cluster image
 * tag and replica count. KubeFed objects say so in their own overrides (one entry per placed
 * cluster); Karmada templates get it from two ClusterOverridePolicies with one rule per cluster.
 * Both are folded into the model, so the kustomize overlays patch every object too.
 */
import type { KubeObject } from '../../src/render/types.js';
import type { Generated } from './kubefed.js';
import { pointerSegment, type BenchCluster, type JsonOp, type PlacedObject } from './model.js';

export type FleetShape = 'shared' | 'distinct';

export const CLUSTER_LABEL = 'fleet.example.com/cluster';
const LABEL_PATH = `/metadata/labels/${pointerSegment(CLUSTER_LABEL)}`;
const IMAGE_PATH = '/spec/template/spec/containers/0/image';
const REPLICAS_PATH = '/spec/replicas';
const POLICY_API = 'policy.karmada.io/v1alpha1';

/** A cluster's replica count for every Deployment it gets: 1 to 9, from its name (FNV-1a). */
export function clusterReplicas(cluster: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < cluster.length; i++) h = Math.imul(h ^ cluster.charCodeAt(i), 0x01000193) >>> 0;
  return 1 + (h % 9);
}

/** The value a path ends with after `ops` on `base`, for the paths this module writes. */
function current(base: KubeObject, ops: readonly JsonOp[], path: string): unknown {
  for (let i = ops.length - 1; i >= 0; i--) if (ops[i]!.path === path) return ops[i]!.value;
  const containers = (base.spec as { template?: { spec?: { containers?: { image?: string }[] } } } | undefined)?.template?.spec?.containers;
  return path === IMAGE_PATH ? containers?.[0]?.image : undefined;
}

/** Replaces the operation on the same path (KubeFed refuses a path twice per cluster) or appends. */
function put(ops: JsonOp[], op: JsonOp): void {
  const at = ops.findIndex((o) => o.path === op.path);
  if (at >= 0) ops[at] = op;
  else ops.push(op);
}

interface PerCluster {
  /** Whether replicas are left to a scheduler (a ReplicaSchedulingPreference). */
  readonly scheduled: boolean;
  /** Whether a canary policy fixes the tag after the per-cluster one (Karmada: OverridePolicy after ClusterOverridePolicy). */
  readonly canaryWins?: (ops: readonly JsonOp[]) => boolean;
}

function stamp(p: PlacedObject, how: PerCluster): PlacedObject {
  const clusters = new Map<string, JsonOp[]>();
  for (const [c, before] of p.clusters) {
    const ops = [...before];
    put(ops, { op: 'add', path: LABEL_PATH, value: c });
    if (p.base.kind === 'Deployment') {
      if (!how.canaryWins?.(ops)) put(ops, { op: 'replace', path: IMAGE_PATH, value: `${String(current(p.base, ops, IMAGE_PATH))}-${c}` });
      if (!how.scheduled) put(ops, { op: 'replace', path: REPLICAS_PATH, value: clusterReplicas(c) });
    }
    clusters.set(c, ops);
  }
  return { base: p.base, clusters };
}

/** A KubeFed object with an override entry for every cluster it is placed on. */
export function distinctKubefed(g: Generated): Generated {
  const scheduled = g.docs.some((d) => (d as { kind?: string }).kind === 'ReplicaSchedulingPreference');
  const placed = g.placed.map((p) => stamp(p, { scheduled }));
  const [doc, ...rest] = g.docs as [{ spec: Record<string, unknown> }, ...object[]];
  // The RSP's replica counts live in the model's ops, not in the overrides the user writes.
  const overrides = [...placed[0]!.clusters].map(([clusterName, ops]) => ({
    clusterName,
    clusterOverrides: ops.filter((o) => !(scheduled && o.path === REPLICAS_PATH)).map((o) => ({ ...(o.op === 'add' ? { op: 'add' as const } : {}), path: o.path, value: o.value })),
  }));
  return { path: g.path, docs: [{ ...doc, spec: { ...doc.spec, overrides } }, ...rest], placed };
}

/** A Karmada template as the per-cluster ClusterOverridePolicies leave it. */
export function distinctKarmada(g: Generated): Generated {
  const canaryWins = (ops: readonly JsonOp[]) => ops.some((o) => o.path === '/metadata/labels/canary');
  return { ...g, placed: g.placed.map((p) => stamp(p, { scheduled: false, canaryWins })) };
}

/** The ClusterOverridePolicies that stamp every Karmada template: a label on all, tag and replicas on Deployments. */
export function perClusterPolicies(clusters: readonly BenchCluster[]): object[] {
  const rule = (c: BenchCluster, overriders: object) => ({ targetCluster: { clusterNames: [c.name] }, overriders });
  return [
    {
      apiVersion: POLICY_API,
      kind: 'ClusterOverridePolicy',
      metadata: { name: 'per-cluster-label' },
      spec: {
        resourceSelectors: [
          { apiVersion: 'v1', kind: 'Namespace' },
          { apiVersion: 'v1', kind: 'ConfigMap' },
          { apiVersion: 'v1', kind: 'Service' },
          { apiVersion: 'apps/v1', kind: 'Deployment' },
        ],
        overrideRules: clusters.map((c) => rule(c, { labelsOverrider: [{ operator: 'add', value: { [CLUSTER_LABEL]: c.name } }] })),
      },
    },
    {
      apiVersion: POLICY_API,
      kind: 'ClusterOverridePolicy',
      metadata: { name: 'per-cluster-rollout' },
      spec: {
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment' }],
        overrideRules: clusters.map((c) => rule(c, {
          imageOverrider: [{ component: 'Tag', operator: 'add', value: `-${c.name}` }],
          plaintext: [{ operator: 'replace', path: REPLICAS_PATH, value: clusterReplicas(c.name) }],
        })),
      },
    },
  ];
}
