/** What a render produced, in numbers: for the `render` table and its JSON. */
import { displayName } from '../object.js';
import type { RenderResult } from '../render/render.js';
import { textTable } from './table.js';

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

/** The render table: a row per cluster, and the replicas of each workload per cluster (or in sum, past ten clusters). */
export function formatSummary(s: RenderSummary): string {
  const lines: string[] = [];
  lines.push(textTable(['CLUSTER', 'BRANCH', 'DIRECTORY', 'OBJECTS', 'DIGEST'], s.clusters.map((c) => [c.name, c.branch, c.dir, c.objects, c.digest.slice(0, 12)]), ['left', 'left', 'left', 'right', 'left']));
  const workloads = Object.keys(s.replicas);
  if (workloads.length > 0) {
    const names = [...new Set(s.clusters.map((c) => c.name))];
    lines.push('');
    if (names.length <= 10) {
      lines.push(textTable(['WORKLOAD', ...names, 'TOTAL'], workloads.map((w) => {
        const per = s.replicas[w]!;
        return [w, ...names.map((n) => (per[n] === undefined ? '-' : per[n]!)), Object.values(per).reduce((a, b) => a + b, 0)];
      }), ['left', ...names.map(() => 'right' as const), 'right']));
    } else {
      lines.push(textTable(['WORKLOAD', 'CLUSTERS', 'TOTAL', 'MIN', 'MAX'], workloads.map((w) => {
        const v = Object.values(s.replicas[w]!);
        return [w, v.length, v.reduce((a, b) => a + b, 0), Math.min(...v), Math.max(...v)];
      }), ['left', 'right', 'right', 'right', 'right']));
    }
  }
  return lines.join('\n');
}
