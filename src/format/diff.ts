/** `gitfed diff` output: text for a terminal, markdown for a PR comment, JSON for machines. */
import type { FleetDiff } from '../render/diff.js';
import { markdownTable, textTable, type Align } from './table.js';

export type DiffFormat = 'text' | 'markdown' | 'json';

export function formatDiff(d: FleetDiff, format: DiffFormat): string {
  if (format === 'json') return JSON.stringify(d, null, 2) + '\n';
  if (format === 'markdown') return markdown(d);
  return text(d);
}

function status(s: 'new' | 'gone' | 'kept'): string {
  return s === 'new' ? ' (new cluster)' : s === 'gone' ? ' (cluster removed)' : '';
}

const COUNTS: readonly Align[] = ['left', 'right', 'right', 'right'];

function countRows(d: FleetDiff): (string | number)[][] {
  return d.clusters.map((c) => [`${c.cluster}${status(c.status)}`, c.added, c.changed, c.removed]);
}

function text(d: FleetDiff): string {
  if (!d.changed) return `No changes to any cluster (${d.base} -> ${d.head}).\n`;
  const out: string[] = [`${d.base} -> ${d.head}: ${d.clusters.length} cluster(s) change`, ''];
  out.push(textTable(['CLUSTER', 'ADDED', 'CHANGED', 'REMOVED'], countRows(d), COUNTS));
  for (const c of d.clusters) {
    out.push('', `== ${c.cluster}${status(c.status)}`);
    for (const ch of c.changes) {
      out.push(`${ch.action === 'added' ? '+' : ch.action === 'removed' ? '-' : '~'} ${ch.object} (${ch.path})`);
      if (ch.action === 'changed') out.push(ch.diff.trimEnd());
    }
  }
  return out.join('\n') + '\n';
}

function markdown(d: FleetDiff): string {
  if (!d.changed) return `### gitfed: no changes to any cluster\n\n\`${d.base}\` → \`${d.head}\`\n`;
  const out: string[] = [`### gitfed: ${d.clusters.length} cluster(s) change`, '', `\`${d.base}\` → \`${d.head}\``, ''];
  out.push(markdownTable(['Cluster', 'Added', 'Changed', 'Removed'], countRows(d), COUNTS));
  for (const c of d.clusters) {
    out.push('', `<details><summary><b>${c.cluster}</b>${status(c.status)}: +${c.added} ~${c.changed} -${c.removed}</summary>`, '');
    for (const ch of c.changes) {
      out.push(`**${ch.action}** \`${ch.object}\``, '', '```diff', ch.diff.trimEnd(), '```', '');
    }
    out.push('</details>');
  }
  return out.join('\n') + '\n';
}
