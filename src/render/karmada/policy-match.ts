/**
 * @module karmada/policy-match
 * Which propagation policy takes a template (upstream `pkg/detector/policy.go`, `compare.go`):
 * any matching PropagationPolicy of the template's namespace beats every ClusterPropagationPolicy;
 * among one kind, higher explicit priority, then higher implicit priority, then the name that
 * sorts first (byte order). Live Karmada keeps a template with the policy that claimed it first;
 * a render has no history, so it always picks as if the template were new (see index.ts).
 */
import type { KubeObject } from '../types.js';
import { policyRef, type PropagationPolicy } from './model.js';
import { describePriority, ImplicitPriority, selectorsPriority } from './resource-selector.js';

export interface Candidate {
  readonly policy: PropagationPolicy;
  readonly explicit: number;
  readonly implicit: ImplicitPriority;
}

export interface PolicyChoice {
  readonly winner?: Candidate;
  /** The reasoning, one sentence each: every candidate and why it won or lost. */
  readonly lines: string[];
}

const byteCompare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Orders candidates best first. */
export function compareCandidates(a: Candidate, b: Candidate): number {
  return b.explicit - a.explicit || b.implicit - a.implicit || byteCompare(a.policy.name, b.policy.name);
}

function whyLost(loser: Candidate, winner: Candidate): string {
  if (loser.explicit !== winner.explicit) return `its explicit priority ${loser.explicit} is below ${winner.explicit}`;
  if (loser.implicit !== winner.implicit) return `same explicit priority ${loser.explicit}, but it matches by ${describePriority(loser.implicit)}, less specific than ${describePriority(winner.implicit)}`;
  return `same explicit (${loser.explicit}) and implicit (${loser.implicit}) priority, and the name ${JSON.stringify(loser.policy.name)} sorts after ${JSON.stringify(winner.policy.name)}`;
}

export class PropagationIndex {
  private readonly pps = new Map<string, PropagationPolicy[]>();
  private readonly cpps = new Map<string, PropagationPolicy[]>();

  constructor(policies: readonly PropagationPolicy[]) {
    for (const p of policies) {
      const seen = new Set<string>();
      for (const rs of p.spec.resourceSelectors) {
        const k = p.kind === 'PropagationPolicy' ? `${p.namespace}\0${rs.apiVersion}\0${rs.kind}` : `${rs.apiVersion}\0${rs.kind}`;
        if (seen.has(k)) continue;
        seen.add(k);
        const map = p.kind === 'PropagationPolicy' ? this.pps : this.cpps;
        const list = map.get(k) ?? [];
        list.push(p);
        map.set(k, list);
      }
    }
  }

  /** `namespace` is the template's ('' for cluster-scoped: only ClusterPropagationPolicies can take it). */
  choose(obj: KubeObject, namespace: string): PolicyChoice {
    const pp = namespace ? candidates(this.pps.get(`${namespace}\0${obj.apiVersion}\0${obj.kind}`), obj, namespace) : [];
    const cpp = candidates(this.cpps.get(`${obj.apiVersion}\0${obj.kind}`), obj, namespace);
    const lines: string[] = [];
    const describe = (c: Candidate): string => `${policyRef(c.policy)} (${c.policy.src.pos.file}:${c.policy.src.pos.line}) matches by ${describePriority(c.implicit)} with explicit priority ${c.explicit}`;
    const pool = pp.length > 0 ? pp : cpp;
    const winner = pool[0];
    if (!winner) {
      lines.push(`No ${namespace ? 'PropagationPolicy in namespace ' + namespace + ' or ' : ''}ClusterPropagationPolicy selects this template.`);
      return { lines };
    }
    lines.push(`${describe(winner)}: it wins.`);
    for (const c of pool.slice(1)) lines.push(`${describe(c)}, but loses: ${whyLost(c, winner)}.`);
    if (pp.length > 0) {
      for (const c of cpp) lines.push(`${describe(c)}, but loses: a matching PropagationPolicy in the template's namespace always beats ClusterPropagationPolicies, whatever their priority.`);
    }
    return { winner, lines };
  }
}

function candidates(list: readonly PropagationPolicy[] | undefined, obj: KubeObject, namespace: string): Candidate[] {
  const out: Candidate[] = [];
  for (const policy of list ?? []) {
    const implicit = selectorsPriority(obj, namespace, policy.spec.resourceSelectors);
    if (implicit > ImplicitPriority.Mismatch) out.push({ policy, implicit, explicit: policy.spec.priority ?? 0 });
  }
  return out.sort(compareCandidates);
}
