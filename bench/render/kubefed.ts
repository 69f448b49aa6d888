/**
 * The KubeFed half of the synthetic fleet: FederatedNamespaces, FederatedDeployments (some divided
 * by a ReplicaSchedulingPreference), FederatedConfigMaps and FederatedServices, with per-cluster
 * overrides of image, replicas and annotations.
 */
import type { KubeObject } from '../../src/object.js';
import { choose, kubefedPlacement, type Form } from './choice.js';
import { evenSplit, pointerSegment, type BenchCluster, type JsonOp, type PlacedObject } from './model.js';
import type { Rng } from './prng.js';
import { configMap, deployment, namespace, service } from './templates.js';

export interface Generated {
  readonly path: string;
  readonly docs: object[];
  readonly placed: PlacedObject[];
}

const TYPES_API = 'types.kubefed.io/v1beta1';

/** `Federated<Kind>` around a plain object: everything but apiVersion, kind, name and namespace goes into the template. */
function federate(obj: KubeObject, spec: Record<string, unknown>): object {
  const { apiVersion: _a, kind, metadata, ...rest } = obj;
  const { name, namespace: ns, ...templateMeta } = metadata;
  const template = { ...(Object.keys(templateMeta).length > 0 ? { metadata: templateMeta } : {}), ...rest };
  return { apiVersion: TYPES_API, kind: `Federated${kind}`, metadata: { name, ...(ns ? { namespace: ns } : {}) }, spec: { template, ...spec } };
}

function noOps(names: readonly string[]): Map<string, readonly JsonOp[]> {
  return new Map(names.map((n) => [n, []]));
}

/** Most namespaces go everywhere; some stay off the edge tier. */
export function kubefedNamespace(rng: Rng, name: string, clusters: readonly BenchCluster[]): { gen: Generated; clusters: string[] } {
  const { choice, names } = choose(rng, ['all', 'all', 'all', 'tierNotIn'], clusters);
  const labels = { team: name };
  const doc = { apiVersion: TYPES_API, kind: 'FederatedNamespace', metadata: { name, namespace: name }, spec: { template: { metadata: { labels } }, placement: kubefedPlacement(choice) } };
  return { gen: { path: `kubefed/${name}/namespace.yaml`, docs: [doc], placed: [{ base: namespace(name, labels), clusters: noOps(names) }] }, clusters: names };
}

interface Override {
  readonly clusterName: string;
  readonly clusterOverrides: { op?: 'add'; path: string; value: unknown }[];
}

/** Override YAML and the same change as JSON6902 ops, for 1-4 of the placed clusters. */
function drawOverrides(rng: Rng, placed: readonly string[], make: (cluster: string) => JsonOp[]): { yaml: Override[]; ops: Map<string, JsonOp[]> } {
  const yaml: Override[] = [];
  const ops = new Map<string, JsonOp[]>();
  for (const c of rng.sample(placed, rng.int(1, 4))) {
    const list = make(c);
    if (list.length === 0) continue;
    ops.set(c, list);
    yaml.push({ clusterName: c, clusterOverrides: list.map((o) => ({ ...(o.op === 'add' ? { op: 'add' as const } : {}), path: o.path, value: o.value })) });
  }
  return { yaml, ops };
}

function intersect(a: readonly string[], b: readonly string[]): string[] {
  const s = new Set(b);
  return a.filter((x) => s.has(x));
}

function federatedDeployment(rng: Rng, i: number, name: string, ns: string, nsClusters: readonly string[], clusters: readonly BenchCluster[]): Generated {
  const withRsp = rng.chance(0.3);
  const forms: Form[] = withRsp ? ['all', 'label', 'regionIn', 'tierNotIn'] : ['all', 'label', 'label', 'regionIn', 'names', 'names'];
  const { choice, names } = choose(rng, forms, clusters);
  const placed = intersect(names, nsClusters);
  const obj = deployment(name, ns, i, rng.int(1, 5));
  const overrides = rng.chance(0.5)
    ? drawOverrides(rng, placed, (c) => {
        const ops: JsonOp[] = [];
        if (rng.chance(0.7)) ops.push({ op: 'replace', path: '/spec/template/spec/containers/0/image', value: `mirror-${c}.example.com/${name}:1.${i % 7}.${i}` });
        if (!withRsp && rng.chance(0.5)) ops.push({ op: 'replace', path: '/spec/replicas', value: rng.int(1, 9) });
        if (ops.length === 0 || rng.chance(0.6)) ops.push({ op: 'add', path: `/metadata/annotations/${pointerSegment('fleet.example.com/cost-center')}`, value: `cc-${c}` });
        return ops;
      })
    : { yaml: [], ops: new Map<string, JsonOp[]>() };
  const docs: object[] = [federate(obj, { placement: kubefedPlacement(choice), ...(overrides.yaml.length > 0 ? { overrides: overrides.yaml } : {}) })];
  const perCluster = new Map<string, JsonOp[]>(placed.map((c) => [c, [...(overrides.ops.get(c) ?? [])]]));
  if (withRsp && placed.length > 0) {
    const total = 2 * placed.length + rng.int(0, 20);
    const capped = rng.pick(placed);
    docs.push({
      apiVersion: 'scheduling.kubefed.io/v1alpha1',
      kind: 'ReplicaSchedulingPreference',
      metadata: { name, namespace: ns },
      spec: { targetKind: 'FederatedDeployment', totalReplicas: total, rebalance: true, intersectWithClusterSelector: true, clusters: { '*': { weight: 1 }, [capped]: { weight: 2, maxReplicas: 5 } } },
    });
    for (const [c, n] of evenSplit(total, placed)) perCluster.get(c)!.push({ op: 'replace', path: '/spec/replicas', value: n });
  }
  return { path: `kubefed/${ns}/${name}.yaml`, docs, placed: [{ base: obj, clusters: perCluster }] };
}

function federatedConfigMap(rng: Rng, i: number, name: string, ns: string, nsClusters: readonly string[], clusters: readonly BenchCluster[]): Generated {
  const { choice, names } = choose(rng, ['all', 'all', 'label', 'regionIn', 'names'], clusters);
  const placed = intersect(names, nsClusters);
  const obj = configMap(name, ns, i);
  const overrides = rng.chance(0.2) ? drawOverrides(rng, placed, () => [{ op: 'replace', path: '/data/LOG_LEVEL', value: 'debug' }]) : { yaml: [], ops: new Map<string, JsonOp[]>() };
  const doc = federate(obj, { placement: kubefedPlacement(choice), ...(overrides.yaml.length > 0 ? { overrides: overrides.yaml } : {}) });
  return { path: `kubefed/${ns}/${name}.yaml`, docs: [doc], placed: [{ base: obj, clusters: new Map(placed.map((c) => [c, overrides.ops.get(c) ?? []])) }] };
}

function federatedService(rng: Rng, name: string, ns: string, nsClusters: readonly string[], clusters: readonly BenchCluster[]): Generated {
  const { choice, names } = choose(rng, ['all', 'all', 'label', 'tierNotIn'], clusters);
  const placed = intersect(names, nsClusters);
  const obj = service(name, ns);
  return { path: `kubefed/${ns}/${name}.yaml`, docs: [federate(obj, { placement: kubefedPlacement(choice) })], placed: [{ base: obj, clusters: noOps(placed) }] };
}

/** One federated object: 40% Deployments, 35% ConfigMaps, 25% Services. */
export function kubefedObject(rng: Rng, i: number, name: string, ns: string, nsClusters: readonly string[], clusters: readonly BenchCluster[]): Generated {
  const r = rng.next();
  if (r < 0.4) return federatedDeployment(rng, i, name, ns, nsClusters, clusters);
  if (r < 0.75) return federatedConfigMap(rng, i, name, ns, nsClusters, clusters);
  return federatedService(rng, name, ns, nsClusters, clusters);
}
