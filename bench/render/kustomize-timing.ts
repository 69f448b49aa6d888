/**
 * The kustomize column: `kubectl kustomize` of every overlay, one after another (a CI loop), or of
 * an evenly spaced sample with the total extrapolated from the sample's mean. Each measured
 * overlay's output is compared with gitfed's files for that cluster.
 */
import { join } from 'node:path';
import { compareCluster, type ClusterComparison } from './equivalence.js';
import { kustomize } from './kubectl.js';
import { median } from './stats.js';
import { settleDisk } from './process.js';
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

/**
 * The overlays are built in shares, so the benchmark can take turns between kustomize and gitfed
 * (see cli-runs.ts); each output is kept and compared with gitfed's files at the end.
 */
export class KustomizeSession {
  private readonly chosen: string[];
  private done = 0;
  private readonly times: number[] = [];
  private readonly cpu: number[] = [];
  private readonly outputs = new Map<string, string>();

  constructor(
    private readonly kubectl: string,
    private readonly kustomizeDir: string,
    private readonly clusters: readonly string[],
    sample: number,
    private readonly label: string,
  ) {
    this.chosen = sampleOf(clusters, sample);
  }

  /** Builds the i-th of `of` equal shares of the overlays (those not built yet). */
  async runShare(i: number, of: number): Promise<void> {
    await this.runUpTo(Math.floor(((i + 1) * this.chosen.length) / of));
  }

  private async runUpTo(end: number): Promise<void> {
    for (; this.done < Math.min(end, this.chosen.length); this.done++) {
      const cluster = this.chosen[this.done]!;
      settleDisk();
      const run = await kustomize(this.kubectl, join(this.kustomizeDir, 'overlays', cluster));
      this.times.push(run.ms);
      if (run.cpuMs !== undefined) this.cpu.push(run.cpuMs);
      this.outputs.set(cluster, run.stdout);
      progress(`[${this.label}] kubectl kustomize ${this.done + 1}/${this.chosen.length}: ${(run.ms / 1000).toFixed(2)} s (${cluster})`);
    }
  }

  /** Builds what is left, then compares every output with gitfed's files for that cluster. */
  async finish(gitfedFiles: (cluster: string) => Iterable<string>): Promise<KustomizeTiming> {
    await this.runUpTo(this.chosen.length);
    const { times, cpu, chosen, clusters } = this;
    const comparisons = chosen.map((c) => compareCluster(c, gitfedFiles(c), this.outputs.get(c)!));
    const sum = times.reduce((a, b) => a + b, 0);
    const mean = sum / times.length;
    const extrapolated = chosen.length < clusters.length;
    const cpuSum = cpu.reduce((a, b) => a + b, 0);
    progress(`[${this.label}] kubectl kustomize: ${chosen.length} overlays in ${(sum / 1000).toFixed(1)} s`, true);
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
}
