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
 * `c: name` prefixes each sentence (`onprem-dc1: shop/web`); `until` is when the dwell time ends.
 */
export function decideHpa(was: HpaState | undefined, is: HpaState | undefined, who: string, dwellOver: boolean, until: string): HpaDecision {
  if (!is) return was ? { changes: [`${who} HPA ${was.name} is gone`], held: [] } : { changes: [], held: [] };
  if (!was || was.name !== is.name) return { hpa: is, changes: [`${who} HPA ${is.name} observed: wants ${is.desired} (bounds ${is.min}..${is.max})`], held: [] };
  const changes: string[] = [];
  const held: string[] = [];
  let desired = was.desired;
  if (is.desired > was.desired || (is.desired < was.desired && dwellOver)) {
    desired = is.desired;
    changes.push(`${who} HPA wants ${is.desired}, was ${was.desired}`);
  } else if (is.desired < was.desired) held.push(`${who} HPA wants ${is.desired} (committed ${was.desired}), after ${until}`);
  if (is.min !== was.min || is.max !== was.max) changes.push(`${who} HPA bounds ${is.min}..${is.max}, was ${was.min}..${was.max}`);
  return { hpa: { ...is, desired }, changes, held };
}
