/**
 * KubeFed placement (`pkg/controller/util/placement.go`), with the reasons spelled out:
 * - a `clusters` list that is present, even empty, wins and the selector is ignored;
 * - otherwise `clusterSelector` decides: absent selects nothing, `{}` selects every cluster,
 *   anything else is matchLabels AND matchExpressions against the cluster's labels;
 * - no `spec.placement` (or one with neither field) selects nothing upstream; gitfed.yaml may ask
 *   for every cluster instead;
 * - names that are not in the inventory are dropped (upstream silently; here with a warning).
 */
import { matchesSelector, SelectorError } from '../selector.js';
import type { Cluster, LabelSelector, SourceObject } from '../types.js';
import type { Findings } from './findings.js';
import { isRecord } from './json.js';

export interface Placement {
  /** `spec.placement` is absent, null, or has neither clusters nor clusterSelector. */
  readonly missing: boolean;
  /** null: the list is absent (nil upstream), so the selector decides. */
  readonly clusters: readonly string[] | null;
  /** null: absent, which selects nothing. */
  readonly selector: LabelSelector | null;
}

export interface PlacementResult {
  readonly selected: ReadonlySet<string>;
  /** Plain sentences for `gitfed explain`. */
  readonly reasons: readonly string[];
  /** Names in the clusters list that the inventory does not have. */
  readonly unknown: readonly string[];
  /** The selector could not be evaluated (bad operator or values). */
  readonly error?: string;
}

export interface PlacementOptions {
  /** Evaluate only the selector, as RSP's intersectWithClusterSelector does upstream. */
  readonly selectorOnly?: boolean;
  /** gitfed.yaml's choice for a missing spec.placement. */
  readonly missing: 'none' | 'all';
}

/** Read `spec.placement`; schema problems are findings and make the result undefined. */
export function parsePlacement(src: SourceObject, spec: Record<string, unknown>, findings: Findings): Placement | undefined {
  const raw = spec.placement;
  if (raw === undefined || raw === null) return { missing: true, clusters: null, selector: null };
  if (!isRecord(raw)) {
    findings.error('Schema', 'field spec.placement: must be a mapping', { src, field: ['spec', 'placement'] });
    return undefined;
  }
  let clusters: string[] | null = null;
  if (raw.clusters !== undefined && raw.clusters !== null) {
    if (!Array.isArray(raw.clusters)) {
      findings.error('Schema', 'field spec.placement.clusters: must be a list of {name: <cluster>}', { src, field: ['spec', 'placement', 'clusters'] });
      return undefined;
    }
    clusters = [];
    for (const [i, entry] of raw.clusters.entries()) {
      const name = isRecord(entry) ? entry.name : undefined;
      if (typeof name !== 'string' || name === '') {
        findings.error('Schema', `field spec.placement.clusters[${i}].name: required string is missing`, { src, field: ['spec', 'placement', 'clusters', i] });
        return undefined;
      }
      clusters.push(name);
    }
  }
  let selector: LabelSelector | null = null;
  if (raw.clusterSelector !== undefined && raw.clusterSelector !== null) {
    const sel = raw.clusterSelector;
    const field = ['spec', 'placement', 'clusterSelector'];
    if (!isRecord(sel) || (sel.matchLabels != null && !isRecord(sel.matchLabels)) || (sel.matchExpressions != null && !Array.isArray(sel.matchExpressions))) {
      findings.error('Schema', 'field spec.placement.clusterSelector: must be a label selector {matchLabels: {...}, matchExpressions: [...]}', { src, field });
      return undefined;
    }
    selector = sel as LabelSelector;
  }
  // Upstream's user guide treats "neither clusters nor clusterSelector" like no placement at all.
  return { missing: clusters === null && selector === null, clusters, selector };
}

export function describeSelector(sel: LabelSelector): string {
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const values = (e.values ?? []).join(', ');
    parts.push(e.operator === 'Exists' ? `${e.key} exists` : e.operator === 'DoesNotExist' ? `no ${e.key}` : `${e.key} ${e.operator} (${values})`);
  }
  return parts.join(', ');
}

/** The first requirement a label set fails, in words. Only called for clusters that did not match. */
function whyNot(sel: LabelSelector, labels: Readonly<Record<string, string>>): string {
  const has = (k: string) => Object.prototype.hasOwnProperty.call(labels, k);
  const show = (k: string) => (has(k) ? `${k}=${labels[k]}` : `no label ${k}`);
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    if (labels[k] !== String(v)) return `${show(k)}, not ${k}=${v}`;
  }
  for (const e of sel.matchExpressions ?? []) {
    const values = (e.values ?? []).map(String);
    const v = labels[e.key];
    switch (e.operator) {
      case 'In':
        if (v === undefined || !values.includes(v)) return `${show(e.key)}, not in (${values.join(', ')})`;
        break;
      case 'NotIn':
        if (v !== undefined && values.includes(v)) return `${show(e.key)}, which NotIn excludes`;
        break;
      case 'Exists':
        if (!has(e.key)) return `no label ${e.key}`;
        break;
      case 'DoesNotExist':
        if (has(e.key)) return `${show(e.key)}, which DoesNotExist excludes`;
        break;
    }
  }
  return 'does not match';
}

function list(names: Iterable<string>): string {
  const all = [...names];
  return all.length === 0 ? 'none' : all.join(', ');
}

// A fleet's federated objects share a handful of selectors (`{}`, a tier, a region), and each
// was matched against every cluster and explained anew: per object x cluster, a good part of
// placing a large fleet. Results are kept per inventory, read-only.
const bySelectorMemo = new WeakMap<readonly Cluster[], Map<string, PlacementResult>>();

function bySelector(sel: LabelSelector, clusters: readonly Cluster[], what: string): PlacementResult {
  let memo = bySelectorMemo.get(clusters);
  if (!memo) bySelectorMemo.set(clusters, (memo = new Map()));
  const key = `${what}\0${JSON.stringify(sel)}`;
  let result = memo.get(key);
  if (!result) memo.set(key, (result = matchSelector(sel, clusters, what)));
  return result;
}

function matchSelector(sel: LabelSelector, clusters: readonly Cluster[], what: string): PlacementResult {
  const selected = new Set<string>();
  const misses = new Map<string, string[]>();
  try {
    for (const c of clusters) {
      if (matchesSelector(sel, c.labels)) selected.add(c.name);
      else {
        const why = whyNot(sel, c.labels);
        const names = misses.get(why);
        if (names) names.push(c.name);
        else misses.set(why, [c.name]);
      }
    }
  } catch (err) {
    if (err instanceof SelectorError) return { selected: new Set(), reasons: [], unknown: [], error: `${what}: ${err.message}` };
    throw err;
  }
  const desc = describeSelector(sel);
  if (desc === '') return { selected, reasons: [`${what} is empty, which selects every cluster: ${list(selected)}.`], unknown: [] };
  const reasons = [`${what} {${desc}} selects ${list(selected)}.`];
  for (const [why, names] of misses) reasons.push(`Not selected: ${names.join(', ')} (${why}).`);
  return { selected, reasons, unknown: [] };
}

/** Which clusters a federated object's placement selects, and why. */
export function selectClusters(p: Placement, clusters: readonly Cluster[], opts: PlacementOptions): PlacementResult {
  if (p.missing) {
    if (opts.missing === 'all') {
      return { selected: new Set(clusters.map((c) => c.name)), reasons: [`spec.placement is missing; gitfed.yaml placement.whenMissing: all places it on every cluster: ${list(clusters.map((c) => c.name))}.`], unknown: [] };
    }
    return { selected: new Set(), reasons: ['spec.placement is missing, so no cluster is selected (upstream KubeFed behaviour; gitfed.yaml placement.whenMissing: all selects every cluster instead).'], unknown: [] };
  }
  if (p.clusters !== null && !opts.selectorOnly) {
    const known = new Set(clusters.map((c) => c.name));
    const selected = new Set(p.clusters.filter((n) => known.has(n)));
    const unknown = p.clusters.filter((n) => !known.has(n));
    const reasons = [
      p.clusters.length === 0
        ? 'spec.placement.clusters is an empty list, which selects no cluster.'
        : `spec.placement.clusters lists ${p.clusters.join(', ')}.`,
    ];
    if (p.selector !== null) reasons.push('spec.placement.clusterSelector is ignored: a clusters list, even an empty one, wins over the selector.');
    if (unknown.length > 0) reasons.push(`Dropped, not in the inventory: ${unknown.join(', ')}.`);
    return { selected, reasons, unknown };
  }
  const what = opts.selectorOnly ? 'spec.placement.clusterSelector (read alone, for intersectWithClusterSelector)' : 'spec.placement.clusterSelector';
  if (p.selector === null) {
    const why = opts.selectorOnly ? `${what} is absent, so no cluster is selected.` : `${what} is absent and there is no clusters list, so no cluster is selected.`;
    return { selected: new Set(), reasons: [why], unknown: [] };
  }
  return bySelector(p.selector, clusters, what);
}
