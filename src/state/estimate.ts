/**
 * @module state/estimate
 * What a member can still hold, computed as Karmada's cluster status controller and general
 * estimator do (`pkg/controllers/status/cluster_status_controller.go`, `pkg/estimator/client/general.go`),
 * and KubeFed's pod analysis (`pkg/controller/util/podanalyzer/pod_helper.go`). Pure: nodes and
 * pods in, numbers out; the caller supplies the clock.
 *
 * Units: `cpu` in millicores, every other resource in its base unit rounded up, as upstream.
 */
import { parseQuantity } from '../apply/plan/quantity.js';

export type Resources = Map<string, number>;

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function amount(resource: string, q: unknown): number {
  const v = parseQuantity(q) ?? 0;
  return resource === 'cpu' ? Math.ceil(v * 1000 - 1e-9) : Math.ceil(v - 1e-9);
}

function resourcesOf(list: unknown): Resources {
  const out: Resources = new Map();
  for (const [k, v] of Object.entries(asObj(list))) out.set(k, amount(k, v));
  return out;
}

function add(into: Resources, r: ReadonlyMap<string, number>): void {
  for (const [k, v] of r) into.set(k, (into.get(k) ?? 0) + v);
}

/**
 * A pod's request (upstream AddPodRequest): the sum over containers, then per resource the larger
 * of that and each init container's, plus the pod overhead. `pods` is 1.
 */
export function podRequest(podSpec: unknown): Resources {
  const spec = asObj(podSpec);
  const sum: Resources = new Map();
  for (const c of asList(spec.containers)) add(sum, resourcesOf(asObj(asObj(c).resources).requests));
  for (const c of asList(spec.initContainers)) {
    for (const [k, v] of resourcesOf(asObj(asObj(c).resources).requests)) if (v > (sum.get(k) ?? 0)) sum.set(k, v);
  }
  add(sum, resourcesOf(spec.overhead));
  sum.set('pods', 1);
  return sum;
}

/** Node allocatable less the requests of scheduled (non-terminal) and pending pods, each at least 0. */
export function freeResources(nodes: readonly unknown[], pods: readonly unknown[]): Resources {
  const allocatable: Resources = new Map();
  for (const n of nodes) add(allocatable, resourcesOf(asObj(asObj(n).status).allocatable));
  const used: Resources = new Map();
  for (const p of pods) {
    const phase = asObj(asObj(p).status).phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    add(used, podRequest(asObj(p).spec));
  }
  const free: Resources = new Map();
  for (const [k, v] of allocatable) free.set(k, Math.max(0, v - (used.get(k) ?? 0)));
  return free;
}

/**
 * Karmada's general estimate: min(allowed pods, floor(free_r / request_r) over each requested
 * resource); a resource the cluster does not report at all fits 0.
 */
export function generalEstimate(free: ReadonlyMap<string, number>, request: ReadonlyMap<string, number> | undefined): number {
  let n = Math.max(0, free.get('pods') ?? 0);
  if (n === 0 || !request) return n;
  for (const [k, req] of request) {
    if (k === 'pods' || req <= 0) continue;
    n = Math.min(n, Math.floor(Math.max(0, free.get(k) ?? 0) / req));
  }
  return n;
}

/** KubeFed's UnschedulableThreshold: a pod counts as unschedulable only after this long. */
export const UNSCHEDULABLE_AFTER_SECONDS = 60;

export interface PodAnalysis {
  readonly total: number;
  /** Not bound to a node and not finished. */
  readonly pending: number;
  /** Running with a Ready condition (its status is not looked at, as upstream). */
  readonly runningAndReady: number;
  readonly unschedulable: number;
  /** Some pod is unschedulable but younger than the threshold: look again later. */
  readonly recheck: boolean;
}

export function analyzePods(pods: readonly unknown[], nowSeconds: number): PodAnalysis {
  let runningAndReady = 0;
  let unschedulable = 0;
  let pending = 0;
  let recheck = false;
  for (const p of pods) {
    const status = asObj(asObj(p).status);
    const conditions = asList(status.conditions).map(asObj);
    if (!asObj(asObj(p).spec).nodeName && status.phase !== 'Succeeded' && status.phase !== 'Failed') pending++;
    if (status.phase === 'Running') {
      if (conditions.some((c) => c.type === 'Ready')) runningAndReady++;
      continue;
    }
    const c = conditions.find((x) => x.type === 'PodScheduled' && x.status === 'False' && x.reason === 'Unschedulable');
    if (!c) continue;
    const since = typeof c.lastTransitionTime === 'string' ? Date.parse(c.lastTransitionTime) / 1000 : NaN;
    if (Number.isFinite(since) && since + UNSCHEDULABLE_AFTER_SECONDS < nowSeconds) unschedulable++;
    else recheck = true;
  }
  return { total: pods.length, pending, runningAndReady, unschedulable, recheck };
}

/** Free resources as the state document writes them: CPU down to 10m, memory down to MiB. */
export function roundFree(free: ReadonlyMap<string, number>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...free.keys()].sort()) {
    const v = free.get(k)!;
    if (k === 'cpu') out[k] = `${Math.floor(v / 10) * 10}m`;
    else if (k === 'memory' || k === 'ephemeral-storage') out[k] = `${Math.floor(v / 2 ** 20)}Mi`;
    else out[k] = String(v);
  }
  return out;
}
