/**
 * @module pointers
 * Pointer branches for consumers that apply themselves (Argo CD, Flux): instead of applying, gitfed
 * moves a branch per wave (`rollout/{wave}`) or per cluster (`rollout/{cluster}`) to the head that
 * the planner gives its members, and the consumer of each member reads its pointer branch. Pure:
 * which branch should point at which commit; moving them is the caller's.
 */
import { CLUSTER_PLACEHOLDER } from '../render/paths.js';
import type { RolloutPlan } from './planner.js';
import type { ResolvedWave } from './policy.js';

export const WAVE_PLACEHOLDER = '{wave}';

/**
 * The commit each pointer branch should hold. A wave's branch holds the new head as soon as any
 * of its members is given it (a consumer reads one branch for the whole wave, so maxConcurrent
 * is kept only with per-cluster branches); a branch with no revision to hold yet is left out.
 */
export function pointerTargets(plan: RolloutPlan, waves: readonly ResolvedWave[], template: string): Map<string, string> {
  const out = new Map<string, string>();
  const perCluster = template.includes(CLUSTER_PLACEHOLDER);
  if (!perCluster && !template.includes(WAVE_PLACEHOLDER)) throw new Error(`pointer branch template ${template} names neither ${WAVE_PLACEHOLDER} nor ${CLUSTER_PLACEHOLDER}`);
  for (const w of waves) {
    if (perCluster) {
      for (const m of w.members) {
        const rev = plan.assign.get(m);
        if (rev !== undefined) out.set(template.split(CLUSTER_PLACEHOLDER).join(m), rev);
      }
      continue;
    }
    const revs = w.members.map((m) => plan.assign.get(m));
    const rev = revs.includes(plan.state.target) ? plan.state.target : revs.find((r) => r !== undefined);
    if (rev !== undefined) out.set(template.split(WAVE_PLACEHOLDER).join(w.name), rev);
  }
  return out;
}
