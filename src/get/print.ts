/**
 * @module get/print
 * The members' answers as one kubectl-style table with a CLUSTER column first, or as one YAML or
 * JSON document that keeps each object beside the member it came from. Pure.
 */
import { textTable } from '../format/table.js';
import type { MemberAnswer, ServerTable, TableColumn } from './query.js';

export interface Printed {
  readonly text: string;
  /** Lines for stderr: members that did not answer, "No resources found". */
  readonly notes: readonly string[];
}

function cellText(v: unknown): string {
  if (v === null || v === undefined || v === '') return '<none>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** The columns of the first member that answered; others' cells are matched to them by name. */
function columnsOf(answers: readonly MemberAnswer[], wide: boolean): TableColumn[] {
  for (const a of answers) if (a.state === 'ok' && a.table) return a.table.columnDefinitions.filter((c) => wide || !c.priority);
  return [{ name: 'Name', type: 'string' }];
}

function rowsOf(table: ServerTable, columns: readonly TableColumn[]): { namespace: string; cells: string[] }[] {
  const index = columns.map((c) => table.columnDefinitions.findIndex((d) => d.name === c.name));
  return table.rows.map((r) => ({ namespace: r.object?.metadata?.namespace ?? '', cells: index.map((i) => (i < 0 ? '<none>' : cellText(r.cells[i]))) }));
}

function placeholder(a: MemberAnswer): string | undefined {
  if (a.state === 'not-served') return '<type not served>';
  if (a.state === 'not-found') return '<not found>';
  if (a.state === 'failed') return `<${a.code}>`;
  return undefined;
}

export function notesOf(answers: readonly MemberAnswer[], type: string): string[] {
  const notes: string[] = [];
  for (const a of answers) {
    if (a.state === 'failed') notes.push(`warning: cluster ${a.cluster}: ${a.message} [${a.code}]`);
    if (a.state === 'not-served') notes.push(`warning: cluster ${a.cluster}: the server doesn't have a resource type ${JSON.stringify(type)}`);
  }
  return notes;
}

export function printTable(answers: readonly MemberAnswer[], opts: { type: string; wide: boolean; allNamespaces: boolean; namespace: string }): Printed {
  const columns = columnsOf(answers, opts.wide);
  const namespaced = answers.some((a) => a.state === 'ok' && a.resource.namespaced);
  const withNamespace = opts.allNamespaces && namespaced;
  const head = ['CLUSTER', ...(withNamespace ? ['NAMESPACE'] : []), ...columns.map((c) => c.name.toUpperCase())];
  const rows: string[][] = [];
  for (const a of answers) {
    const p = placeholder(a);
    if (p !== undefined) {
      rows.push([a.cluster, ...(withNamespace ? [''] : []), p]);
      continue;
    }
    if (a.state !== 'ok' || !a.table) continue;
    for (const r of rowsOf(a.table, columns)) rows.push([a.cluster, ...(withNamespace ? [r.namespace] : []), ...r.cells]);
  }
  const notes = notesOf(answers, opts.type);
  if (rows.length === 0) {
    notes.push(opts.allNamespaces || !namespaced ? 'No resources found' : `No resources found in ${opts.namespace} namespace.`);
    return { text: '', notes };
  }
  return { text: textTable(head, rows) + '\n', notes };
}

/** The data behind -o yaml and -o json: per member its objects, or why it has none. */
export function answersAsData(answers: readonly MemberAnswer[]): unknown {
  return {
    apiVersion: 'gitfed.io/v1alpha1',
    kind: 'MemberList',
    clusters: answers.map((a) => {
      if (a.state === 'ok') return { cluster: a.cluster, items: a.items ?? [] };
      if (a.state === 'failed') return { cluster: a.cluster, error: { code: a.code, message: a.message } };
      return { cluster: a.cluster, error: { code: a.state === 'not-served' ? 'NoKindMatch' : 'NotFound', message: a.state === 'not-served' ? 'the member serves no such type' : 'the member holds no such object' } };
    }),
  };
}
