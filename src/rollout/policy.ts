/**
 * @module policy
 * The `rollout:` section of gitfed.yaml: ordered waves of clusters, canary first, each with its
 * own gate. Pure (no fs, no git, no client): src/render/config.ts calls it while reading
 * gitfed.yaml, and the daemon and the observe-and-promote mode plan with what it returns.
 *
 *   rollout:
 *     failurePolicy: halt             # halt (default) | rollback: the failed wave back to the last good revision
 *     waves:
 *     - name: canary
 *       clusters: [eu-1]              # by name, or
 *       clusterSelector: {matchLabels: {tier: canary}}   # by labels (not both)
 *       maxConcurrent: 1              # members updated at once in this wave (default: all)
 *       soak: 10m                     # held Ready this long before the next wave (default 0s)
 *       timeout: 10m                  # a member not Ready this long after its update fails the wave (default 10m)
 *       manualGate: true              # wait for `gitfed rollout promote` after the soak (default false)
 *
 * Clusters no wave names go in a last wave of their own. No section means no rollout: every
 * member gets a new revision at once, as before.
 */
import { RenderError } from '../errors.js';
import { lazyLineResolver } from '../yaml/documents.js';
import { matchesSelector, SelectorError } from '../render/selector.js';
import type { LabelSelector } from '../render/types.js';

export type FailurePolicy = 'halt' | 'rollback';

export interface WaveSpec {
  readonly name: string;
  readonly clusters?: readonly string[];
  readonly clusterSelector?: LabelSelector;
  /** Members of this wave updated at once; undefined is all of them. */
  readonly maxConcurrent?: number;
  readonly soakMs: number;
  readonly timeoutMs: number;
  readonly manualGate: boolean;
}

export interface RolloutPolicy {
  readonly failurePolicy: FailurePolicy;
  readonly waves: readonly WaveSpec[];
}

/** A wave with its members, in the order they are updated. */
export interface ResolvedWave extends WaveSpec {
  readonly members: readonly string[];
}

/** The name of the wave that holds the clusters no wave names. */
export const REST_WAVE = 'rest';
export const DEFAULT_TIMEOUT_MS = 10 * 60_000;

const WAVE_FIELDS = new Set(['name', 'clusters', 'clusterSelector', 'maxConcurrent', 'soak', 'timeout', 'manualGate']);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "90s", "10m", "1h30m", "0s" as Go's time.ParseDuration reads them (whole units only); undefined when not one. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0));
}

/** Reads `rollout:` (already loaded by js-yaml); `text` is gitfed.yaml's text, for lines. */
export function parseRolloutPolicy(raw: unknown, text: string, file: string): RolloutPolicy | undefined {
  if (raw === undefined || raw === null) return undefined;
  const lineOf = lazyLineResolver({ text, firstLine: 1 });
  const fail = (path: (string | number)[], msg: string): never => {
    const field = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');
    throw new RenderError('ConfigInvalid', `field ${field}: ${msg}`, { file, line: lineOf(path) });
  };
  if (typeof raw !== 'object' || Array.isArray(raw)) return fail(['rollout'], 'must be a mapping');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== 'failurePolicy' && k !== 'waves') fail(['rollout', k], 'unknown field (known: failurePolicy, waves)');
  const failurePolicy = o.failurePolicy ?? 'halt';
  if (failurePolicy !== 'halt' && failurePolicy !== 'rollback') fail(['rollout', 'failurePolicy'], `must be "halt" or "rollback", not ${JSON.stringify(failurePolicy)}`);
  if (!Array.isArray(o.waves) || o.waves.length === 0) return fail(['rollout', 'waves'], 'must be a non-empty list of waves');

  const names = new Set<string>();
  const named = new Map<string, string>();
  const waves = (o.waves as unknown[]).map((w, i): WaveSpec => {
    const at = (key: string) => ['rollout', 'waves', i, key];
    if (typeof w !== 'object' || w === null || Array.isArray(w)) return fail(['rollout', 'waves', i], 'must be a mapping');
    const s = w as Record<string, unknown>;
    for (const k of Object.keys(s)) if (!WAVE_FIELDS.has(k)) fail(at(k), `unknown field (known: ${[...WAVE_FIELDS].join(', ')})`);
    const name = s.name;
    if (typeof name !== 'string' || !DNS_LABEL.test(name)) fail(at('name'), `must be a DNS label (lower-case letters, digits, '-'), not ${JSON.stringify(name)}`);
    if (name === REST_WAVE) fail(at('name'), `"${REST_WAVE}" is the wave of the clusters no wave names`);
    if (names.has(name as string)) fail(at('name'), `wave ${JSON.stringify(name)} is named twice`);
    names.add(name as string);

    if ((s.clusters === undefined) === (s.clusterSelector === undefined)) fail(at('name'), 'give either clusters (names) or clusterSelector (labels)');
    if (s.clusters !== undefined) {
      if (!Array.isArray(s.clusters) || s.clusters.length === 0 || s.clusters.some((c) => typeof c !== 'string')) fail(at('clusters'), 'must be a non-empty list of cluster names');
      for (const c of s.clusters as string[]) {
        const other = named.get(c);
        if (other !== undefined) fail(at('clusters'), `cluster ${c} is already in wave ${other}`);
        named.set(c, name as string);
      }
    }
    if (s.clusterSelector !== undefined) {
      if (typeof s.clusterSelector !== 'object' || s.clusterSelector === null || Array.isArray(s.clusterSelector)) fail(at('clusterSelector'), 'must be a label selector (matchLabels, matchExpressions)');
      try {
        matchesSelector(s.clusterSelector as LabelSelector, {});
      } catch (err) {
        if (err instanceof SelectorError) fail(at('clusterSelector'), err.message);
        throw err;
      }
    }
    const max = s.maxConcurrent;
    if (max !== undefined && !(Number.isInteger(max) && (max as number) > 0)) fail(at('maxConcurrent'), `must be a positive integer, not ${JSON.stringify(max)}`);
    const duration = (key: string, dflt: number): number => {
      const v = s[key];
      if (v === undefined) return dflt;
      const ms = typeof v === 'string' ? parseDuration(v) : undefined;
      return ms ?? fail(at(key), `must be a duration such as "30s", "10m" or "1h", not ${JSON.stringify(v)}`);
    };
    const manualGate = s.manualGate ?? false;
    if (typeof manualGate !== 'boolean') fail(at('manualGate'), `must be true or false, not ${JSON.stringify(manualGate)}`);
    return {
      name: name as string,
      ...(s.clusters !== undefined ? { clusters: s.clusters as string[] } : {}),
      ...(s.clusterSelector !== undefined ? { clusterSelector: s.clusterSelector as LabelSelector } : {}),
      ...(max !== undefined ? { maxConcurrent: max as number } : {}),
      soakMs: duration('soak', 0),
      timeoutMs: duration('timeout', DEFAULT_TIMEOUT_MS),
      manualGate: manualGate as boolean,
    };
  });
  return { failurePolicy: failurePolicy as FailurePolicy, waves };
}

/**
 * The waves with their members. A cluster goes to the first wave that names it or whose
 * selector matches; a named cluster that does not exist is left out (a fleet loses members);
 * clusters no wave takes go in a last wave, `rest`, with no gate of its own.
 */
export function resolveWaves(policy: RolloutPolicy, clusters: readonly { name: string; labels?: Readonly<Record<string, string>> }[]): ResolvedWave[] {
  const taken = new Set<string>();
  const waves: ResolvedWave[] = policy.waves.map((w) => {
    const members = clusters
      .filter((c) => !taken.has(c.name) && (w.clusters ? w.clusters.includes(c.name) : matchesSelector(w.clusterSelector, c.labels ?? {})))
      .map((c) => c.name);
    members.forEach((m) => taken.add(m));
    return { ...w, members };
  });
  const rest = clusters.filter((c) => !taken.has(c.name)).map((c) => c.name);
  if (rest.length) waves.push({ name: REST_WAVE, members: rest, soakMs: 0, timeoutMs: DEFAULT_TIMEOUT_MS, manualGate: false });
  return waves;
}
