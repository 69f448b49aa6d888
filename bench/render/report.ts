/** The benchmark's result as data, the issue's goals, and the tables printed for people. */
import { textTable as table } from '../../src/format/table.js';
import type { CliTimings, Timing } from './cli-runs.js';
import type { FleetShape } from './distinct.js';
import { isEquivalent, type ClusterComparison } from './equivalence.js';
import type { KustomizeTiming } from './kustomize-timing.js';
import type { WatchTiming } from './measure.js';
import type { StartupResult } from './startup.js';

/** What phases.js prints. */
export interface PhaseReport {
  readonly mode: 'commit' | 'out';
  readonly phases: Readonly<Record<string, number>>;
  readonly objects: number;
  readonly files: number;
  readonly distinctContents: number;
  readonly bytes: number;
  readonly perCluster: Readonly<Record<string, number>>;
  readonly emitter?: { readonly checked: number; readonly equal: number };
  readonly watch?: WatchTiming;
}

export interface ScenarioResult {
  readonly name: string;
  readonly shape: FleetShape;
  readonly clusters: number;
  readonly objects: number;
  readonly fleet: { readonly files: number; readonly bytes: number };
  /** Clusters whose gitfed object count differs from the generator's model. */
  readonly countMismatches: readonly string[];
  readonly cli: CliTimings;
  readonly phases: { readonly commit: PhaseReport; readonly out: PhaseReport };
  readonly kustomize?: Omit<KustomizeTiming, 'comparisons'> & { readonly equivalent: number; readonly mismatches: readonly ClusterComparison[] };
  /** kustomize of every overlay / gitfed render --commit, wall time. */
  readonly ratio?: number;
  /** render --out into a new directory / cp -r of its result. */
  readonly copyRatio: number;
  /** The same, both written to a tmpfs. */
  readonly tmpfsRatio?: number;
  readonly goals: readonly Goal[];
}

export interface Goal {
  readonly goal: string;
  readonly measured: string;
  /** Undefined when it could not be measured (no kubectl, no memory figure). */
  readonly met?: boolean;
  /** Why a verdict says little of gitfed. */
  readonly caveat?: string;
}

export interface Environment {
  readonly node: string;
  readonly cpus: number;
  readonly cpu: string;
  readonly loadAverageStart: readonly number[];
  readonly loadAverageEnd: readonly number[];
  readonly kubectl: string | null;
  readonly memory: string;
  readonly runs: number;
  /** Where the previews were written, and on what file system. */
  readonly workDir: string;
}

const RATIO_GOAL = 30;
const RSS_GOAL_MB = 250;
const LARGE_BUDGET_MS = 4000;
const COPY_GOAL = 1.5;
/** cp -r this many times slower on the disk than on a tmpfs: the disk, not the writers, set both times. */
const STALL = 3;
export const STARTUP_GOAL = 4;

/** MB as the issue counts them: 10^6 bytes. */
export function mb(mib: number): number {
  return (mib * 1048576) / 1e6;
}

export function seconds(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

function int(n: number): string {
  return n.toLocaleString('en-US');
}

/** render --out into a new directory over cp -r of its result, on the disk and (when timed) on a tmpfs. */
export function copyRatios(cli: CliTimings): { copyRatio: number; tmpfsRatio?: number } {
  return { copyRatio: cli.outFresh.medianMs / cli.copy.medianMs, ...(cli.tmpfs ? { tmpfsRatio: cli.tmpfs.outFresh.medianMs / cli.tmpfs.copy.medianMs } : {}) };
}

/** Issue 10's goals, on the fleet shape they are stated for (every object distinct). */
export function goalsFor(s: { clusters: number; objects: number; shape: FleetShape }, cli: CliTimings, ratio: number | undefined): Goal[] {
  const { copyRatio, tmpfsRatio } = copyRatios(cli);
  const goals: Goal[] = [];
  const distinct = s.shape === 'distinct';
  if (distinct && s.clusters === 100 && s.objects === 500) {
    goals.push({ goal: `render --commit >= ${RATIO_GOAL}x kustomize`, measured: ratio === undefined ? 'no kubectl' : `${ratio.toFixed(1)}x`, ...(ratio === undefined ? {} : { met: ratio >= RATIO_GOAL }) });
    const rss = cli.commit.maxRssMiB;
    goals.push({ goal: `render --commit peak RSS <= ${RSS_GOAL_MB} MB`, measured: rss === undefined ? 'not measured' : `${mb(rss).toFixed(0)} MB`, ...(rss === undefined ? {} : { met: mb(rss) <= RSS_GOAL_MB }) });
  }
  if (distinct && s.clusters === 100 && s.objects === 1000) {
    goals.push({ goal: `render --commit under ${LARGE_BUDGET_MS / 1000} s`, measured: seconds(cli.commit.medianMs), met: cli.commit.medianMs < LARGE_BUDGET_MS });
  }
  const slowdown = cli.tmpfs ? cli.copy.medianMs / cli.tmpfs.copy.medianMs : undefined;
  const stalled = slowdown !== undefined && slowdown >= STALL;
  goals.push({
    goal: `render --out <= ${COPY_GOAL}x cp -r`, measured: `${copyRatio.toFixed(2)}x`, met: copyRatio <= COPY_GOAL,
    ...(stalled ? { caveat: `the disk stalled: cp -r took ${slowdown.toFixed(0)}x its tmpfs time` } : {}),
  });
  if (tmpfsRatio !== undefined) goals.push({ goal: `render --out <= ${COPY_GOAL}x cp -r on tmpfs`, measured: `${tmpfsRatio.toFixed(2)}x`, met: tmpfsRatio <= COPY_GOAL });
  return goals;
}

function verdict(g: Goal): string {
  return `${g.goal}: ${g.met === undefined ? 'not measured' : g.met ? 'met' : 'NOT met'}${g.caveat ? ` (${g.caveat})` : ''}`;
}

function rss(t: Timing): string {
  return t.maxRssMiB === undefined ? '-' : `${mb(t.maxRssMiB).toFixed(0)} MB`;
}

const PHASE_COLUMNS: [string, string][] = [
  ['boot', 'node start'], ['load', 'load modules'], ['read', 'read'], ['parse', 'parse'], ['place', 'place'], ['emit', 'emit YAML'],
  ['hash', 'hash'], ['store', 'store'], ['commitRest', 'trees, pack, refs'], ['compose', 'compose'], ['write', 'write files'],
];

export function formatReport(results: readonly ScenarioResult[], startup: StartupResult | undefined, env: Environment): string {
  const out: string[] = [];
  const load = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' ');
  out.push(`gitfed render as users run it: whole cold CLI processes, median of ${env.runs} (node ${env.node}, ${env.cpus} x ${env.cpu})`);
  out.push(`load average (1, 5, 15 min): ${load(env.loadAverageStart)} at start, ${load(env.loadAverageEnd)} at the end; peak memory: ${env.memory}${env.kubectl ? `; ${env.kubectl}` : ''}`);
  out.push(`written under ${env.workDir}`);
  out.push('fleet shapes: shared = most clusters get identical copies of an object; distinct = every copy carries its cluster (label, image tag, replicas)', '');

  out.push('render --commit into a repository without the output branch, beside kubectl kustomize of every overlay (one after another)');
  out.push(table(['fleet', 'objects out', 'distinct files', 'gitfed', 'peak RSS', 'kubectl kustomize', 'ratio', 'goals'], results.map((r) => {
    const k = r.kustomize;
    const kcol = !k ? 'skipped' : k.extrapolated ? `~${seconds(k.totalMs)} (est. from ${k.measured}/${k.overlays})` : `${seconds(k.totalMs)} (${k.measured} overlays)`;
    const ratio = r.ratio === undefined ? '-' : `${k?.extrapolated ? '~' : ''}${r.ratio.toFixed(1)}x`;
    const goals = r.goals.filter((g) => !g.goal.startsWith('render --out')).map(verdict).join('; ') || '-';
    return [`${r.name} ${r.shape}`, int(r.phases.commit.objects), int(r.phases.commit.distinctContents), seconds(r.cli.commit.medianMs), rss(r.cli.commit), kcol, ratio, goals];
  }), ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left']));

  out.push('', 'render --out: into a new directory beside cp -r of the finished preview, on the disk and on a tmpfs; render with nothing written; then --out over its own preview');
  const mem = results.some((r) => r.cli.tmpfs);
  out.push(table(['fleet', 'gitfed, new', 'peak RSS', 'cp -r', 'ratio', ...(mem ? ['tmpfs: gitfed', 'cp -r', 'ratio'] : []), 'nothing written', 'nothing changed', 'one edit'], results.map((r) => [
    `${r.name} ${r.shape}`, seconds(r.cli.outFresh.medianMs), rss(r.cli.outFresh), seconds(r.cli.copy.medianMs), `${r.copyRatio.toFixed(2)}x`,
    ...(mem ? (r.cli.tmpfs ? [seconds(r.cli.tmpfs.outFresh.medianMs), seconds(r.cli.tmpfs.copy.medianMs), `${r.tmpfsRatio!.toFixed(2)}x`] : ['-', '-', '-']) : []),
    seconds(r.cli.noWrite.medianMs), seconds(r.cli.outUnchanged.medianMs), seconds(r.cli.outEdited.medianMs),
  ]), ['left', ...Array<'right'>(mem ? 10 : 7).fill('right')]));
  for (const r of results) out.push(`  ${r.name} ${r.shape}: ${r.goals.filter((g) => g.goal.startsWith('render --out')).map(verdict).join('; ')}`);

  if (startup) {
    out.push('', `start-up: commands that talk to no member, beside node -e 0 (${seconds(startup.node.medianMs)})`);
    out.push(table(['command', 'median', 'x node -e 0', 'goal'], startup.rows.map((s) => [s.command, seconds(s.timing.medianMs), `${s.ratio.toFixed(1)}x`, `<= ${STARTUP_GOAL}x: ${s.ratio <= STARTUP_GOAL ? 'met' : 'NOT met'}`]), ['left', 'right', 'right', 'left']));
  }

  out.push('', 'where the time goes: one cold process per mode doing the command\'s steps with a clock around each (explains the figures above; not itself one)');
  const used = PHASE_COLUMNS.filter(([k]) => results.some((r) => r.phases.commit.phases[k] !== undefined || r.phases.out.phases[k] !== undefined));
  const rows: (string | number)[][] = [];
  for (const r of results) {
    for (const p of [r.phases.commit, r.phases.out]) {
      const sum = Object.values(p.phases).reduce((a, b) => a + b, 0);
      const whole = p.mode === 'commit' ? r.cli.commit.medianMs : r.cli.outFresh.medianMs;
      rows.push([`${r.name} ${r.shape}`, `--${p.mode}`, ...used.map(([k]) => (p.phases[k] === undefined ? '' : seconds(p.phases[k]!))), seconds(sum), seconds(whole)]);
    }
  }
  out.push(table(['fleet', 'mode', ...used.map(([, label]) => label), 'sum', 'CLI median'], rows, ['left', 'left', ...used.map(() => 'right' as const), 'right', 'right']));

  out.push('', 'gitfed watch after one saved change (in one process, with the caches watch keeps; a Deployment placed everywhere gets a new log level)');
  out.push(table(['fleet', 're-render', 'read + render + diff', 'files changed'], results.filter((r) => r.phases.out.watch).map((r) => {
    const w = r.phases.out.watch!;
    return [`${r.name} ${r.shape}`, seconds(w.rerenderMs), seconds(w.cycleMs), w.changedFiles];
  }), ['left', 'right', 'right', 'right']));

  out.push('', 'same work on both sides, and the same bytes as before:');
  for (const r of results) {
    const counts = r.countMismatches.length === 0 ? 'object counts match the generator on every cluster' : `object counts differ from the generator on ${r.countMismatches.length} clusters (${r.countMismatches.slice(0, 5).join(', ')})`;
    const k = r.kustomize;
    const eq = k ? `; kustomize output equals gitfed's on ${k.equivalent}/${k.measured} measured clusters (spec.replicas left out: the overlays split evenly)` : '';
    const e = r.phases.out.emitter;
    const em = e ? `; YAML emitter byte-equal to js-yaml's dump on ${int(e.equal)}/${int(e.checked)} objects` : '';
    out.push(`  ${r.name} ${r.shape}: ${counts}${eq}${em}`);
  }
  return out.join('\n') + '\n';
}

export function summarizeComparisons(comparisons: readonly ClusterComparison[]): { equivalent: number; mismatches: ClusterComparison[] } {
  const mismatches = comparisons.filter((c) => !isEquivalent(c));
  return { equivalent: comparisons.length - mismatches.length, mismatches };
}
