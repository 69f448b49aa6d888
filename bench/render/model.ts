/**
 * The synthetic fleet as data: clusters, the fleet repo's documents, and the ground truth both
 * renderers must reproduce (which object each cluster gets and what changes there). The gitfed
 * fleet repo and the kustomize overlays are two spellings of this one model, so the benchmark
 * compares equal work.
 */
import type { KubeObject } from '../../src/object.js';

/** One RFC 6902 operation, as kustomize's JSON6902 patches take it. */
export interface JsonOp {
  readonly op: 'add' | 'replace';
  readonly path: string;
  readonly value: unknown;
}

export interface BenchCluster {
  readonly name: string;
  /** Which inventory document describes it. */
  readonly engine: 'kubefed' | 'karmada';
  readonly labels: { readonly region: string; readonly tier: string; readonly provider: string };
}

/** An object as rendered, before per-cluster changes, and the clusters that get it. */
export interface PlacedObject {
  readonly base: KubeObject;
  /** Cluster name -> the operations that turn `base` into that cluster's copy (often none). */
  readonly clusters: ReadonlyMap<string, readonly JsonOp[]>;
}

export interface FleetModel {
  readonly clusters: readonly BenchCluster[];
  /** Fleet repo path -> its YAML documents, in order. */
  readonly sources: ReadonlyMap<string, readonly object[]>;
  readonly objects: readonly PlacedObject[];
}

/** `~` and `/` escaped for a JSON pointer segment (RFC 6901). */
export function pointerSegment(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Replica counts by an even split, remainder to the first clusters: equal work, not Karmada's or KubeFed's numbers. */
export function evenSplit(total: number, clusters: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  const share = Math.floor(total / clusters.length);
  clusters.forEach((c, i) => out.set(c, share + (i < total % clusters.length ? 1 : 0)));
  return out;
}
