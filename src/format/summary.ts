/** What a render produced, in numbers: for the `render` table and its JSON. */
import { displayName } from '../object.js';
import type { RenderResult } from '../render/render.js';

export interface RenderSummary {
  clusters: { name: string; branch: string; dir: string; objects: number; digest: string }[];
  /** Workload (`Kind/ns/name`) -> cluster -> replicas. Only objects with a numeric spec.replicas. */
  replicas: Record<string, Record<string, number>>;
  warnings: number;
}

export function summarize(result: RenderResult, only?: ReadonlySet<string>): RenderSummary {
  const clusters = result.branches.flatMap((b) =>
    b.clusters.filter((c) => !only || only.has(c.cluster)).map((c) => ({ name: c.cluster, branch: b.branch, dir: c.dir, objects: c.objects, digest: c.digest })),
  );
  const replicas: Record<string, Record<string, number>> = {};
  for (const r of result.rendered) {
    if (only && !only.has(r.cluster)) continue;
    const n = (r.obj.spec as { replicas?: unknown } | undefined)?.replicas;
    if (typeof n !== 'number') continue;
    (replicas[displayName(r.obj)] ??= {})[r.cluster] = n;
  }
  const sorted = Object.fromEntries(Object.entries(replicas).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  return { clusters, replicas: sorted, warnings: result.warnings.length };
}
