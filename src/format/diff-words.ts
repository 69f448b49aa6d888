/** How the parts of a fleet diff read, in text and in markdown alike: counts, cluster lists, field changes. */
import type { DiffSummary, FieldGroup, ObjectReview } from '../render/diff-review.js';
import type { FieldChange } from '../render/field-diff.js';

/** `12,345`: toLocaleString's answer without its cost (it is called for every line of a large comment). */
export const count = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export const plural = (n: number, one: string, many = one + 's') => `${count(n)} ${n === 1 ? one : many}`;

/** `a, b, c and 44 more`. */
export function listOf(names: readonly string[], max: number): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** `on burst-1`, or `on 3 clusters: a, b, c`. */
export function onClusters(clusters: readonly string[], max: number, on = 'on'): string {
  return clusters.length === 1 ? `${on} ${clusters[0]}` : `${on} ${plural(clusters.length, 'cluster')}: ${listOf(clusters, max)}`;
}

/** A value as a reviewer reads it: a string as it is, anything else as JSON; long values lose their middle (an image keeps its tag). */
export function showValue(v: unknown, max = 80): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  const flat = s.replace(/\n/g, '\\n');
  if (flat.length <= max) return flat;
  const head = Math.ceil((max - 1) / 2);
  return `${flat.slice(0, head)}…${flat.slice(flat.length - (max - 1 - head))}`;
}

/** The path from its first list on (`containers[web].image`), the whole path where it has none. */
export function shortPath(path: string): string {
  const i = path.indexOf('[');
  if (i < 0) return path;
  const start = path.lastIndexOf('.', i);
  return start < 0 ? path : path.slice(start + 1);
}

/** One field change; `code` wraps a path or value (backticks in markdown, nothing in text). */
export function describeField(f: FieldChange, code: (s: string) => string): string {
  const path = code(shortPath(f.path));
  if (!('before' in f)) return `${path} added: ${code(showValue(f.after))}`;
  if (!('after' in f)) return `${path} removed (was ${code(showValue(f.before))})`;
  return `${path}: ${code(showValue(f.before))} → ${code(showValue(f.after))}`;
}

/** How many ways of one field are spelled out before the rest become a list of clusters. */
const MAX_VARIANTS = 3;

/**
 * An object's changes as lines a reviewer reads: a field changed the same way on many clusters is
 * one line with its clusters; a field changed a different way on each (replicas scheduled per
 * cluster) is one line listing cluster by cluster. `max` clusters are named per line.
 */
export function objectLines(o: ObjectReview, code: (s: string) => string, max: number): string[] {
  const lines: string[] = [];
  for (const action of ['added', 'removed'] as const) {
    const groups = o.groups.filter((g) => g.action === action);
    if (groups.length === 0) continue;
    const clusters = groups.flatMap((g) => g.clusters).sort();
    const versions = groups.length > 1 ? ` (${groups.length} different versions)` : '';
    lines.push(`${action}${versions} ${onClusters(clusters, max, action === 'added' ? 'on' : 'from')}`);
  }
  for (const f of o.fields) lines.push(...fieldLines(f, code, max));
  if (o.changed > 0 && o.fields.length === 0) lines.push(`changed on ${plural(o.changed, 'cluster')} (formatting only)`);
  return lines;
}

function fieldLines(f: FieldGroup, code: (s: string) => string, max: number): string[] {
  // The largest ways shared by several clusters each get a line; the rest, one cluster each, share one.
  const own = f.variants.length <= MAX_VARIANTS ? f.variants : f.variants.filter((v) => v.clusters.length > 1).slice(0, MAX_VARIANTS - 1);
  const lines = own.map((v) => `${describeField({ path: f.path, ...v }, code)} ${onClusters(v.clusters, max)}`);
  const rest = f.variants.slice(own.length);
  if (rest.length > 0) {
    const each = rest.flatMap((v) => v.clusters.map((c) => `${c} ${'before' in v ? showValue(v.before, 40) : '(none)'} → ${'after' in v ? showValue(v.after, 40) : '(none)'}`)).sort();
    const ways = rest.length === each.length ? `another way on each of ${plural(each.length, 'cluster')}` : `${rest.length} other ways on ${plural(each.length, 'cluster')}`;
    lines.push(`${code(shortPath(f.path))} changes ${ways}: ${listOf(each, Math.ceil(max / 2))}`);
  }
  return lines;
}

/** `changed on 50 clusters`, `added on 3, removed from 1`. */
export function objectActions(o: ObjectReview): string {
  const parts: string[] = [];
  if (o.added > 0) parts.push(`added on ${plural(o.added, 'cluster')}`);
  if (o.changed > 0) parts.push(`changed on ${plural(o.changed, 'cluster')}`);
  if (o.removed > 0) parts.push(`removed from ${plural(o.removed, 'cluster')}`);
  return parts.join(', ');
}

export function status(s: 'new' | 'gone' | 'kept'): string {
  return s === 'new' ? ' (new cluster)' : s === 'gone' ? ' (cluster removed)' : '';
}

/** The summary as lines of `label: value`, shared by text and markdown. */
export function summaryRows(s: DiffSummary, max: number): [string, string][] {
  const copies = (x: { objects: number; copies: number }, on: string) => (x.objects === 0 ? 'none' : `${plural(x.objects, 'object')} ${on} ${plural(x.copies, 'cluster')} in all`);
  const rows: [string, string][] = [
    ['Clusters touched', `${count(s.clustersTouched)} of ${count(s.clustersTotal)}` + (s.newClusters.length ? `; new: ${listOf(s.newClusters, max)}` : '') + (s.goneClusters.length ? `; removed: ${listOf(s.goneClusters, max)}` : '')],
    ['Objects added', copies(s.added, 'on')],
    ['Objects changed', copies(s.changed, 'on')],
    ['Objects removed', copies(s.removed, 'from')],
  ];
  const moved = s.replicas.filter((r) => r.moved > 0 || r.net !== 0);
  rows.push(['Replicas', moved.length === 0 ? 'none moved' : listOf(moved.map((r) => `${r.object}: ${r.moved} moved, net ${r.net >= 0 ? '+' : ''}${r.net} (${listOf(r.clusters.map((c) => `${c.cluster} ${c.before} → ${c.after}`), max)})`), max)]);
  rows.push(['Placements widened', s.widened.length === 0 ? 'none' : listOf(s.widened.map((p) => `${p.object}: ${p.before} → ${p.after} clusters (+${listOf(p.clusters, max)})`), max)]);
  rows.push(['Placements narrowed', s.narrowed.length === 0 ? 'none' : listOf(s.narrowed.map((p) => `${p.object}: ${p.before} → ${p.after} clusters (-${listOf(p.clusters, max)})`), max)]);
  rows.push(['Secrets changed', s.secrets.length === 0 ? 'none' : `${listOf(s.secrets.map((x) => `${x.object} on ${plural(x.clusters, 'cluster')}`), max)} (values masked)`]);
  return rows;
}
