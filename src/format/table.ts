/**
 * @module table
 * The one table printer: aligned plain text for a terminal, and Markdown for a PR comment or a
 * page. Every command that prints a table goes through here, so they all look alike.
 */

export type Cell = string | number;
export type Align = 'left' | 'right';

/**
 * Columns two spaces apart, each as wide as its widest cell, left-aligned unless `align` says
 * right; no trailing spaces. Without `head`, only the rows.
 */
export function textTable(head: readonly string[] | undefined, rows: readonly (readonly Cell[])[], align: readonly Align[] = []): string {
  const all = (head ? [head, ...rows] : rows).map((r) => r.map(String));
  const columns = Math.max(0, ...all.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(0, ...all.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (align[i] === 'right' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return all.map(line).join('\n');
}

function cell(s: Cell): string {
  return String(s).replace(/\|/g, '\\|').replace(/\n/g, '<br>');
}

export function markdownTable(head: readonly string[], rows: readonly (readonly Cell[])[], align: readonly Align[] = []): string {
  const rule = head.map((_, i) => (align[i] === 'right' ? '---:' : '---'));
  return [`| ${head.map(cell).join(' | ')} |`, `|${rule.join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}
