/**
 * `gitfed diff --live` output: per member, what an apply would create, change (field by field)
 * and prune, as text for a terminal, Markdown for a PR comment, or JSON.
 */
import type { ChangeKind, LiveDiffResult } from '../apply/live-diff.js';
import type { FieldChange } from '../apply/plan/structural-diff.js';
import { markdownTable } from './table.js';

function value(v: unknown): string {
  return v === undefined ? '' : JSON.stringify(v);
}

function fieldLines(f: FieldChange): string[] {
  if (f.op === 'add') return [`    + ${f.path}: ${value(f.to)}`];
  if (f.op === 'remove') return [`    - ${f.path}: ${value(f.from)}`];
  return [`    ± ${f.path}`, `      - ${value(f.from)}`, `      + ${value(f.to)}`];
}

const VERB: Record<ChangeKind, string> = { create: 'created', update: 'changed', prune: 'pruned', conflict: 'conflict', error: 'error' };

export function formatLiveDiff(result: LiveDiffResult, format: 'text' | 'markdown' | 'json'): string {
  if (format === 'json') return JSON.stringify(result, null, 2) + '\n';
  const out: string[] = [];
  for (const m of result.members) {
    if (format === 'markdown') {
      out.push(`### ${m.cluster}\n`);
      if (m.error) out.push(`error: ${m.error}\n`);
      else if (m.objects.length === 0) out.push('No changes.\n');
      else {
        out.push(markdownTable(['OBJECT', 'CHANGE', 'FIELDS'], m.objects.map((o) => [o.object, VERB[o.change], [o.message, o.fields.map((f) => `${f.op} ${f.path}`).join(', ')].filter(Boolean).join('; ')])));
        out.push('');
      }
      continue;
    }
    if (m.error) {
      out.push(`► ${m.cluster}: error: ${m.error}`);
      continue;
    }
    out.push(`► ${m.cluster}: ${m.objects.length === 0 ? 'no changes' : `${m.objects.length} change(s)`}`);
    for (const o of m.objects) {
      out.push(`  ${o.object} ${VERB[o.change]}${o.message ? `: ${o.message}` : ''}`);
      if (o.change === 'update') for (const f of o.fields) out.push(...fieldLines(f));
    }
  }
  return out.join('\n') + '\n';
}
