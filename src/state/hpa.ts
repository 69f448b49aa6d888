/**
 * @module state/hpa
 * The hysteresis for a member's HorizontalPodAutoscaler (state/hysteresis.ts decides the rest of
 * the document). What the HPA wants (`desired`) is demand: a rise may make the member overflow, so
 * it is committed at once; a fall gives replicas back, so it waits for the dwell time, as more room
 * does. The bounds change only when a render or a person changes them, and are committed at once.
 * `current` is what the workload's own counts say already: it is taken as it is whenever the
 * document is committed, and never makes a commit alone. Pure.
 */
import type { HpaState } from './model.js';

export interface HpaDecision {
  /** What the document records. */
  readonly hpa?: HpaState;
  readonly changes: readonly string[];
  readonly held: readonly string[];
}

/**
 * Whether a fall is committed, as hysteresis.ts decides any change for the better: once every
 * observation through the dwell time saw it, with the most the HPA wanted meanwhile.
 */
export type Fall = { readonly commit: true; readonly value: number } | { readonly commit: false; readonly until?: string };

/**
 * `c: name` prefixes each sentence (`onprem-dc1: shop/web`); `fall` is hysteresis's verdict on a
 * lower `desired` (asked only when it is lower).
 */
export function decideHpa(was: HpaState | undefined, is: HpaState | undefined, who: string, fall: (value: number) => Fall): HpaDecision {
  if (!is) return was ? { changes: [`${who} HPA ${was.name} is gone`], held: [] } : { changes: [], held: [] };
  if (!was || was.name !== is.name) return { hpa: is, changes: [`${who} HPA ${is.name} observed: wants ${is.desired} (bounds ${is.min}..${is.max})`], held: [] };
  const changes: string[] = [];
  const held: string[] = [];
  let desired = was.desired;
  if (is.desired > was.desired) {
    desired = is.desired;
    changes.push(`${who} HPA wants ${is.desired}, was ${was.desired}`);
  } else if (is.desired < was.desired) {
    const f = fall(is.desired);
    if (f.commit) {
      desired = f.value;
      changes.push(`${who} HPA wants ${f.value}, was ${was.desired}`);
    } else held.push(`${who} HPA wants ${is.desired} (committed ${was.desired})${f.until ? `, after ${f.until}` : ''}`);
  }
  if (is.min !== was.min || is.max !== was.max) changes.push(`${who} HPA bounds ${is.min}..${is.max}, was ${was.min}..${was.max}`);
  return { hpa: { ...is, desired }, changes, held };
}
