/**
 * The Karmada half of the synthetic fleet: plain templates in namespaces that propagate
 * everywhere, a namespace-wide PropagationPolicy for ConfigMaps and Services, one policy per
 * Deployment (Duplicated, or Divided by static weights per tier), and OverridePolicies that swap
 * the image registry per region, label on-prem copies and put a canary tag on a few clusters.
 */
import type { KubeObject } from '../../src/object.js';
import { choose, karmadaAffinity, type Choice } from './choice.js';
import type { Generated } from './kubefed.js';
import { evenSplit, pointerSegment, type BenchCluster, type JsonOp } from './model.js';
import type { Rng } from './prng.js';
import { configMap, deployment, IMAGE_REGISTRY, imageOf, namespace, service } from './templates.js';

const POLICY_API = 'policy.karmada.io/v1alpha1';
const MIRRORS: Readonly<Record<string, string>> = { 'eu-west': 'eu-mirror.example.com', 'ap-south': 'ap-mirror.example.com' };
const SITE_LABEL = 'fleet.example.com/site';
const CANARY_TAG = '2.0.0-canary';
const TIER_WEIGHTS: Readonly<Record<string, number>> = { prod: 3, staging: 2, edge: 1 };

/** What the namespace's own policies decide, needed to place and patch its objects. */
export interface KarmadaNamespace {
  readonly name: string;
  /** Where the namespace-wide policy sends ConfigMaps and Services. */
  readonly defaults: readonly string[];
}

function policy(kind: 'PropagationPolicy' | 'OverridePolicy', name: string, ns: string, spec: object): object {
  return { apiVersion: POLICY_API, kind, metadata: { name, namespace: ns }, spec };
}

export function karmadaNamespace(rng: Rng, name: string, clusters: readonly BenchCluster[]): { gen: Generated; ns: KarmadaNamespace } {
  const { choice, names } = choose(rng, ['all', 'all', 'tierNotIn', 'regionIn'], clusters);
  const labels = { team: name };
  const docs = [
    namespace(name, labels),
    policy('PropagationPolicy', 'namespace-defaults', name, {
      resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap' }, { apiVersion: 'v1', kind: 'Service' }],
      placement: { clusterAffinity: karmadaAffinity(choice) },
    }),
    policy('OverridePolicy', 'regional-mirrors', name, {
      resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment' }],
      overrideRules: Object.entries(MIRRORS).map(([region, host]) => ({
        targetCluster: { labelSelector: { matchLabels: { region } } },
        overriders: { imageOverrider: [{ component: 'Registry', operator: 'replace', value: host }] },
      })),
    }),
    policy('OverridePolicy', 'site-labels', name, {
      overrideRules: [{ targetCluster: { labelSelector: { matchLabels: { provider: 'onprem' } } }, overriders: { labelsOverrider: [{ operator: 'add', value: { [SITE_LABEL]: 'onprem' } }] } }],
    }),
  ];
  // Karmada propagates a namespace to every cluster, whatever its objects' policies say.
  const everywhere = new Map(clusters.map((c) => [c.name, [] as JsonOp[]]));
  return { gen: { path: `karmada/${name}/namespace.yaml`, docs, placed: [{ base: namespace(name, labels), clusters: everywhere }] }, ns: { name, defaults: names } };
}

/** The operations the namespace's OverridePolicies (and an object's canary policy) amount to on one cluster. */
function overrideOps(obj: KubeObject, i: number, cluster: BenchCluster, canary: boolean): JsonOp[] {
  const ops: JsonOp[] = [];
  if (obj.kind === 'Deployment') {
    const host = MIRRORS[cluster.labels.region] ?? IMAGE_REGISTRY;
    const original = imageOf(obj.metadata.name, i);
    const tag = canary ? CANARY_TAG : original.slice(original.lastIndexOf(':') + 1);
    const image = `${host}/${obj.metadata.name}:${tag}`;
    if (image !== original) ops.push({ op: 'replace', path: '/spec/template/spec/containers/0/image', value: image });
  }
  if (cluster.labels.provider === 'onprem') ops.push({ op: 'add', path: `/metadata/labels/${pointerSegment(SITE_LABEL)}`, value: 'onprem' });
  if (canary) ops.push({ op: 'add', path: '/metadata/labels/canary', value: 'true' });
  return ops;
}

function placeAll(obj: KubeObject, i: number, names: readonly string[], clusters: readonly BenchCluster[], canary: ReadonlySet<string>, replicas?: ReadonlyMap<string, number>): Map<string, JsonOp[]> {
  const byName = new Map(clusters.map((c) => [c.name, c]));
  return new Map(
    names.map((n) => {
      const ops = overrideOps(obj, i, byName.get(n)!, canary.has(n));
      const r = replicas?.get(n);
      if (r !== undefined) ops.push({ op: 'replace', path: '/spec/replicas', value: r });
      return [n, ops];
    }),
  );
}

function staticWeights(): object {
  return {
    replicaSchedulingType: 'Divided',
    replicaDivisionPreference: 'Weighted',
    weightPreference: {
      staticWeightList: Object.entries(TIER_WEIGHTS).map(([tier, weight]) => ({ targetCluster: { labelSelector: { matchLabels: { tier } } }, weight })),
    },
  };
}

function karmadaDeployment(rng: Rng, i: number, name: string, ns: KarmadaNamespace, clusters: readonly BenchCluster[]): Generated {
  const { choice, names } = choose(rng, ['all', 'label', 'regionIn', 'names', 'allExcept', 'tierNotIn'], clusters);
  const mode = rng.pick(['Duplicated', 'Duplicated', 'Duplicated', 'Divided', 'Divided', 'Divided', 'Divided', 'none'] as const);
  // With weights at most 3:1, 3 seats per cluster leave none at 0, so Karmada keeps every cluster.
  const replicas = mode === 'Divided' ? 3 * names.length + rng.int(0, 10) : rng.int(1, 5);
  const obj = deployment(name, ns.name, i, replicas);
  const replicaScheduling = mode === 'Divided' ? staticWeights() : mode === 'Duplicated' ? { replicaSchedulingType: 'Duplicated' } : undefined;
  const docs: object[] = [
    obj,
    policy('PropagationPolicy', name, ns.name, {
      resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name }],
      placement: { clusterAffinity: karmadaAffinity(choice), ...(replicaScheduling ? { replicaScheduling } : {}) },
    }),
  ];
  const canary = new Set<string>();
  if (rng.chance(0.15)) {
    for (const c of rng.sample(names, rng.int(1, 3))) canary.add(c);
    docs.push(
      policy('OverridePolicy', `${name}-canary`, ns.name, {
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name }],
        overrideRules: [{
          targetCluster: { clusterNames: [...canary] },
          overriders: { imageOverrider: [{ component: 'Tag', operator: 'replace', value: CANARY_TAG }], labelsOverrider: [{ operator: 'add', value: { canary: 'true' } }] },
        }],
      }),
    );
  }
  const split = mode === 'Divided' ? evenSplit(replicas, names) : undefined;
  return { path: `karmada/${ns.name}/${name}.yaml`, docs, placed: [{ base: obj, clusters: placeAll(obj, i, names, clusters, canary, split) }] };
}

/** A ConfigMap or Service: placed by the namespace-wide policy, or by its own (a name selector outranks it). */
function karmadaPlain(rng: Rng, i: number, obj: KubeObject, ns: KarmadaNamespace, clusters: readonly BenchCluster[]): Generated {
  const docs: object[] = [obj];
  let names = ns.defaults;
  if (obj.kind === 'ConfigMap' && rng.chance(0.2)) {
    const own: { choice: Choice; names: string[] } = choose(rng, ['names', 'label'], clusters);
    names = own.names;
    docs.push(policy('PropagationPolicy', obj.metadata.name, ns.name, {
      resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', name: obj.metadata.name }],
      placement: { clusterAffinity: karmadaAffinity(own.choice) },
    }));
  }
  return { path: `karmada/${ns.name}/${obj.metadata.name}.yaml`, docs, placed: [{ base: obj, clusters: placeAll(obj, i, names, clusters, new Set()) }] };
}

/** One template: 40% Deployments, 30% ConfigMaps, 30% Services. */
export function karmadaObject(rng: Rng, i: number, name: string, ns: KarmadaNamespace, clusters: readonly BenchCluster[]): Generated {
  const r = rng.next();
  if (r < 0.4) return karmadaDeployment(rng, i, name, ns, clusters);
  if (r < 0.7) return karmadaPlain(rng, i, configMap(name, ns.name, i), ns, clusters);
  return karmadaPlain(rng, i, service(name, ns.name), ns, clusters);
}
