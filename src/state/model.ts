/**
 * @module state/model
 * The observed state of a fleet's members as render reads it: one small document per member on
 * the state branch (`members/<cluster>.json`). Deterministic (fixed key order, sorted maps, two-space
 * JSON, trailing newline) and rounded (CPU to 10m, memory to MiB), so that a state commit happens
 * only when a number a decision uses changes, and the same observation gives the same blob.
 *
 * Pure: no clock, no I/O. Observing (src/observe) writes these; render reads them.
 */
import { GitfedError } from '../errors.js';

export const STATE_SCHEMA = 1;
export const DEFAULT_STATE_BRANCH = 'fleet-state';
export const STATE_DIR = 'members';

/** Per federated workload on one member: what KubeFed's planner and Karmada's estimator read. */
export interface WorkloadState {
  /** spec.replicas of the member's object. */
  readonly desired: number;
  /** status.readyReplicas. */
  readonly ready: number;
  /**
   * KubeFed's currentReplicas: `ready` when it equals `desired`, else the pods Running with a
   * Ready condition (podanalyzer, which does not look at the condition's status).
   */
  readonly current: number;
  /** Pods not bound to a node yet (the scheduler has not placed them, or cannot). */
  readonly pending: number;
  /** Of those, PodScheduled=False reason Unschedulable for longer than 60 s (KubeFed's threshold). */
  readonly unschedulable: number;
  /** Karmada's general estimator: how many more replicas of this pod template fit. */
  readonly fit: number;
  /** The member's HorizontalPodAutoscaler scaling this workload, if it has one. */
  readonly hpa?: HpaState;
}

/**
 * A member's autoscaling/v2 HorizontalPodAutoscaler whose scaleTargetRef names the workload: what
 * it wants (status.desiredReplicas) is demand, and what the member cannot hold of it overflows.
 */
export interface HpaState {
  /** The HPA's name (several may name one workload; the first by name is recorded). */
  readonly name: string;
  /** spec.minReplicas (default 1) and spec.maxReplicas. */
  readonly min: number;
  readonly max: number;
  /** status.currentReplicas and status.desiredReplicas (0 before the HPA controller wrote them). */
  readonly current: number;
  readonly desired: number;
}

export interface MemberState {
  readonly cluster: string;
  readonly ready: boolean;
  /** When readiness last changed (RFC 3339, seconds); the first observation's time otherwise. */
  readonly readySince: string;
  /** When any value of this document last changed (dwell time is counted from here). */
  readonly changedAt: string;
  /** Allocatable left per resource: node allocatable less the requests of scheduled and pending pods. */
  readonly free: Readonly<Record<string, string>>;
  /** Object key (`group/Kind/namespace/name`) to its state. */
  readonly workloads: Readonly<Record<string, WorkloadState>>;
}

/** The state a render reads: every member's document, and the commit they were read from. */
export interface FleetState {
  /** Full id of the state commit; absent for a state not read from git (tests). */
  readonly commit?: string;
  /**
   * When it was observed: the state commit's committer time (unix seconds), which observe sets to
   * its clock. Render measures tolerationSeconds against it, never against its own clock.
   */
  readonly observedAt?: number;
  readonly members: ReadonlyMap<string, MemberState>;
}

export function memberFile(cluster: string): string {
  return `${STATE_DIR}/${cluster}.json`;
}

function sorted<T>(o: Readonly<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k]!;
  return out;
}

/** The document's bytes: fixed key order, maps sorted, so equal states are equal blobs. */
export function serializeMemberState(s: MemberState): string {
  const workloads: Record<string, WorkloadState> = {};
  for (const [k, w] of Object.entries(sorted(s.workloads))) {
    const hpa = w.hpa ? { hpa: { name: w.hpa.name, min: w.hpa.min, max: w.hpa.max, current: w.hpa.current, desired: w.hpa.desired } } : {};
    workloads[k] = { desired: w.desired, ready: w.ready, current: w.current, pending: w.pending, unschedulable: w.unschedulable, fit: w.fit, ...hpa };
  }
  const doc = { schema: STATE_SCHEMA, cluster: s.cluster, ready: s.ready, readySince: s.readySince, changedAt: s.changedAt, free: sorted(s.free), workloads };
  return JSON.stringify(doc, null, 2) + '\n';
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Strict: a state document render cannot read exactly is an error naming the file, never a guess. */
export function parseMemberState(text: string, file: string): MemberState {
  const invalid = (what: string) =>
    new GitfedError('FleetStateInvalid', `${file}: ${what}`, { file, hint: 'the state branch is written by `gitfed observe`; observe again, or revert the commit that changed this file' });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw invalid(`not JSON: ${(err as Error).message}`);
  }
  if (!isRecord(raw)) throw invalid('not a JSON object');
  if (raw.schema !== STATE_SCHEMA) throw invalid(`schema ${JSON.stringify(raw.schema)} is not one this gitfed reads (${STATE_SCHEMA})`);
  if (typeof raw.cluster !== 'string' || raw.cluster === '') throw invalid('cluster must be a name');
  if (file !== memberFile(raw.cluster) && file.endsWith('.json') && file.startsWith(`${STATE_DIR}/`)) throw invalid(`names cluster ${raw.cluster}, but the file is for ${file.slice(STATE_DIR.length + 1, -5)}`);
  if (typeof raw.ready !== 'boolean') throw invalid('ready must be true or false');
  for (const k of ['readySince', 'changedAt'] as const) if (typeof raw[k] !== 'string' || !TIME.test(raw[k] as string)) throw invalid(`${k} must be a UTC time like 2026-01-02T03:04:05Z`);
  if (!isRecord(raw.free) || !Object.values(raw.free).every((v) => typeof v === 'string')) throw invalid('free must map resource names to quantities');
  if (!isRecord(raw.workloads)) throw invalid('workloads must be an object');
  const workloads: Record<string, WorkloadState> = {};
  for (const [k, w] of Object.entries(raw.workloads)) {
    if (!isRecord(w)) throw invalid(`workloads.${k} must be an object`);
    const fields = ['desired', 'ready', 'current', 'pending', 'unschedulable', 'fit'] as const;
    for (const f of fields) if (!isCount(w[f])) throw invalid(`workloads.${k}.${f} must be a count`);
    workloads[k] = { desired: w.desired as number, ready: w.ready as number, current: w.current as number, pending: w.pending as number, unschedulable: w.unschedulable as number, fit: w.fit as number, ...parseHpa(w.hpa, `workloads.${k}.hpa`, invalid) };
  }
  return { cluster: raw.cluster, ready: raw.ready, readySince: raw.readySince as string, changedAt: raw.changedAt as string, free: raw.free as Record<string, string>, workloads };
}

/** A workload's optional `hpa`: absent in documents of members without one (and of older gitfeds). */
function parseHpa(v: unknown, at: string, invalid: (what: string) => GitfedError): { hpa?: HpaState } {
  if (v === undefined) return {};
  if (!isRecord(v)) throw invalid(`${at} must be an object`);
  if (typeof v.name !== 'string' || v.name === '') throw invalid(`${at}.name must be a name`);
  for (const f of ['min', 'max', 'current', 'desired'] as const) if (!isCount(v[f])) throw invalid(`${at}.${f} must be a count`);
  return { hpa: { name: v.name, min: v.min as number, max: v.max as number, current: v.current as number, desired: v.desired as number } };
}

/** Reads every `members/*.json` of a state tree (path -> text). */
export function parseFleetState(files: ReadonlyMap<string, string>, commit?: string, observedAt?: number): FleetState {
  const members = new Map<string, MemberState>();
  for (const [path, text] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!path.startsWith(`${STATE_DIR}/`) || !path.endsWith('.json')) continue;
    const m = parseMemberState(text, path);
    members.set(m.cluster, m);
  }
  return { ...(commit ? { commit } : {}), ...(observedAt !== undefined ? { observedAt } : {}), members };
}

/** Seconds since the epoch of a document time. */
export function timeOf(t: string): number {
  return Date.parse(t) / 1000;
}

/** A document time (seconds, UTC) for a unix time in seconds. */
export function formatTime(unixSeconds: number): string {
  return new Date(Math.floor(unixSeconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
