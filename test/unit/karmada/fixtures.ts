/** Builders for the Karmada engine tests: clusters, source objects from inline YAML, engine runs. */
import jsyaml from 'js-yaml';
import { renderKarmada } from '../../../src/render/karmada/index.js';
import type { Cluster, EngineOutput, SourceObject, Taint } from '../../../src/render/types.js';
import type { KubeObject } from '../../../src/object.js';

export function cluster(name: string, more: Partial<Omit<Cluster, 'name' | 'pos'>> = {}): Cluster {
  return { name, labels: {}, zones: [], taints: [] as Taint[], pos: { file: 'clusters.yaml', line: 1 }, ...more };
}

/** Each YAML document becomes a SourceObject in `file`, its line the document's index * 100 + 1. */
export function sources(yaml: string, file = 'fleet.yaml'): SourceObject[] {
  return jsyaml.loadAll(yaml).filter(Boolean).map((obj, i) => {
    const line = i * 100 + 1;
    return { obj: obj as KubeObject, pos: { file, line }, lineOf: (path) => line + path.length };
  });
}

export function render(yaml: string, clusters: Cluster[], reservedNamespaces: string[] = ['kube-*', 'default']): EngineOutput {
  return renderKarmada({
    objects: sources(yaml),
    clusters,
    config: { exclude: [], missingPlacement: 'none', outputs: [], reservedNamespaces },
  });
}

/** cluster -> object key -> object, for assertions. */
export function byCluster(out: EngineOutput): Record<string, Record<string, KubeObject>> {
  const res: Record<string, Record<string, KubeObject>> = {};
  for (const r of out.rendered) (res[r.cluster] ??= {})[r.origin] = r.obj;
  return res;
}

export function codes(out: EngineOutput): string[] {
  return out.diagnostics.map((d) => `${d.severity}:${d.code}`);
}
