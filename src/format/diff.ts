/** `gitfed diff` output: text for a terminal, markdown for a PR comment (diff-markdown.ts), JSON for machines. */
import type { FleetDiff } from '../render/diff.js';
import type { DiffReview } from '../render/diff-review.js';
import { markdown, type MarkdownOptions } from './diff-markdown.js';
import { objectActions, objectLines, plural, status, summaryRows } from './diff-words.js';
import { textTable } from './table.js';

export type DiffFormat = 'text' | 'markdown' | 'json';
export type { MarkdownOptions } from './diff-markdown.js';

export function formatDiff(d: FleetDiff, review: DiffReview, format: DiffFormat, opts: MarkdownOptions = {}): string {
  if (format === 'json') return json(d, review);
  if (format === 'markdown') return markdown(d, review, opts);
  return text(d, review);
}

function text(d: FleetDiff, review: DiffReview): string {
  if (!d.changed) return `No changes to any cluster (${d.base} -> ${d.head}).\n`;
  const plain = (s: string) => s;
  const out: string[] = [`${d.base} -> ${d.head}: ${plural(d.clusters.length, 'cluster')} change`, ''];
  const rows = summaryRows(review.summary, 5);
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) out.push(`${k.padEnd(w)}  ${v}`);
  out.push('', 'BY OBJECT');
  for (const o of review.objects) {
    out.push(`${o.object}: ${objectActions(o)}`);
    for (const line of objectLines(o, plain, 8)) out.push(`  ${line}`);
  }
  out.push('', textTable(['CLUSTER', 'ADDED', 'CHANGED', 'REMOVED'], d.clusters.map((c) => [c.cluster, String(c.added), String(c.changed), String(c.removed) + status(c.status)])));
  for (const c of d.clusters) {
    out.push('', `== ${c.cluster}${status(c.status)}`);
    for (const ch of c.changes) {
      out.push(`${ch.action === 'added' ? '+' : ch.action === 'removed' ? '-' : '~'} ${ch.object} (${ch.path})`);
      out.push(ch.diff.trimEnd());
    }
  }
  return out.join('\n') + '\n';
}

/** The diff for machines: the summary, the changes grouped by object, and every change by cluster. */
function json(d: FleetDiff, review: DiffReview): string {
  return JSON.stringify({
    base: d.base,
    head: d.head,
    changed: d.changed,
    summary: review.summary,
    objects: review.objects.map((o) => ({
      object: o.object, key: o.key, added: o.added, changed: o.changed, removed: o.removed, before: o.before, after: o.after,
      groups: o.groups.map((g) => ({ action: g.action, clusters: g.clusters, fields: g.fields })),
    })),
    clusters: d.clusters.map((c) => ({
      cluster: c.cluster, branch: c.branch, status: c.status, added: c.added, changed: c.changed, removed: c.removed,
      changes: c.changes.map((ch) => ({ action: ch.action, path: ch.path, object: ch.object, diff: ch.diff })),
    })),
  }, null, 2) + '\n';
}
