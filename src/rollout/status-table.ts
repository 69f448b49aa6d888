/** `gitfed rollout status` as a table: one line per member, grouped by wave, and why it halted. */
import type { RolloutRecord } from './gate.js';

const short = (rev?: string) => (rev ? rev.slice(0, 7) : '-');

export function formatRolloutStatus(record: RolloutRecord, now = Date.now()): string {
  const r = record.rollout!;
  const lines = [`rollout of ${short(r.target)} (last good ${short(record.lastGood ?? r.previous)}): ${record.complete ? 'complete' : r.aborted ? 'aborted' : r.halted ? 'halted' : 'in progress'}`];
  if (r.halted) lines.push(`halted at wave ${r.halted.wave}: ${r.halted.reason}`);
  const rows: string[][] = [['WAVE', 'PHASE', 'MEMBER', 'REVISION', 'GIVEN', 'HEALTH', 'SOAK LEFT', 'MESSAGE']];
  for (const w of record.waves ?? []) {
    for (const m of w.members) {
      const o = record.members?.[m];
      const soak = w.phase === 'Soaking' && w.soakLeftMs !== undefined && record.updated ? `${Math.max(0, Math.round((w.soakLeftMs - (now - Date.parse(record.updated))) / 1000))}s` : '';
      rows.push([w.name, w.phase, m, short(o?.revision), short(o?.assigned), o?.health ?? 'Unknown', soak, o?.message ?? '']);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) lines.push(row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
  const pointers = Object.entries(record.pointers ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (pointers.length) {
    const width = Math.max('POINTER BRANCH'.length, ...pointers.map(([b]) => b.length));
    lines.push('', `${'POINTER BRANCH'.padEnd(width)}  COMMIT`);
    for (const [branch, commit] of pointers) lines.push(`${branch.padEnd(width)}  ${short(commit)}${commit === r.target ? ' (new)' : commit === (record.lastGood ?? r.previous) ? ' (last good)' : Object.values(r.held ?? {}).includes(commit) ? ' (held from the replaced rollout)' : ''}`);
  }
  return lines.join('\n') + '\n';
}
