/**
 * @module fleet/documents
 * Editing one document of a multi-document YAML file and leaving every other byte alone.
 *
 * Documents are found the way the loader finds them (a `---` line at column 0 starts one), so a
 * SourceObject's line identifies its document. An edit goes through the `yaml` package's
 * Document API, which keeps comments; its printer normalises some spacing (aligned trailing
 * comments, `[ a ]` padding), so only the lines the edit changed are taken from its output and
 * every other line is kept as written.
 */
import { Document, isMap, isSeq, parseDocument, type ToStringOptions } from 'yaml';
import { EDIT_YAML_OPTIONS } from '../yaml-schema.js';
import { FleetError } from './errors.js';

// As the loader splits: a line starting with `---`, only a comment after it.
const DOC_START = /^---[ \t]*(?:#.*)?$/;

/**
 * A document to edit, its scalars read as kubectl reads them; a scalar the edit leaves alone prints
 * as it was written (`0755`, `yes`, `1_000`), and a new string that would read as something else is quoted.
 */
export function parseEditable(text: string): Document {
  return parseDocument(text, { ...EDIT_YAML_OPTIONS, keepSourceTokens: false });
}

/** An empty document with the same schema, to print nodes taken from an editable one. */
export function newEditable(): Document {
  return new Document(null, EDIT_YAML_OPTIONS);
}

/** Lines [start, end) of the file; `marker` when the first of them is the `---` line. */
interface Span {
  readonly start: number;
  readonly end: number;
  readonly marker: boolean;
}

function spans(lines: readonly string[]): Span[] {
  const out: Span[] = [];
  let start = 0;
  let marker = false;
  for (let i = 0; i < lines.length; i++) {
    if (!DOC_START.test(lines[i]!.replace(/\r$/, ''))) continue;
    if (i > start || marker) out.push({ start, end: i, marker });
    start = i;
    marker = true;
  }
  out.push({ start, end: lines.length, marker });
  return out;
}

/** A document's text: its `---` line (if any) apart from its body, and the body's first line (1-based). */
export interface DocumentChunk {
  readonly head: string[];
  readonly body: string;
  readonly firstLine: number;
}

export function documentChunks(text: string): DocumentChunk[] {
  const lines = text.split('\n');
  return spans(lines).map((s) => {
    const bodyStart = s.marker ? s.start + 1 : s.start;
    return { head: s.marker ? [lines[s.start]!] : [], body: lines.slice(bodyStart, s.end).join('\n'), firstLine: bodyStart + 1 };
  });
}

/** The document holding 1-based `line`. */
function spanAt(lines: readonly string[], line: number, file: string): Span {
  const s = spans(lines).find((sp) => line - 1 >= sp.start && line - 1 < sp.end);
  if (!s) throw new FleetError('DocumentNotFound', `no YAML document at line ${line}`, { file, line });
  return s;
}

/** Only comments, blank lines and markers: what is left of a file once its objects are gone. */
function isBlank(lines: readonly string[]): boolean {
  return lines.every((l) => {
    const t = l.trim();
    return t === '' || t.startsWith('#') || DOC_START.test(t) || t === '...';
  });
}

/**
 * The file without the document at `line`, or undefined when nothing but comments would remain
 * (the caller deletes the file). The other documents keep every byte, their markers included.
 */
export function removeDocument(text: string, line: number, file: string): string | undefined {
  const lines = text.split('\n');
  const s = spanAt(lines, line, file);
  // The last document owns the file's final newline; the new last document inherits it.
  const rest = [...lines.slice(0, s.start), ...lines.slice(s.end), ...(s.end === lines.length && s.start > 0 && text.endsWith('\n') ? [''] : [])];
  return isBlank(rest) ? undefined : rest.join('\n');
}

/** The file with the document at `line` replaced by `replacement` (YAML text of one or more documents, no leading marker). */
export function replaceDocument(text: string, line: number, replacement: string, file: string): string {
  const lines = text.split('\n');
  const s = spanAt(lines, line, file);
  const body = lines.slice(s.marker ? s.start + 1 : s.start, s.end);
  const trailing = trailingBlankCount(body);
  const head = s.marker ? [lines[s.start]!] : [];
  const next = [...head, ...trimTrailingNewlines(replacement).split('\n'), ...Array<string>(trailing).fill('')];
  return [...lines.slice(0, s.start), ...next, ...lines.slice(s.end)].join('\n');
}

/** The body of the document at `line`, without its marker line. */
export function documentText(text: string, line: number, file: string): string {
  const lines = text.split('\n');
  const s = spanAt(lines, line, file);
  return lines.slice(s.marker ? s.start + 1 : s.start, s.end).join('\n');
}

function trailingBlankCount(lines: readonly string[]): number {
  let n = 0;
  while (n < lines.length && lines[lines.length - 1 - n]!.trim() === '') n++;
  return n;
}

function trimTrailingNewlines(s: string): string {
  return s.replace(/\n+$/, '');
}

/** How the author indents: `key:\n- item` (sequences not indented) or `key:\n  - item`. */
export function printOptions(text: string): ToStringOptions {
  const flatSeq = /^( *)[^\s#-][^\n]*:[ \t]*\n\1- /m.test(text);
  const indents = [...text.matchAll(/^( +)[^\s#-]/gm)].map((m) => m[1]!.length);
  const indent = indents.length > 0 ? Math.min(...indents) : 2;
  return { lineWidth: 0, minContentWidth: 0, flowCollectionPadding: false, indentSeq: !flatSeq, indent: indent > 0 && indent <= 8 ? indent : 2 };
}

/**
 * Apply `edit` to the document whose text is `body` and return the new text, with every line
 * outside the edited region as it was. `edit` returns false when it changed nothing.
 */
export function editYaml(body: string, file: string, line: number, edit: (doc: Document) => boolean): { text: string; changed: boolean } {
  const doc = parseEditable(body);
  if (doc.errors.length > 0) throw new FleetError('YAMLSyntax', `YAML syntax error: ${doc.errors[0]!.message.split('\n')[0]}`, { file, line });
  const opts = printOptions(body);
  const before = doc.toString(opts);
  if (!edit(doc)) return { text: body, changed: false };
  const after = doc.toString(opts);
  return { text: spliceChanged(body, before, after), changed: true };
}

/**
 * `before` is the printer's rendering of `original`, `after` the rendering of the edited
 * document. When the printer kept the line count, line i of `before` is line i of `original`:
 * take the common head and tail from `original` and only the differing middle from `after`.
 */
export function spliceChanged(original: string, before: string, after: string): string {
  const o = original.split('\n');
  const trailing = trailingBlankCount(o);
  const orig = o.slice(0, o.length - trailing);
  const a = trimTrailingNewlines(before).split('\n');
  const b = trimTrailingNewlines(after).split('\n');
  const tail = Array<string>(trailing).fill('');
  if (a.length !== orig.length) return [...b, ...tail].join('\n');
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  return [...orig.slice(0, p), ...b.slice(p, b.length - s), ...orig.slice(orig.length - s), ...tail].join('\n');
}

/** Edit the document holding `line` in `text` (a whole file); other documents are untouched. */
export function editDocument(text: string, line: number, file: string, edit: (doc: Document) => boolean): { text: string; changed: boolean } {
  const body = documentText(text, line, file);
  const r = editYaml(body, file, line, edit);
  if (!r.changed) return { text, changed: false };
  const lines = text.split('\n');
  const s = spanAt(lines, line, file);
  const next = r.text.split('\n');
  return { text: [...lines.slice(0, s.marker ? s.start + 1 : s.start), ...next, ...lines.slice(s.end)].join('\n'), changed: true };
}

/**
 * Path prefix of an object inside its document: [] for a plain document, ['items', i] for the
 * i-th item of a `kind: List` (found by kind, namespace and name).
 */
export function objectPath(doc: Document, kind: string, name: string, namespace: string | undefined): (string | number)[] | undefined {
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  const matches = (m: unknown): boolean =>
    isMap(m) && m.get('kind') === kind && isMap(m.get('metadata')) &&
    (m.get('metadata') as { get(k: string): unknown }).get('name') === name &&
    ((m.get('metadata') as { get(k: string): unknown }).get('namespace') ?? undefined) === namespace;
  if (root.get('kind') === 'List') {
    const items = root.get('items');
    if (!isSeq(items)) return undefined;
    const i = items.items.findIndex(matches);
    return i < 0 ? undefined : ['items', i];
  }
  return matches(root) ? [] : undefined;
}
