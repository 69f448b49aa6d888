/**
 * Identities checked the way the API server checks them, before anything is written: an object
 * whose kind, apiVersion, name or namespace a member would refuse is an error naming its file and
 * line, never a file somewhere unexpected. Name rules follow each kind's validation in
 * kubernetes/pkg/apis/<group>/validation; a kind gitfed does not know (a custom resource) gets the
 * rule apiextensions gives every custom resource, a DNS-1123 subdomain.
 */
import { RenderError } from '../errors.js';
import { displayName, groupOf } from '../object.js';
import { identityKey } from './keys.js';
import { apiVersionProblems, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isKind, isLabelValue, isPathSegmentName, isQualifiedName } from './names.js';
import type { KubeObject, RenderedObject, SourceObject } from './types.js';

export interface NameRule {
  /** How messages name the rule. */
  readonly title: string;
  readonly check: (name: string) => string[];
}

const SUBDOMAIN: NameRule = { title: 'DNS-1123 subdomain', check: isDNS1123Subdomain };
const LABEL: NameRule = { title: 'DNS-1123 label', check: isDNS1123Label };
const DNS1035: NameRule = { title: 'DNS-1035 label', check: isDNS1035Label };
const PATH_SEGMENT: NameRule = { title: 'path segment name', check: isPathSegmentName };
// The CronJob controller names each Job `<cronjob>-<11 characters>`, and a Job's name must fit a label.
const CRONJOB: NameRule = {
  title: 'DNS-1123 subdomain of at most 52 characters',
  check: (n) => [...isDNS1123Subdomain(n), ...(n.length > 52 ? [`must be no more than 52 characters (it has ${n.length})`] : [])],
};

const RBAC = 'rbac.authorization.k8s.io';

/** `<group>/<Kind>` -> rule, for the kinds whose rule is not a DNS-1123 subdomain. */
const RULES = new Map<string, NameRule>([
  ['/Namespace', LABEL],
  ['/Service', DNS1035],
  ['apps/StatefulSet', LABEL],
  ['batch/CronJob', CRONJOB],
  [`${RBAC}/Role`, PATH_SEGMENT],
  [`${RBAC}/ClusterRole`, PATH_SEGMENT],
  [`${RBAC}/RoleBinding`, PATH_SEGMENT],
  [`${RBAC}/ClusterRoleBinding`, PATH_SEGMENT],
  // The API server puts no rule on these names at all; a path segment is the least that is safe.
  ['certificates.k8s.io/CertificateSigningRequest', PATH_SEGMENT],
]);

export function nameRuleOf(group: string, kind: string): NameRule {
  return RULES.get(`${group}/${kind}`) ?? SUBDOMAIN;
}

export interface IdentityProblem {
  readonly code: 'InvalidAPIVersion' | 'InvalidKind' | 'InvalidName' | 'InvalidLabel';
  /** The field to blame, for the line. */
  readonly field: readonly string[];
  readonly message: string;
}

/** Everything wrong with an object's apiVersion, kind, name and namespace. */
export function identityProblems(obj: KubeObject, opts: { skipName?: boolean } = {}): IdentityProblem[] {
  const problems: IdentityProblem[] = [];
  const { apiVersion, kind, metadata } = obj;
  for (const m of apiVersionProblems(apiVersion)) problems.push({ code: 'InvalidAPIVersion', field: ['apiVersion'], message: `apiVersion ${JSON.stringify(apiVersion)}: ${m}` });
  for (const m of isKind(kind)) problems.push({ code: 'InvalidKind', field: ['kind'], message: `kind ${JSON.stringify(kind)}: ${m}` });
  if (!opts.skipName) {
    const rule = nameRuleOf(groupOf(apiVersion), kind);
    const found = rule.check(metadata.name);
    if (found.length > 0) problems.push({ code: 'InvalidName', field: ['metadata', 'name'], message: `name ${JSON.stringify(metadata.name)}: a ${kind} name ${found.join('; ')}` });
  }
  const ns = metadata.namespace;
  if (ns !== undefined && ns !== '') {
    const found = isDNS1123Label(ns);
    if (found.length > 0) problems.push({ code: 'InvalidName', field: ['metadata', 'namespace'], message: `namespace ${JSON.stringify(ns)}: a namespace ${found.join('; ')}` });
  }
  return problems;
}

/** A label's key and value as the API server validates them. */
export function labelProblems(key: string, value: string): IdentityProblem[] {
  const field = ['metadata', 'labels', key];
  return [
    ...isQualifiedName(key).map((m) => ({ code: 'InvalidLabel' as const, field, message: `label key ${JSON.stringify(key)}: ${m}` })),
    ...isLabelValue(String(value)).map((m) => ({ code: 'InvalidLabel' as const, field, message: `label ${key} value ${JSON.stringify(value)}: ${m}` })),
  ];
}

/** An invalid name may hold control characters; a message shows them escaped, never raw on a terminal. */
function printable(s: string): string {
  return s.replace(/[\x00-\x1f\x7f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/**
 * The source documents whose identity a member would accept, and an error for each of the others.
 * Labels are checked too (the API server refuses a bad one as surely as a bad name). Invalid
 * documents go no further, so one bad name is one error and not a cascade. The names of
 * inventory documents are cluster names, which readInventory checks by their own rule.
 */
export function validateSources(objects: readonly SourceObject[], isCluster: (o: SourceObject) => boolean): { valid: SourceObject[]; errors: RenderError[] } {
  const valid: SourceObject[] = [];
  const errors: RenderError[] = [];
  for (const o of objects) {
    const problems = identityProblems(o.obj, { skipName: isCluster(o) });
    for (const [k, v] of Object.entries(o.obj.metadata.labels ?? {})) problems.push(...labelProblems(k, v));
    if (problems.length === 0) {
      valid.push(o);
      continue;
    }
    for (const p of problems) errors.push(new RenderError(p.code, p.message, { file: o.pos.file, line: o.lineOf(p.field), object: printable(displayName(o.obj)) }));
  }
  return { valid, errors };
}

/**
 * The same checks on what the engines made: a rendered object's kind and name rule can differ
 * from its source's (a FederatedService named `1web` is a valid custom resource whose Service is
 * not), and overrides write labels. Reported once per source object and problem, at its first cluster.
 */
export function validateRendered(rendered: readonly RenderedObject[]): RenderError[] {
  const out: RenderError[] = [];
  const seen = new Set<string>();
  // One source gives the same identity on most clusters: each identity and label is judged once.
  const identities = new Map<string, IdentityProblem[]>();
  // Keys and values are judged apart (a key's rule does not depend on its value), so a fleet
  // that stamps each copy with its cluster adds a handful of values, not a pair per object.
  const goodKeys = new Set<string>();
  const goodValues = new Set<string>();
  for (const r of rendered) {
    const id = identityKey(r.obj);
    let problems = identities.get(id);
    if (problems === undefined) identities.set(id, (problems = identityProblems(r.obj)));
    const labels = r.obj.metadata.labels;
    if (labels) {
      for (const k in labels) {
        const v = labels[k]!;
        if (!goodKeys.has(k) && isQualifiedName(k).length === 0) goodKeys.add(k);
        if (!goodValues.has(v) && isLabelValue(String(v)).length === 0) goodValues.add(v);
        if (!goodKeys.has(k) || !goodValues.has(v)) problems = [...problems, ...labelProblems(k, v)];
      }
    }
    for (const p of problems) {
      const key = `${r.pos.file}\0${r.pos.line}\0${id}\0${p.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(new RenderError(p.code, p.message, { file: r.pos.file, line: r.pos.line, object: printable(displayName(r.obj)), cluster: r.cluster }));
    }
  }
  return out;
}
