/**
 * The synthetic fleet of N clusters x M federated objects: built as a model, then written as a
 * gitfed fleet repo and as the equivalent kustomize overlays (one per cluster).
 */
import jsyaml from 'js-yaml';
import { inventoryDocument, makeClusters, pad } from './clusters.js';
import { distinctKarmada, distinctKubefed, perClusterPolicies, type FleetShape } from './distinct.js';
import { karmadaNamespace, karmadaObject, type KarmadaNamespace } from './karmada.js';
import { kubefedNamespace, kubefedObject, type Generated } from './kubefed.js';
import type { FleetModel, PlacedObject } from './model.js';
import { Rng } from './prng.js';

export interface FleetSize {
  readonly clusters: number;
  readonly objects: number;
  readonly seed?: number;
  /** @default 'shared' */
  readonly shape?: FleetShape;
}

/** Share of the federated objects written KubeFed-style; the rest are Karmada templates. */
const KUBEFED_SHARE = 0.6;
/** Objects per namespace, roughly, as teams own a few dozen services each. */
const PER_NAMESPACE = 50;

export function buildModel(size: FleetSize): FleetModel {
  if (!(size.clusters >= 1) || !(size.objects >= 1)) throw new Error('need at least one cluster and one object');
  const rng = new Rng(size.seed ?? 1);
  const clusters = makeClusters(rng, size.clusters);
  const sources = new Map<string, object[]>();
  const objects: PlacedObject[] = [];
  const distinct = size.shape === 'distinct';
  // The per-cluster stamp draws nothing from rng, so both shapes place the same objects alike.
  const add = (g: Generated, engine: 'kubefed' | 'karmada') => {
    const s = !distinct ? g : engine === 'kubefed' ? distinctKubefed(g) : distinctKarmada(g);
    sources.set(s.path, s.docs);
    objects.push(...s.placed);
  };
  for (const c of clusters) sources.set(`clusters/${c.name}.yaml`, [inventoryDocument(c)]);
  if (distinct) sources.set('karmada/per-cluster.yaml', perClusterPolicies(clusters));

  const kfCount = Math.max(2, Math.ceil((size.objects * KUBEFED_SHARE) / PER_NAMESPACE));
  const kmCount = Math.max(2, Math.ceil((size.objects * (1 - KUBEFED_SHARE)) / PER_NAMESPACE));
  const kubefedNs: { name: string; clusters: string[] }[] = [];
  for (let n = 0; n < kfCount; n++) {
    const name = `kf-team-${pad(n, 2)}`;
    const r = kubefedNamespace(rng, name, clusters);
    add(r.gen, 'kubefed');
    kubefedNs.push({ name, clusters: r.clusters });
  }
  const karmadaNs: KarmadaNamespace[] = [];
  for (let n = 0; n < kmCount; n++) {
    const r = karmadaNamespace(rng, `km-team-${pad(n, 2)}`, clusters);
    add(r.gen, 'karmada');
    karmadaNs.push(r.ns);
  }

  const width = Math.max(4, String(size.objects - 1).length);
  for (let i = 0; i < size.objects; i++) {
    const name = `app-${pad(i, width)}`;
    if (rng.chance(KUBEFED_SHARE)) {
      const ns = rng.pick(kubefedNs);
      add(kubefedObject(rng, i, name, ns.name, ns.clusters, clusters), 'kubefed');
    } else {
      add(karmadaObject(rng, i, name, rng.pick(karmadaNs), clusters), 'karmada');
    }
  }
  return { clusters, sources, objects };
}

export function toYamlStream(docs: readonly object[]): string {
  return docs.map((d) => jsyaml.dump(d, { lineWidth: -1, noRefs: true })).join('---\n');
}

/** The fleet repo: repo-relative path -> YAML text, what readWorkingTree would return for it. */
export function fleetFiles(model: FleetModel): Map<string, string> {
  const files = new Map<string, string>();
  for (const [path, docs] of model.sources) files.set(path, toYamlStream(docs));
  return files;
}

/** How many objects each cluster gets: the count both renderers must produce. */
export function expectedCounts(model: FleetModel): Map<string, number> {
  const counts = new Map(model.clusters.map((c) => [c.name, 0]));
  for (const o of model.objects) for (const c of o.clusters.keys()) counts.set(c, (counts.get(c) ?? 0) + 1);
  return counts;
}
