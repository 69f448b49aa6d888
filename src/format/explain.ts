/** `gitfed explain` output: an explanation in words for people, or JSON for machines. */
import { displayKey } from '../object.js';
import type { Explanation } from '../render/types.js';
import { textTable } from './table.js';

export type ExplainFormat = 'text' | 'json';

export function formatExplanations(found: readonly Explanation[], format: ExplainFormat): string {
  if (format === 'json') return JSON.stringify(found, null, 2) + '\n';
  return found.map(formatExplanation).join('\n\n') + '\n';
}

export function formatExplanation(e: Explanation): string {
  const out: string[] = [];
  out.push(`${displayKey(e.object)}  (${e.engine}, ${e.pos.file}:${e.pos.line})`);
  out.push(`  clusters: ${e.clusters.length ? e.clusters.join(', ') : '(none)'}`);
  out.push('', 'Placement');
  for (const l of e.placement) out.push('  ' + l);
  if (e.scheduling.length || e.replicas) {
    out.push('', 'Replicas');
    for (const l of e.scheduling) out.push('  ' + l);
    if (e.replicas) {
      const rows = Object.entries(e.replicas).sort((a, b) => (a[0] < b[0] ? -1 : 1));
      if (rows.length) out.push(...textTable(undefined, rows).split('\n').map((l) => '  ' + l));
    }
  }
  const ov = Object.entries(e.overrides).filter(([, l]) => l.length > 0);
  out.push('', 'Overrides');
  if (ov.length === 0) out.push('  (none)');
  for (const [cluster, lines] of ov.sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    out.push(`  ${cluster}:`);
    for (const l of lines) out.push('    ' + l);
  }
  return out.join('\n');
}
