/**
 * @module karmada/materialise
 * Turns a plan into the objects each cluster gets, in upstream's ensureWork order: a copy per
 * cluster, the cluster's replica share written, a divided Job's completions split, the override
 * policies, then Karmada's field pruning (prune.ts). An override that fails drops the template on
 * that cluster only, as upstream, and is an error of the render.
 */
import type { CopyMemo } from '../copy-memo.js';
import { replicaCountProblems } from '../numbers.js';
import type { Cluster, Diagnostic, KubeObject, RenderedObject } from '../types.js';
import { policyRef, type Overriders } from './model.js';
import { applyOverriders } from './overrides/apply.js';
import { OverrideError, type Owned } from './overrides/json-patch.js';
import { rulesFor, type OverrideIndex, type RuleToApply } from './overrides/select.js';
import type { TemplateSchemas } from '../schema/templates.js';
import type { Plan } from './plan.js';
import { pruneForMember, type PruneProblem } from './prune.js';
import { reviseReplicas, splitJobCompletions } from './revise.js';
import { reviseHpa } from './hpa.js';
import { writtenPaths } from '../schema/validate.js';

export interface Materialised {
  readonly rendered: RenderedObject[];
  /**
   * Cluster -> one sentence per override applied, written when asked for (`gitfed explain`, an
   * error): a render of a fleet whose every copy is overridden kept tens of thousands of them
   * alive to the end for nobody, so they are found again by applying the rules once more.
   */
  readonly describeOverrides: () => Record<string, string[]>;
  readonly scheduling: string[];
}

export function materialise(plan: Plan, clustersByName: ReadonlyMap<string, Cluster>, overrideIndex: OverrideIndex, diagnostics: Diagnostic[], schemas?: TemplateSchemas, copies?: CopyMemo): Materialised {
  const { src, key, namespace } = plan.template;
  const rendered: RenderedObject[] = [];
  const scheduling: string[] = [];
  if (plan.targets.size === 0) return { rendered, describeOverrides: () => ({}), scheduling };

  const matched = plan.autoNamespace ? overrideIndex.matchingClusterPolicies(src.obj) : overrideIndex.matching(src.obj, namespace);
  const completions = plan.strategy && plan.strategy !== 'Duplicated' && plan.workload && plan.workload.replicas > 0 ? splitJobCompletions(src.obj, plan.targets) : undefined;
  const pruneProblems = new Map<string, PruneProblem & { clusters: string[] }>();
  if (completions) scheduling.push(`Job completions split by parallelism: ${[...completions].map(([c, n]) => `${c}=${n}`).join(', ')}.`);

  // A copy depends on the template, its namespace and kind's schema, how its replicas are
  // written, and per cluster on the replicas, the HPA's bounds, the Job's completions and the rules.
  const earlier = copies?.document<undefined>(src, { same: [schemas?.schemaIdentity(src.obj)], equal: [namespace, plan.workload] });
  const targets = [...plan.targets.keys()].sort();

  /** The cluster's copy as the binding controller writes it, before the rules. */
  const copyFor = (name: string): { obj: KubeObject; owned: Owned } => {
    // Only the spine is copied; the overriders copy what they write below it (json-patch.ts
    // Owned), and the rest is shared with the template (rendered objects are read-only).
    const obj = spineCopy(src.obj);
    // What the binding controller writes before the rules counts as written too.
    const owned: Owned = { nodes: new Set<object>([obj, obj.metadata]), written: ['/metadata/namespace', '/spec/replicas', '/spec/parallelism', '/spec/completions', '/spec/minReplicas', '/spec/maxReplicas'] };
    if (obj.spec !== src.obj.spec && obj.spec !== null && typeof obj.spec === 'object') owned.nodes.add(obj.spec);
    if (namespace) obj.metadata.namespace = namespace;
    else delete obj.metadata.namespace;
    reviseReplicas(obj, plan.workload, plan.targets.get(name));
    reviseHpa(obj, plan.hpa?.get(name));
    const c = completions?.get(name);
    if (c !== undefined) (obj.spec as Record<string, unknown>).completions = c;
    return { obj, owned };
  };

  /**
   * Applies the rules in order, each line it writes told to `line` with the rule; stops at the
   * first that fails (an OverrideError, or a replica count the member would refuse) and returns it.
   */
  const applyRules = (obj: KubeObject, owned: Owned, rules: readonly RuleToApply[], line?: (r: RuleToApply, text: string) => void): { rule: RuleToApply; err: OverrideError } | undefined => {
    for (const r of rules) {
      try {
        const lines = applyOverriders(obj, r.overriders, owned);
        if (line) for (const text of lines) line(r, text);
        // The template's counts were checked; one the rule writes would be refused by the member.
        const bad = replicaCountProblems(obj)[0];
        if (bad) throw new OverrideError(bad.message);
      } catch (err) {
        if (!(err instanceof OverrideError)) throw err;
        return { rule: r, err };
      }
    }
    return undefined;
  };

  const describeOverrides = (): Record<string, string[]> => {
    const out: Record<string, string[]> = {};
    for (const name of targets) {
      const rules = rulesFor(matched, clustersByName.get(name)!);
      if (rules.length === 0) continue;
      const { obj, owned } = copyFor(name);
      const applied: string[] = [];
      applyRules(obj, owned, rules, (r, text) => applied.push(`${ruleName(r)}: ${text}`));
      if (applied.length > 0) out[name] = applied;
    }
    return out;
  };

  for (const name of targets) {
    const cluster = clustersByName.get(name)!;
    const rules = rulesFor(matched, cluster);
    // A rule is its policy's document (which every render reads afresh) and its place there.
    const from = earlier && { same: rules.map((r) => r.policy.src), equal: [plan.targets.get(name), plan.hpa?.get(name), completions?.get(name), rules.map((r) => r.rule)] };
    const kept = from && earlier!.find(name, from);
    if (kept) {
      rendered.push({ cluster: name, obj: kept.obj, origin: key, pos: src.pos, engine: 'karmada', base: kept.base });
      continue;
    }
    const { obj, owned } = copyFor(name);
    const failed = applyRules(obj, owned, rules);
    if (failed) {
      const r = failed.rule;
      diagnostics.push({
        severity: 'error',
        code: 'OverrideFailed',
        message: `${key} on cluster ${name}: ${ruleName(r)}: ${failed.err.message}`,
        file: r.policy.src.pos.file,
        line: ruleLine(r),
        object: key,
        cluster: name,
      });
      continue;
    }
    // What the rules wrote meets the template's schema too, as the member's API server would check it.
    const wrong = rules.length > 0 && schemas ? schemas.checkOverridden(obj, src.obj, writtenPaths(owned.written)) : [];
    for (const w of wrong) {
      const r = ruleWriting(rules, w.path);
      diagnostics.push({ severity: 'error', code: w.code, message: `${key} on cluster ${name}: ${ruleName(r)}: ${w.message}`, file: r.policy.src.pos.file, line: ruleLine(r), object: key, cluster: name });
    }
    if (wrong.length > 0) continue;
    // After the overrides, as upstream: what an override adds there is stripped too.
    const unreadable = pruneForMember(obj);
    for (const p of unreadable) {
      const id = `${p.path.join('.')}\0${p.message}`;
      const seen = pruneProblems.get(id);
      if (seen) seen.clusters.push(name);
      else pruneProblems.set(id, { ...p, clusters: [name] });
    }
    if (unreadable.length > 0) continue;
    const changed = identityChange(src.obj, obj, namespace);
    if (changed) {
      // Upstream would create a second object; gitfed keys files and reports by identity, so it refuses.
      diagnostics.push({ severity: 'error', code: 'OverrideChangesIdentity', message: `${key} on cluster ${name}: the overrides change its ${changed}, which would make it another object`, file: src.pos.file, line: src.pos.line, object: key, cluster: name });
      continue;
    }
    if (from) earlier!.keep(name, from, { obj, base: src.obj, extra: undefined });
    rendered.push({ cluster: name, obj, origin: key, pos: src.pos, engine: 'karmada', base: src.obj });
  }
  // One error per field, not one per cluster, when the template itself holds it.
  for (const p of pruneProblems.values()) {
    const one = p.clusters.length === 1 ? p.clusters[0] : undefined;
    diagnostics.push({
      severity: 'error',
      code: 'Schema',
      message: one ? p.message : `on clusters ${p.clusters.join(', ')}: ${p.message}`,
      file: src.pos.file,
      line: src.lineOf(p.path),
      object: key,
      ...(one ? { cluster: one } : {}),
    });
  }
  return { rendered, describeOverrides, scheduling };
}

/** How a rule is named in messages: its policy and its place there. */
function ruleName(r: RuleToApply): string {
  return `${policyRef(r.policy)} rule ${r.rule}`;
}

/** The line of the rule in its policy (`spec.overriders` of a policy written without rules). */
function ruleLine(r: RuleToApply): number {
  const spec = r.policy.src.obj.spec as { overrideRules?: unknown } | undefined;
  return r.policy.src.lineOf(spec?.overrideRules ? ['spec', 'overrideRules', r.rule] : ['spec', 'overriders']);
}

/**
 * The rule that wrote `path`: the last whose overriders reach it. Image, command and args
 * overriders write inside the pod template, wherever the kind keeps it; the last rule when none does.
 */
function ruleWriting(rules: readonly RuleToApply[], path: readonly (string | number)[]): RuleToApply {
  const pointer = '/' + path.join('/');
  const near = (p: string) => pointer === p || pointer.startsWith(p + '/') || p.startsWith(pointer + '/');
  const reaches = (o: Overriders): boolean =>
    (o.plaintext ?? []).some((p) => near(p.path)) ||
    (o.fieldOverrider ?? []).some((f) => near(f.fieldPath)) ||
    (o.labelsOverrider?.length ? near('/metadata/labels') : false) ||
    (o.annotationsOverrider?.length ? near('/metadata/annotations') : false) ||
    ((o.imageOverrider?.length || o.commandOverrider?.length || o.argsOverrider?.length) ? pointer.startsWith('/spec/') : false);
  return rules.findLast((r) => reaches(r.overriders)) ?? rules[rules.length - 1]!;
}

function identityChange(before: KubeObject, after: KubeObject, namespace: string): string | undefined {
  if (after.apiVersion !== before.apiVersion) return 'apiVersion';
  if (after.kind !== before.kind) return 'kind';
  if (after.metadata?.name !== before.metadata.name) return 'name';
  if ((after.metadata?.namespace ?? '') !== namespace) return 'namespace';
  return undefined;
}

/** A copy of the object, its metadata and its spec; deeper values stay shared. */
function spineCopy(src: KubeObject): KubeObject {
  const obj: KubeObject = { ...src, metadata: { ...src.metadata } };
  if (src.spec !== null && typeof src.spec === 'object' && !Array.isArray(src.spec)) obj.spec = { ...(src.spec as object) };
  return obj;
}
