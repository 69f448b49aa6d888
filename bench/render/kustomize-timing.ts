/**
 * The kustomize column: `kubectl kustomize` of every overlay, one after another (a CI loop), or of
 * an evenly spaced sample with the total extrapolated from the sample's mean. Each measured
 * overlay's output is compared with gitfed's files for that cluster.
 */
import { join } from 'node:path';
import { compareCluster, type ClusterComparison } from './equivalence.js';
import { kustomize } from './kubectl.js';
import { median } from './stats.js';
import { progress } from './progress.js';

export interface KustomizeTiming {
  readonly overlays: number;
  readonly measured: number;
  /** True when totalMs is extrapolated from a sample. */
  readonly extrapolated: boolean;
  readonly perOverlayMedianMs: number;
  readonly perOverlayMeanMs: number;
  /** Sum over every overlay: measured, or mean x overlays when sampled. */
  readonly totalMs: number;
  /** The same for CPU time (user + system), when it could be measured. */
  readonly totalCpuMs?: number;
  readonly comparisons: readonly ClusterComparison[];
}

export function sampleOf<T>(items: readonly T[], n: number): T[] {
  if (n <= 0 || n >= items.length) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]!);
}

export async function timeKustomize(
  kubectl: string,
  kustomizeDir: string,
  clusters: readonly string[],
  sample: number,
  gitfedFiles: (cluster: string) => Iterable<string>,
  label: string,
): Promise<KustomizeTiming> {
  const chosen = sampleOf(clusters, sample);
  const times: number[] = [];
  const cpu: number[] = [];
  const comparisons: ClusterComparison[] = [];
  for (const [i, cluster] of chosen.entries()) {
    const run = await kustomize(kubectl, join(kustomizeDir, 'overlays', cluster));
    times.push(run.ms);
    if (run.cpuMs !== undefined) cpu.push(run.cpuMs);
    comparisons.push(compareCluster(cluster, gitfedFiles(cluster), run.stdout));
    progress(`[${label}] kubectl kustomize ${i + 1}/${chosen.length}: ${(run.ms / 1000).toFixed(2)} s (${cluster})`);
  }
  const sum = times.reduce((a, b) => a + b, 0);
  const mean = sum / times.length;
  const extrapolated = chosen.length < clusters.length;
  const cpuSum = cpu.reduce((a, b) => a + b, 0);
  progress(`[${label}] kubectl kustomize: ${chosen.length} overlays in ${(sum / 1000).toFixed(1)} s`, true);
  return {
    overlays: clusters.length,
    measured: chosen.length,
    extrapolated,
    perOverlayMedianMs: median(times),
    perOverlayMeanMs: mean,
    totalMs: extrapolated ? mean * clusters.length : sum,
    ...(cpu.length === times.length ? { totalCpuMs: (cpuSum / cpu.length) * clusters.length } : {}),
    comparisons,
  };
}
