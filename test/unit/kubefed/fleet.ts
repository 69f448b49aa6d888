/** Builds engine inputs from inline YAML, through the real loader so lines are the loader's. */
import { DEFAULT_CONFIG } from '../../../src/render/config.js';
import { loadFile } from '../../../src/render/load.js';
import type { Cluster, EngineInput, FleetConfig, RenderedObject } from '../../../src/render/types.js';
import type { KubeObject } from '../../../src/object.js';

export function cluster(name: string, labels: Record<string, string> = {}): Cluster {
  return { name, labels, zones: [], taints: [], pos: { file: 'clusters.yaml', line: 1 } };
}

export function input(yaml: string, clusters: readonly Cluster[], config: Partial<FleetConfig> = {}, file = 'fleet.yaml'): EngineInput {
  const { objects, errors } = loadFile(file, yaml);
  if (errors.length > 0) throw new Error(errors.map((e) => e.format()).join('\n'));
  return { objects, clusters, config: { ...DEFAULT_CONFIG, ...config } };
}

/** cluster -> member objects of one origin or kind, for compact assertions. */
export function byCluster(rendered: readonly RenderedObject[], kind?: string): Record<string, KubeObject[]> {
  const out: Record<string, KubeObject[]> = {};
  for (const r of rendered) if (!kind || r.obj.kind === kind) (out[r.cluster] ??= []).push(r.obj);
  return out;
}

export function replicasByCluster(rendered: readonly RenderedObject[], kind = 'Deployment'): Record<string, unknown> {
  return Object.fromEntries(rendered.filter((r) => r.obj.kind === kind).map((r) => [r.cluster, (r.obj.spec as { replicas?: unknown }).replicas]));
}
