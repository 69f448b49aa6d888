/** The benchmark's result as data, its goals, and the tables printed for people. */
import { table } from '../../cmd/output.js';
import { isEquivalent, type ClusterComparison } from './equivalence.js';
import type { KustomizeTiming } from './kustomize-timing.js';
import type { RenderTiming, WatchTiming } from './measure.js';

export interface ScenarioResult {
  readonly name: string;
  readonly clusters: number;
  readonly objects: number;
  readonly fleet: { readonly files: number; readonly bytes: number };
  readonly output: { readonly objects: number; readonly files: number; readonly bytes: number };
  /** Clusters whose gitfed object count differs from the generator's model. */
  readonly countMismatches: readonly string[];
  readonly gitfed: { readonly runs: number; readonly firstRunMs: number; readonly median: RenderTiming; readonly totalsMs: readonly number[]; readonly maxRssMiB: number };
  readonly kustomize?: Omit<KustomizeTiming, 'comparisons'> & { readonly equivalent: number; readonly mismatches: readonly ClusterComparison[] };
  /** Wall-clock ratio kustomize / gitfed. */
  readonly ratio?: number;
  /** CPU-time ratio: steadier than wall time when other work shares the machine. */
  readonly cpuRatio?: number;
  readonly watch: WatchTiming;
  readonly goals: readonly Goal[];
}

export interface Goal {
  readonly goal: string;
  readonly measured: string;
  /** Undefined when it could not be measured (no kubectl). */
  readonly met?: boolean;
}

const RATIO_GOAL = 20;
const LARGE_BUDGET_MS = 5000;

/** Issue 3's goals: >= 20x kustomize at 100 x 500, under 5 s at 100 x 1,000. */
export function goalsFor(clusters: number, objects: number, gitfedMs: number, ratio: number | undefined): Goal[] {
  const goals: Goal[] = [];
  if (clusters === 100 && objects === 500) {
    goals.push({ goal: `>= ${RATIO_GOAL}x faster than kustomize`, measured: ratio === undefined ? 'no kubectl' : `${ratio.toFixed(1)}x`, ...(ratio === undefined ? {} : { met: ratio >= RATIO_GOAL }) });
  }
  if (clusters === 100 && objects === 1000) {
    goals.push({ goal: `render under ${LARGE_BUDGET_MS / 1000} s`, measured: seconds(gitfedMs), met: gitfedMs < LARGE_BUDGET_MS });
  }
  return goals;
}

export function seconds(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

function int(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatReport(results: readonly ScenarioResult[], header: string): string {
  const out: string[] = [header, ''];
  const main = results.map((r) => {
    const k = r.kustomize;
    const kcol = !k ? 'skipped' : k.extrapolated ? `~${seconds(k.totalMs)} (est. from ${k.measured}/${k.overlays})` : `${seconds(k.totalMs)} (${k.measured} overlays)`;
    const approx = k?.extrapolated ? '~' : '';
    const ratio = r.ratio === undefined ? '-' : `${approx}${r.ratio.toFixed(1)}x`;
    const cpuRatio = r.cpuRatio === undefined ? '-' : `${approx}${r.cpuRatio.toFixed(1)}x`;
    const goal = r.goals.map((g) => `${g.goal}: ${g.met === undefined ? 'not measured' : g.met ? 'met' : 'NOT met'}`).join('; ') || '-';
    return [r.name, int(r.output.objects), seconds(r.gitfed.median.totalMs), kcol, ratio, cpuRatio, goal];
  });
  out.push(table(['scenario', 'objects out', `gitfed (median of ${results[0]?.gitfed.runs ?? 0})`, 'kubectl kustomize, all overlays', 'ratio', 'CPU ratio', 'goal'], main, ['left', 'right', 'right', 'right', 'right', 'right', 'left']));

  out.push('', 'gitfed breakdown (medians; parse and emit re-timed from outside, place = render - parse - emit)');
  const rows = results.map((r) => {
    const m = r.gitfed.median;
    return [r.name, seconds(m.readMs), seconds(m.parseMs), seconds(m.placeMs), seconds(m.emitMs), seconds(m.cpuMs), seconds(Math.min(...r.gitfed.totalsMs)), seconds(r.gitfed.firstRunMs), `${(r.output.bytes / 1048576).toFixed(1)} MiB`, `${r.gitfed.maxRssMiB.toFixed(0)} MiB`];
  });
  // The fastest run is the one least disturbed by other work on a shared machine.
  out.push(table(['scenario', 'read files', 'parse', 'place', 'emit', 'CPU', 'fastest', 'first run', 'output', 'max RSS'], rows, ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right']));

  out.push('', 'watch: one FederatedDeployment placed everywhere gets a new image tag (full re-render)');
  out.push(table(['scenario', 're-render', 'read + render + diff', 'files changed'], results.map((r) => [r.name, seconds(r.watch.rerenderMs), seconds(r.watch.cycleMs), r.watch.changedFiles]), ['left', 'right', 'right', 'right']));

  out.push('', 'same work on both sides:');
  for (const r of results) {
    const counts = r.countMismatches.length === 0 ? 'object counts match the generator on every cluster' : `object counts differ from the generator on ${r.countMismatches.length} clusters (${r.countMismatches.slice(0, 5).join(', ')})`;
    const k = r.kustomize;
    const eq = k ? `; kustomize output equals gitfed's on ${k.equivalent}/${k.measured} measured clusters (objects and content; spec.replicas left out: the overlays split evenly)` : '';
    out.push(`  ${r.name}: ${counts}${eq}`);
  }
  return out.join('\n') + '\n';
}

export function summarizeComparisons(comparisons: readonly ClusterComparison[]): { equivalent: number; mismatches: ClusterComparison[] } {
  const mismatches = comparisons.filter((c) => !isEquivalent(c));
  return { equivalent: comparisons.length - mismatches.length, mismatches };
}
