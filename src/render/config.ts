/**
 * gitfed.yaml: the fleet repo's own settings. Optional; every field has a default.
 *
 *   apiVersion: gitfed.io/v1alpha1
 *   kind: FleetConfig
 *   fleet: shop-prod                  # the fleet's name on its members (default: from the repo URL, else its first commit)
 *   exclude: ["docs/**"]              # minimatch globs of paths not read, besides the defaults
 *   placement:
 *     whenMissing: none               # KubeFed object without spec.placement: none (upstream) | all (the book)
 *   karmada:
 *     reservedNamespaces: [...]       # never propagated as Karmada-style namespaces
 *   secrets:
 *     allowPlaintext:                 # Secrets whose values may stay readable (test fleets); every render warns
 *     - namespace: e2e                # a namespace, a name, or both
 *       name: fixture
 *   stateChanges:                     # renders caused by a state change alone (same source, new state)
 *     review: true                    # go to a review branch instead of the output branch (default false)
 *     prefix: state-review/           # the review branch of output `rendered` is `state-review/rendered`
 *   outputs:                          # default: one branch `rendered`, dir `clusters/{cluster}`
 *   - branch: rendered                # may contain {cluster}: one branch per cluster
 *     dir: clusters/{cluster}
 *     clusterSelector: {matchLabels: {...}}   # which clusters this output holds (default: all)
 */
import jsyaml from 'js-yaml';
import { RenderError } from '../errors.js';
import { fleetNameProblem } from '../fleet-name.js';
import { DEFAULT_BRANCH, DEFAULT_CLUSTER_DIR } from '../git/layout.js';
import { branchConflict, branchNameProblem } from '../git/ref-names.js';
import { lazyLineResolver } from '../yaml/documents.js';
import { parseRolloutPolicy, type RolloutPolicy } from '../rollout/policy.js';
import { unknownFieldMessage } from './schema/fields.js';
import type { Schema } from './schema/types.js';
import { unknownFields } from './schema/unknown-fields.js';
import { CLUSTER_PLACEHOLDER, dirTemplateProblem, expandTemplate, hasOtherPlaceholder, normalizeDir } from './paths.js';
import type { FleetConfig, LabelSelector, OutputSpec, PlaintextSecretRule } from './types.js';

export const CONFIG_FILE = 'gitfed.yaml';

/** Paths never read as fleet content; `.sops.yaml` is SOPS's own configuration (creation rules), not an object. */
export const DEFAULT_EXCLUDES: readonly string[] = ['.git/**', '**/node_modules/**', '.gitfed-preview/**', '.github/**', '**/.sops.yaml'];

/** Karmada never propagates these namespaces automatically (karmada.md: its own and every kube-* namespace); globs. */
export const DEFAULT_RESERVED_NAMESPACES: readonly string[] = ['karmada-system', 'karmada-cluster', 'karmada-es-*', 'kube-*', 'default'];

export const DEFAULT_CONFIG: FleetConfig = {
  exclude: [],
  missingPlacement: 'none',
  outputs: [{ branch: DEFAULT_BRANCH, dir: DEFAULT_CLUSTER_DIR }],
  reservedNamespaces: DEFAULT_RESERVED_NAMESPACES,
};

const str: Schema = { type: 'string' };
const strings: Schema = { type: 'array', items: str };
const selector: Schema = {
  type: 'object',
  properties: {
    matchLabels: { type: 'object', additionalProperties: str },
    matchExpressions: { type: 'array', items: { type: 'object', properties: { key: str, operator: str, values: strings } } },
  },
};
/** Every field gitfed.yaml may hold; `apply` is the apply side's section, not looked into here. */
const CONFIG_SCHEMA: Schema = {
  type: 'object',
  properties: {
    apiVersion: str,
    kind: str,
    metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    fleet: str,
    exclude: strings,
    placement: { type: 'object', properties: { whenMissing: str } },
    karmada: { type: 'object', properties: { reservedNamespaces: strings } },
    outputs: { type: 'array', items: { type: 'object', properties: { branch: str, dir: str, clusterSelector: selector } } },
    apply: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    // Read and checked field by field by src/rollout/policy.ts, with its own lines.
    rollout: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    stateChanges: { type: 'object', properties: { review: { type: 'boolean' }, prefix: str } },
    secrets: { type: 'object', properties: { allowPlaintext: { type: 'array', items: { type: 'object', properties: { namespace: str, name: str } } } } },
  },
};

/** gitfed.yaml after defaults, with the fleet's name when the file gives one (render itself never reads it). */
export interface FleetSettings extends FleetConfig {
  readonly fleet?: string;
  /** Waves and gates (src/rollout/policy.ts); absent: every member gets a new revision at once. */
  readonly rollout?: RolloutPolicy;
  /** Where a render caused by a state change alone goes; absent: straight to the output branches. */
  readonly stateChanges?: StateChangeSettings;
}

export interface StateChangeSettings {
  /** Commit such a render to a review branch instead. */
  readonly review: boolean;
  /** The review branch is this prefix and the output branch's name. */
  readonly prefix: string;
}

export const DEFAULT_REVIEW_PREFIX = 'state-review/';

/** Parse gitfed.yaml. `apply` is the apply side's section and is left to it. */
export function parseConfig(text: string | undefined, file = CONFIG_FILE): FleetSettings {
  if (text === undefined) return DEFAULT_CONFIG;
  let raw: unknown;
  try {
    raw = jsyaml.load(text);
  } catch (err) {
    const e = err as jsyaml.YAMLException;
    throw new RenderError('YAMLSyntax', `YAML syntax error: ${e.reason ?? e.message}`, { file, line: (e.mark?.line ?? 0) + 1 });
  }
  if (raw === null || raw === undefined) return DEFAULT_CONFIG;
  const fail = (field: string, msg: string): never => {
    throw new RenderError('ConfigInvalid', `field ${field}: ${msg}`, { file, line: lineOfKey(text, field.split('.').pop()!.replace(/\[\d+\]$/, '')) });
  };
  if (typeof raw !== 'object' || Array.isArray(raw)) fail('(root)', 'must be a mapping');
  const o = raw as Record<string, unknown>;
  // A misspelt setting would silently keep its default (say, every output in one branch).
  const unknown = unknownFields(o, CONFIG_SCHEMA)[0];
  if (unknown) throw new RenderError('UnknownField', unknownFieldMessage(unknown.path, unknown.known), { file, line: lazyLineResolver({ text, firstLine: 1 })(unknown.path) });

  const fleetProblem = o.fleet === undefined ? undefined : fleetNameProblem(o.fleet);
  if (fleetProblem) fail('fleet', fleetProblem);

  const exclude = o.exclude ?? [];
  if (!Array.isArray(exclude) || exclude.some((g) => typeof g !== 'string')) fail('exclude', 'must be a list of glob strings');

  const placement = (o.placement ?? {}) as Record<string, unknown>;
  const whenMissing = placement.whenMissing ?? 'none';
  if (whenMissing !== 'none' && whenMissing !== 'all') fail('placement.whenMissing', `must be "none" or "all", not ${JSON.stringify(whenMissing)}`);

  const karmada = (o.karmada ?? {}) as Record<string, unknown>;
  const reserved = karmada.reservedNamespaces ?? DEFAULT_RESERVED_NAMESPACES;
  if (!Array.isArray(reserved) || reserved.some((g) => typeof g !== 'string')) fail('karmada.reservedNamespaces', 'must be a list of strings');

  const outputs = o.outputs === undefined ? [...DEFAULT_CONFIG.outputs] : parseOutputs(o.outputs, text, file, fail);
  const rollout = parseRolloutPolicy(o.rollout, text, file);
  const allowPlaintext = parsePlaintextRules(o.secrets, fail);
  const stateChanges = parseStateChanges(o.stateChanges, outputs, fail);
  return {
    exclude: exclude as string[],
    missingPlacement: whenMissing as 'none' | 'all',
    outputs,
    reservedNamespaces: reserved as string[],
    ...(allowPlaintext.length > 0 ? { allowPlaintextSecrets: allowPlaintext } : {}),
    ...(o.fleet !== undefined ? { fleet: o.fleet as string } : {}),
    ...(rollout ? { rollout } : {}),
    ...(stateChanges ? { stateChanges } : {}),
  };
}

/** `stateChanges: {review, prefix}`: the review branches must be valid and clash with no output branch. */
function parseStateChanges(raw: unknown, outputs: readonly OutputSpec[], fail: (field: string, msg: string) => never): StateChangeSettings | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) fail('stateChanges', 'must be a mapping (known: review, prefix)');
  const o = raw as Record<string, unknown>;
  const review = o.review ?? false;
  if (typeof review !== 'boolean') fail('stateChanges.review', `must be true or false, not ${JSON.stringify(review)}`);
  const prefix = o.prefix ?? DEFAULT_REVIEW_PREFIX;
  if (typeof prefix !== 'string' || prefix === '') fail('stateChanges.prefix', `must be a non-empty string, not ${JSON.stringify(prefix)}`);
  for (const out of outputs) {
    const branch = `${prefix as string}${out.branch}`;
    const problem = branchTemplateProblem(branch);
    if (problem) fail('stateChanges.prefix', `makes ${JSON.stringify(branch)}, which is not a valid branch name: it ${problem}`);
    for (const other of outputs) {
      const conflict = other.branch.includes(CLUSTER_PLACEHOLDER) || branch.includes(CLUSTER_PLACEHOLDER) ? undefined : (other.branch === branch ? `the review branch ${branch} is also an output branch` : branchConflict(other.branch, branch));
      if (conflict) fail('stateChanges.prefix', conflict);
    }
  }
  return { review: review as boolean, prefix: prefix as string };
}

/** `secrets: {allowPlaintext: [{namespace, name}]}`: each rule names a namespace, a name, or both. */
function parsePlaintextRules(raw: unknown, fail: (field: string, msg: string) => never): PlaintextSecretRule[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw !== 'object' || Array.isArray(raw)) fail('secrets', 'must be a mapping (known: allowPlaintext)');
  const secrets = raw as Record<string, unknown>;
  for (const k of Object.keys(secrets)) if (k !== 'allowPlaintext') fail(`secrets.${k}`, 'unknown field (known: allowPlaintext)');
  const list = secrets.allowPlaintext ?? [];
  if (!Array.isArray(list)) fail('secrets.allowPlaintext', 'must be a list of {namespace, name} rules');
  return (list as unknown[]).map((r, i) => {
    const field = `secrets.allowPlaintext[${i}]`;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return fail(field, 'must be a mapping with namespace and/or name');
    const rule = r as Record<string, unknown>;
    for (const k of Object.keys(rule)) if (k !== 'namespace' && k !== 'name') fail(field, `unknown field ${k} (known: namespace, name)`);
    for (const k of ['namespace', 'name']) if (rule[k] !== undefined && (typeof rule[k] !== 'string' || rule[k] === '')) fail(field, `${k} must be a non-empty string`);
    if (rule.namespace === undefined && rule.name === undefined) fail(field, 'names neither a namespace nor a name; it would allow every Secret');
    return { ...(rule.namespace !== undefined ? { namespace: rule.namespace as string } : {}), ...(rule.name !== undefined ? { name: rule.name as string } : {}) };
  });
}

/**
 * The outputs, checked before anything is written: branch names by git's rules (after the
 * `{cluster}` placeholder), directory templates inside the branch, and no two branches that one
 * repository cannot hold together. Expansions that depend on the clusters are checked by layout.ts.
 */
function parseOutputs(raw: unknown, text: string, file: string, fail: (field: string, msg: string) => never): OutputSpec[] {
  if (!Array.isArray(raw) || raw.length === 0) fail('outputs', 'must be a non-empty list');
  const lineOf = lazyLineResolver({ text, firstLine: 1 });
  const failAt = (i: number, key: string, msg: string): never => {
    throw new RenderError('ConfigInvalid', `field outputs[${i}].${key}: ${msg}`, { file, line: lineOf(['outputs', i, key]) });
  };
  const outputs = (raw as unknown[]).map((x, i) => {
    const spec = (x ?? {}) as Record<string, unknown>;
    const branch = spec.branch ?? DEFAULT_BRANCH;
    const dir = spec.dir ?? DEFAULT_CLUSTER_DIR;
    if (typeof branch !== 'string') return failAt(i, 'branch', `must be a string, not ${JSON.stringify(branch)}`);
    const branchProblem = branchTemplateProblem(branch);
    if (branchProblem) failAt(i, 'branch', `${JSON.stringify(branch)} is not a valid branch name: it ${branchProblem}`);
    if (typeof dir !== 'string') return failAt(i, 'dir', `must be a string, not ${JSON.stringify(dir)}`);
    const dirProblem = dirTemplateProblem(dir);
    if (dirProblem) failAt(i, 'dir', `${JSON.stringify(dir)}: the directory template ${dirProblem}`);
    const out: { branch: string; dir: string; clusterSelector?: LabelSelector } = { branch, dir: normalizeDir(dir) };
    if (spec.clusterSelector !== undefined) out.clusterSelector = spec.clusterSelector as LabelSelector;
    return out;
  });
  // Branches without a placeholder are known now; the others once the clusters are (layout.ts).
  outputs.forEach((a, i) => outputs.slice(0, i).forEach((b) => {
    if (a.branch.includes(CLUSTER_PLACEHOLDER) || b.branch.includes(CLUSTER_PLACEHOLDER)) return;
    const conflict = branchConflict(b.branch, a.branch);
    if (conflict) failAt(i, 'branch', conflict);
  }));
  return outputs;
}

/** A branch template's problem, judged on a sample expansion: cluster names (DNS labels) add none of their own. */
export function branchTemplateProblem(branch: string): string | undefined {
  return branchNameProblem(expandTemplate(branch, 'x')) ?? (hasOtherPlaceholder(branch) ? `holds a placeholder other than ${CLUSTER_PLACEHOLDER}` : undefined);
}

function lineOfKey(text: string, key: string): number {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => new RegExp(`^\\s*-?\\s*${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`).test(l));
  return i >= 0 ? i + 1 : 1;
}
