/**
 * @module state/hysteresis
 * Decides whether a new observation of a member becomes a state commit, and writes the sentence
 * that says what changed. Pure: the observation, the committed document and the clock come in.
 *
 * The rule, like an autoscaler's stabilisation window: a change that makes a member hold less
 * (fewer replicas fit, more pods unschedulable, readiness lost, a workload's counts moving) is
 * committed at once, so overflow and failover are not delayed. A change that makes it hold more
 * (more replicas fit by at least `band`, fewer pending or unschedulable pods, readiness back) waits until the
 * member's document has not changed for `dwellSeconds`, and, given what earlier observations saw
 * (`rising`), until every observation of the last `dwellSeconds` saw it; it is then committed at
 * the least of what they saw. Meanwhile the committed value stands. So room that comes back for a
 * moment, however often, moves nothing back: capacity oscillating around a threshold moves
 * replicas away once, and back once it has stood for the dwell time.
 * Free resources alone never make a commit: no decision reads them (explain shows them).
 */
import { decideHpa } from './hpa.js';
import { formatTime, timeOf, type MemberState, type WorkloadState } from './model.js';

export interface Observation {
  readonly cluster: string;
  readonly ready: boolean;
  readonly free: Readonly<Record<string, string>>;
  readonly workloads: Readonly<Record<string, WorkloadState>>;
}

export interface HysteresisOptions {
  /** Seconds a member's document must stand before a change for the better is committed. */
  readonly dwellSeconds: number;
  /** How many more replicas must fit before a rise of `fit` counts. @default 1 */
  readonly band?: number;
  /**
   * What the observations before this one saw (the `rising` of the previous decision for this
   * member). Without it, as for an observer that keeps no memory, a change for the better seen now
   * counts as if it had held since the document last changed.
   */
  readonly rising?: Rising;
}

/**
 * Changes for the better seen in every observation since `since` (unix seconds), by field
 * (`ready`, `<workload key> fit|pending|unschedulable`), with the least of them (`value`): the
 * fewest more replicas fitting, the most pods pending, seen meanwhile.
 */
export type Rising = Readonly<Record<string, { readonly since: number; readonly value: number }>>;

export interface Decision {
  /** The document to commit (equal to `previous` when `commit` is false). */
  readonly state: MemberState;
  readonly commit: boolean;
  /** What changed, one sentence each, for the commit message. */
  readonly changes: readonly string[];
  /** Changes for the better seen but not committed yet, and until when they wait. */
  readonly held: readonly string[];
  /** What to pass as `rising` with the member's next observation. */
  readonly rising: Rising;
}

/** `shop/web` for `apps/Deployment/shop/web`: the part people name a workload by. */
export function workloadName(key: string): string {
  const parts = key.split('/');
  return parts.slice(-2).join('/');
}

/**
 * How long a member has been not ready, in seconds, at which its document is committed again
 * (then every hour). Render measures a NoExecute toleration's tolerationSeconds against the state
 * commit's time and reads no clock, so without these commits a member that stays down would never
 * be seen to outlast a toleration. A toleration runs out at the first mark at or after its end.
 */
export const NOT_READY_MARKS = [30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600] as const;

/** The latest mark that `elapsed` seconds have reached, if any. */
function lastMark(elapsed: number): number | undefined {
  const last = NOT_READY_MARKS[NOT_READY_MARKS.length - 1]!;
  if (elapsed >= last) return Math.floor(elapsed / last) * last;
  return [...NOT_READY_MARKS].reverse().find((m) => elapsed >= m);
}

const duration = (s: number) => (s % 3600 === 0 ? `${s / 3600}h` : s % 60 === 0 ? `${s / 60}m` : `${s}s`);

export function decide(previous: MemberState | undefined, obs: Observation, nowSeconds: number, opts: HysteresisOptions): Decision {
  const now = formatTime(nowSeconds);
  if (!previous) {
    const state: MemberState = { cluster: obs.cluster, ready: obs.ready, readySince: now, changedAt: now, free: obs.free, workloads: obs.workloads };
    const n = Object.keys(obs.workloads).length;
    return { state, commit: true, changes: [`${obs.cluster}: first observation, ${obs.ready ? 'ready' : 'not ready'}, ${n} federated workload(s)`], held: [], rising: {} };
  }
  const band = opts.band ?? 1;
  const changedAt = timeOf(previous.changedAt);
  const changes: string[] = [];
  const held: string[] = [];
  const rising: Record<string, { since: number; value: number }> = {};
  const c = obs.cluster;

  /**
   * A change for the better of `field` to `value` (or none: undefined). Whether it is committed now,
   * and the value to commit: the least seen since it began (`worse` picks it), once it has held
   * through the dwell time; until then it is remembered in `rising`, and the time it waits for given.
   */
  const better = (field: string, value: number | undefined, worse: (a: number, b: number) => number): { commit: true; value: number } | { commit: false; until?: string } => {
    if (value === undefined) return { commit: false };
    const seen = opts.rising?.[field];
    const since = opts.rising === undefined ? changedAt : (seen?.since ?? nowSeconds);
    const least = seen ? worse(seen.value, value) : value;
    const ready = Math.max(changedAt, since) + opts.dwellSeconds;
    if (nowSeconds >= ready) return { commit: true, value: least };
    rising[field] = { since, value: least };
    return { commit: false, until: formatTime(ready) };
  };

  let ready = previous.ready;
  let readySince = previous.readySince;
  if (obs.ready !== previous.ready && !obs.ready) {
    ready = false;
    readySince = now;
    changes.push(`${c}: not ready, was ready since ${previous.readySince}`);
  } else if (obs.ready !== previous.ready) {
    const back = better('ready', 1, Math.min);
    if (back.commit) {
      ready = true;
      readySince = now;
      changes.push(`${c}: ready again, was not ready since ${previous.readySince}`);
    } else held.push(`${c}: ready again, committed after ${back.until}`);
  } else if (!obs.ready) {
    const mark = lastMark(nowSeconds - timeOf(previous.readySince));
    if (mark !== undefined && timeOf(previous.readySince) + mark > changedAt) changes.push(`${c}: still not ready, for ${duration(mark)}`);
  }

  const workloads: Record<string, WorkloadState> = {};
  for (const key of [...new Set([...Object.keys(previous.workloads), ...Object.keys(obs.workloads)])].sort()) {
    const was = previous.workloads[key];
    const is = obs.workloads[key];
    const name = workloadName(key);
    if (!is) {
      changes.push(`${c}: ${name} is gone`);
      continue;
    }
    if (!was) {
      workloads[key] = is;
      changes.push(`${c}: ${name} observed: ${is.current} running of ${is.desired}, room for ${is.fit} more`);
      continue;
    }
    let fit = was.fit;
    if (is.fit < was.fit) {
      fit = is.fit;
      changes.push(`${c}: room for ${is.fit} more ${name}, was ${was.fit}`);
    } else {
      const more = better(`${key} fit`, is.fit >= was.fit + band ? is.fit : undefined, Math.min);
      if (more.commit) {
        fit = more.value;
        changes.push(`${c}: room for ${fit} more ${name}, was ${was.fit}`);
      } else if (more.until) held.push(`${c}: room for ${is.fit} more ${name} (committed ${was.fit}), after ${more.until}`);
    }
    const stuck = (field: 'pending' | 'unschedulable', what: string): number => {
      if (is[field] > was[field]) {
        changes.push(`${c}: ${is[field]} ${name} replica(s) ${what}, was ${was[field]}`);
        return is[field];
      }
      const fewer = better(`${key} ${field}`, is[field] < was[field] ? is[field] : undefined, Math.max);
      if (fewer.commit) {
        changes.push(`${c}: ${fewer.value} ${name} replica(s) ${what}, was ${was[field]}`);
        return fewer.value;
      }
      if (fewer.until) held.push(`${c}: ${is[field]} ${name} ${what} (committed ${was[field]}), after ${fewer.until}`);
      return was[field];
    };
    const pending = stuck('pending', 'pending');
    const unschedulable = stuck('unschedulable', 'unschedulable');
    // The counts follow the decisions themselves (apply scaling the member), so they are taken as they are.
    if (is.desired !== was.desired || is.ready !== was.ready || is.current !== was.current) {
      changes.push(`${c}: ${name} ${is.current} running, ${is.ready} ready of ${is.desired}, was ${was.current}, ${was.ready} of ${was.desired}`);
    }
    const hpa = decideHpa(was.hpa, is.hpa, `${c}: ${name}`, (value) => better(`${key} hpa`, value, Math.max));
    changes.push(...hpa.changes);
    held.push(...hpa.held);
    workloads[key] = { desired: is.desired, ready: is.ready, current: is.current, pending, unschedulable, fit, ...(hpa.hpa ? { hpa: hpa.hpa } : {}) };
  }

  if (changes.length === 0) return { state: previous, commit: false, changes, held, rising };
  return { state: { cluster: c, ready, readySince, changedAt: now, free: obs.free, workloads }, commit: true, changes, held, rising };
}

/** The state commit's message: a subject naming the first change (and how many more), then every change. */
export function stateCommitMessage(changes: readonly string[]): string {
  const subject = changes.length === 1 ? changes[0]! : `${changes[0]!} (and ${changes.length - 1} more)`;
  return `${subject}\n\n${changes.map((l) => `- ${l}`).join('\n')}\n`;
}
