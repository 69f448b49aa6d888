/**
 * @module report-format
 * The propagation report for people (a terminal table, a Markdown page) and for machines (JSON).
 * People see every member and only the objects that need a look: anything not unchanged and
 * Ready, or carrying a message.
 */
import type { MemberReport, ObjectStatus, PropagationReport } from '../apply/status/report.js';
import { markdownTable, textTable } from './table.js';

export type ReportFormat = 'table' | 'json' | 'markdown';

const short = (sha?: string) => (sha ? sha.slice(0, 7) : '-');

function memberRow(m: MemberReport): string[] {
  const c = m.counts;
  const objects = `${m.objects.length - c.pruned} (+${c.created} ~${c.configured} -${c.pruned}${c.failed ? ` !${c.failed}` : ''})`;
  return [m.cluster, m.state, m.health, short(m.branchCommit), short(m.sourceCommit), m.lastSynced ?? '-', objects, m.message ?? ''];
}

const MEMBER_HEAD = ['CLUSTER', 'STATE', 'HEALTH', 'BRANCH', 'SOURCE', 'LAST SYNCED', 'OBJECTS', 'MESSAGE'];
const OBJECT_HEAD = ['CLUSTER', 'OBJECT', 'ACTION', 'HEALTH', 'MESSAGE'];

function needsLook(o: ObjectStatus): boolean {
  return o.action !== 'unchanged' || (o.health !== undefined && o.health !== 'Ready') || o.message !== undefined || (o.drift?.length ?? 0) > 0;
}

function objectMessage(o: ObjectStatus): string {
  const parts: string[] = [];
  if (o.message) parts.push(o.message);
  if (o.drift?.length) parts.push(`drifted: ${o.drift.join(', ')}`);
  if (o.taken?.length) parts.push(`took ${o.taken.join(', ')}`);
  return parts.join('; ');
}

function objectRows(report: PropagationReport, all: boolean): string[][] {
  return report.members.flatMap((m) =>
    m.objects.filter((o) => all || needsLook(o)).map((o) => [m.cluster, o.object, o.action, o.health ?? '-', objectMessage(o)]),
  );
}

function federatedRows(report: PropagationReport): string[][] {
  return report.federated
    .filter((f) => f.conditions[0]?.status !== 'True')
    .map((f) => [f.object, `${f.conditions[0]?.status ?? '?'}/${f.conditions[0]?.reason || '-'}`, f.clusters.map((c) => `${c.name}${c.status ? `=${c.status}` : ''}`).join(' ')]);
}

export function formatReport(report: PropagationReport, format: ReportFormat, opts: { allObjects?: boolean } = {}): string {
  if (format === 'json') return JSON.stringify(report, null, 2) + '\n';
  const table = format === 'markdown' ? markdownTable : textTable;
  const out: string[] = [];
  const head = `${report.source}${report.fleet ? ` (fleet ${report.fleet})` : ''}${report.branchCommit ? ` at ${short(report.branchCommit)}` : ''}${report.sourceCommit ? ` (source ${short(report.sourceCommit)})` : ''}`;
  out.push(format === 'markdown' ? `## Propagation: ${head}\n` : `Propagation of ${head}, ${report.generatedAt}\n`);
  out.push(table(MEMBER_HEAD, report.members.map(memberRow)));
  const objects = objectRows(report, opts.allObjects ?? false);
  if (objects.length) {
    out.push(format === 'markdown' ? '\n### Objects\n' : '\nObjects:');
    out.push(table(OBJECT_HEAD, objects));
  }
  const fed = federatedRows(report);
  const total = report.federated.length;
  out.push(format === 'markdown' ? `\n### Federated objects: ${total - fed.length} of ${total} propagated\n` : `\nFederated objects: ${total - fed.length} of ${total} propagated`);
  if (fed.length) out.push(table(['OBJECT', 'PROPAGATION', 'CLUSTERS'], fed));
  return out.join('\n') + '\n';
}
