/**
 * @module pointers
 * Pointer branches for consumers that apply themselves (Argo CD, Flux): instead of applying, gitfed
 * moves a branch per wave (`rollout/{wave}`) or per cluster (`rollout/{cluster}`) to the head that
 * the planner gives its members, and the consumer of each member reads its pointer branch. Pure:
 * which branch should point at which commit; moving them is the caller's.
 */
import { branchNameProblem } from '../git/ref-names.js';
import { CLUSTER_PLACEHOLDER } from '../render/paths.js';
import type { RolloutPlan } from './planner.js';
import type { ResolvedWave } from './policy.js';

export const WAVE_PLACEHOLDER = '{wave}';

/** Why a `--pointer-branches` template cannot name branches, or undefined. */
export function pointerTemplateProblem(template: string): string | undefined {
  const perCluster = template.includes(CLUSTER_PLACEHOLDER);
  if (!perCluster && !template.includes(WAVE_PLACEHOLDER)) return `names neither ${WAVE_PLACEHOLDER} (a branch per wave) nor ${CLUSTER_PLACEHOLDER} (a branch per cluster)`;
  if (perCluster && template.includes(WAVE_PLACEHOLDER)) return `names both ${WAVE_PLACEHOLDER} and ${CLUSTER_PLACEHOLDER}; give one`;
  const problem = branchNameProblem(fill(template, 'x'));
  return problem ? `does not give a valid branch name: it ${problem}` : undefined;
}

function fill(template: string, value: string): string {
  return template.split(template.includes(CLUSTER_PLACEHOLDER) ? CLUSTER_PLACEHOLDER : WAVE_PLACEHOLDER).join(value);
}

/** The pointer branch a member's consumer reads: its own, or its wave's; undefined for a member no wave holds. */
export function pointerBranchOf(member: string, waves: readonly ResolvedWave[], template: string): string | undefined {
  if (template.includes(CLUSTER_PLACEHOLDER)) return fill(template, member);
  const wave = waves.find((w) => w.members.includes(member));
  return wave ? fill(template, wave.name) : undefined;
}

/**
 * The commit each pointer branch should hold. A wave's branch holds the new head as soon as any
 * of its members is given it (a consumer reads one branch for the whole wave, so maxConcurrent
 * is kept only with per-cluster branches); a branch with no revision to hold yet is left out.
 */
export function pointerTargets(plan: RolloutPlan, waves: readonly ResolvedWave[], template: string): Map<string, string> {
  const out = new Map<string, string>();
  const perCluster = template.includes(CLUSTER_PLACEHOLDER);
  const problem = pointerTemplateProblem(template);
  if (problem) throw new Error(`pointer branch template ${template} ${problem}`);
  for (const w of waves) {
    if (perCluster) {
      for (const m of w.members) {
        const rev = plan.assign.get(m);
        if (rev !== undefined) out.set(fill(template, m), rev);
      }
      continue;
    }
    const revs = w.members.map((m) => plan.assign.get(m));
    const rev = revs.includes(plan.state.target) ? plan.state.target : revs.find((r) => r !== undefined);
    if (rev !== undefined) out.set(fill(template, w.name), rev);
  }
  return out;
}
