/**
 * The same fleet as kustomize overlays: a base with every object (one file each) and one overlay
 * per cluster that lists the base files placed there and patches them with JSON6902 operations.
 * Overlays name files outside their own root, so kustomize needs --load-restrictor
 * LoadRestrictionsNone; that is the cheapest way for kustomize to take a subset of a base.
 */
import jsyaml from 'js-yaml';
import type { KubeObject } from '../../src/object.js';
import type { FleetModel } from './model.js';

export const KUSTOMIZE_FLAGS = ['--load-restrictor', 'LoadRestrictionsNone'] as const;

function baseFile(obj: KubeObject): string {
  const scope = obj.metadata.namespace ?? '_cluster';
  return `base/${scope}/${obj.kind.toLowerCase()}-${obj.metadata.name}.yaml`;
}

function dump(value: unknown): string {
  return jsyaml.dump(value, { lineWidth: -1, noRefs: true });
}

function target(obj: KubeObject): Record<string, string> {
  const slash = obj.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : obj.apiVersion.slice(0, slash);
  const version = obj.apiVersion.slice(slash + 1);
  return { ...(group ? { group } : {}), version, kind: obj.kind, ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}), name: obj.metadata.name };
}

interface Overlay {
  resources: string[];
  patches: { target: Record<string, string>; patch: string }[];
}

/** kustomize tree: path (relative to the kustomize root) -> text. Overlays live in overlays/<cluster>/. */
export function kustomizeFiles(model: FleetModel): Map<string, string> {
  const files = new Map<string, string>();
  const overlays = new Map<string, Overlay>(model.clusters.map((c) => [c.name, { resources: [], patches: [] }]));
  const all: string[] = [];
  for (const o of model.objects) {
    const file = baseFile(o.base);
    files.set(file, dump(o.base));
    all.push(file.slice('base/'.length));
    for (const [cluster, ops] of o.clusters) {
      const ov = overlays.get(cluster)!;
      ov.resources.push(`../../${file}`);
      if (ops.length > 0) ov.patches.push({ target: target(o.base), patch: dump(ops) });
    }
  }
  files.set('base/kustomization.yaml', dump({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: all }));
  for (const [cluster, ov] of overlays) {
    const k = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ov.resources, ...(ov.patches.length > 0 ? { patches: ov.patches } : {}) };
    files.set(`overlays/${cluster}/kustomization.yaml`, dump(k));
  }
  return files;
}
