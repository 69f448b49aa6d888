/**
 * @module yaml/documents
 * The documents of a YAML file as kubectl reads them (go-yaml v2 through sigs.k8s.io/yaml), each
 * with a resolver from a field path to its line, or the errors that stop one from being read.
 * Render, apply and the fleet editor all read YAML through here.
 *
 * js-yaml does the parsing (it is the fast path, and render parses every file on every run); it
 * reports no positions for values, so field-level lines are resolved lazily with the `yaml`
 * package's CST, only when an error message needs one.
 */
import { createRequire } from 'node:module';
import jsyaml from 'js-yaml';
import type { LineCounter, Node, parseDocument, Scalar } from 'yaml';
import { RenderError } from '../errors.js';
import { KUBE_YAML_SCHEMA, keyString } from '../yaml-schema.js';
import { keyLineResolver } from './key-lines.js';
import { settle } from './settle.js';
import { lineAt } from './text.js';

export interface Chunk {
  readonly text: string;
  /** 1-based line of the chunk's first line in the file. */
  readonly firstLine: number;
}

// kubectl splits a stream at every line that starts with `---`; only spaces and a comment may follow.
const DOC_START = /^---[ \t]*(?:#.*)?$/;

function splitDocuments(file: string, text: string, errors: RenderError[]): Chunk[] {
  // Most files hold one document: without a line that starts with ---, the text is its one
  // chunk, and is not split into lines and joined again.
  if (!text.startsWith('---') && !text.includes('\n---')) return [{ text, firstLine: 1 }];
  const lines = text.split('\n');
  const chunks: Chunk[] = [];
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith('---')) continue;
    if (!DOC_START.test(line.replace(/\r$/, ''))) {
      errors.push(new RenderError('YAMLSyntax', 'a line that starts with --- separates documents for kubectl, and only a comment may follow it', { file, line: i + 1 }));
      return [];
    }
    if (i > start) chunks.push({ text: lines.slice(start, i).join('\n'), firstLine: start + 1 });
    start = i + 1;
  }
  if (start < lines.length) chunks.push({ text: lines.slice(start).join('\n'), firstLine: start + 1 });
  return chunks;
}

/** One document as kubectl reads it, with what an error about it needs. */
export interface ReadDocument {
  readonly value: unknown;
  /** Line of the document's first content. */
  readonly line: number;
  readonly lineOf: (path: readonly (string | number)[]) => number;
}

/** Every document of a file (empty ones skipped), or the errors that stop one from being read as kubectl would. */
export function readDocuments(file: string, text: string): { docs: ReadDocument[]; errors: RenderError[] } {
  const docs: ReadDocument[] = [];
  const errors: RenderError[] = [];
  // A leading byte order mark is kept in the text (a rewrite keeps the bytes); kubectl skips it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (const chunk of splitDocuments(file, body, errors)) {
    const escape = badEscape(chunk);
    if (escape) {
      errors.push(new RenderError('YAMLSyntax', escape.message, { file, line: escape.line }));
      continue;
    }
    let raw: unknown;
    try {
      raw = jsyaml.load(chunk.text, { filename: file, schema: KUBE_YAML_SCHEMA });
    } catch (err) {
      if (err instanceof RangeError) {
        errors.push(new RenderError('TooDeep', 'nested too deeply to read', { file, line: firstContentLine(chunk) }));
        continue;
      }
      if (!(err instanceof jsyaml.YAMLException)) throw err;
      // js-yaml places an error at the end of the stream on the line after the last one.
      const line = Math.min(chunk.firstLine + (err.mark?.line ?? 0), lastContentLine(chunk));
      errors.push(new RenderError('YAMLSyntax', `YAML syntax error: ${err.reason ?? err.message}`, { file, line }));
      continue;
    }
    if (raw === null || raw === undefined) continue;
    const lineOf = lazyLineResolver(chunk);
    const settled = settle(raw);
    if (settled.problem) {
      errors.push(new RenderError(settled.problem.code, settled.problem.message, { file, line: lineOf(settled.problem.path) }));
      continue;
    }
    const key = settled.suspectKeys || MAYBE_COLLECTION_KEY.test(chunk.text) ? collectionKey(chunk) : undefined;
    if (key) {
      errors.push(new RenderError('YAMLKey', key.message, { file, line: key.line }));
      continue;
    }
    docs.push({ value: settled.value, line: firstContentLine(chunk), lineOf });
  }
  return { docs, errors };
}


function lastContentLine(chunk: Chunk): number {
  const lines = chunk.text.split('\n');
  let i = lines.length - 1;
  while (i > 0 && lines[i]!.trim() === '') i--;
  return chunk.firstLine + i;
}

function firstContentLine(chunk: Chunk): number {
  // Line by line from the top, without splitting the whole text: the first line is nearly always it.
  const text = chunk.text;
  for (let start = 0, i = 0; ; i++) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const l = text.slice(start, end).trim();
    if (l !== '' && !l.startsWith('#')) return chunk.firstLine + i;
    if (nl < 0) return chunk.firstLine;
    start = nl + 1;
  }
}

/**
 * Escapes js-yaml takes and kubectl's YAML 1.1 reader refuses: `\/`, and a `\u` or `\U` naming a
 * surrogate (js-yaml would join a pair into one character). Only texts that hold such an escape
 * are parsed again to see whether it stands in a double-quoted scalar.
 */
function badEscape(chunk: Chunk): { line: number; message: string } | undefined {
  if (!/\\(?:\/|u[dD][89a-fA-F]|U0{4}[dD][89a-fA-F])/.test(chunk.text)) return undefined;
  const { parseDocument, visit } = yamlPackage();
  const doc = parseDocument(chunk.text, { keepSourceTokens: false });
  let found: { line: number; message: string } | undefined;
  visit(doc, {
    Scalar(_key, node: Scalar) {
      if (node.type !== 'QUOTE_DOUBLE' || !node.range) return undefined;
      const src = chunk.text.slice(node.range[0], node.range[1]);
      for (const m of src.matchAll(/\\(?:(\/)|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|.)/gs)) {
        const code = m[2] ? parseInt(m[2], 16) : m[3] ? parseInt(m[3], 16) : -1;
        if (m[1] || (code >= 0xd800 && code <= 0xdfff)) {
          found = { line: chunk.firstLine - 1 + lineAt(chunk.text, node.range[0] + (m.index ?? 0)), message: `escape ${m[0]} in a double-quoted string: kubectl (YAML 1.1) refuses it${m[1] ? '; write / as it is' : '; write the character itself'}` };
          return visit.BREAK;
        }
      }
      return undefined;
    },
  });
  return found;
}

/**
 * Text where a key might be a list, a mapping or an alias: an explicit `? ` key, `]:`, `}:`,
 * `*alias :`, or a collection opening inside a flow mapping (`{[a]}`, `{a, {b}}`). An alias, like
 * `?`, starts a node, so only after white space or `[{,`: a quoted `'*':` key (a ReplicaScheduling-
 * Preference's every-cluster weight) must not send its document to the slow second parse.
 */
const MAYBE_COLLECTION_KEY = /[\]}][ \t]*:(?:[ \t]|$)|(?<![^\s,[{])\?(?:[ \t]|$)|(?<![^\s,[{])\*[^\s,[\]{}]+[ \t]*:(?:[ \t]|$)|[{,][ \t]*[[{]/m;

/** A key that is a list, a mapping or empty: js-yaml makes a string of it, go-yaml (and so kubectl) refuses it. */
function collectionKey(chunk: Chunk): { line: number; message: string } | undefined {
  const { LineCounter, parseDocument, visit, isAlias, isScalar, isCollection } = yamlPackage();
  const lc = new LineCounter();
  const doc = parseDocument(chunk.text, { lineCounter: lc, keepSourceTokens: false, uniqueKeys: false });
  let found: { line: number; message: string } | undefined;
  visit(doc, {
    Pair(_key, pair) {
      let key = pair.key as Node | null;
      if (isAlias(key)) key = key.resolve(doc) ?? null;
      const empty = key === null || (isScalar(key) && key.value === null);
      if (!empty && !isCollection(key)) return undefined;
      const at = (pair.key as Node | null)?.range?.[0] ?? (pair.value as Node | null)?.range?.[0] ?? 0;
      found = { line: chunk.firstLine - 1 + lc.linePos(at).line, message: empty ? 'a mapping key is empty; kubectl refuses it' : 'a mapping key is a list or a mapping; kubectl refuses it (a key must be a string, number or boolean)' };
      return visit.BREAK;
    },
  });
  return found;
}

const requireModule = createRequire(import.meta.url);
let yamlModule: typeof import('yaml') | undefined;

/** The `yaml` package, loaded the first time a line is asked for: most renders never ask, and loading it costs every command. */
function yamlPackage(): typeof import('yaml') {
  return (yamlModule ??= requireModule('yaml') as typeof import('yaml'));
}

/** A key node's text as the loader keys it: a plain scalar by its meaning (`0x10` is "16"), any other by its value. */
function keyMatches(node: unknown, seg: string | number): boolean {
  if (!yamlPackage().isScalar(node)) return false;
  const src = (node as Scalar).source;
  if (typeof src === 'string' && (node.type === 'PLAIN' || node.type === undefined)) return src === String(seg) || keyString(src) === String(seg);
  return String(node.value) === String(seg);
}

/**
 * Returns a resolver from a field path to its 1-based line in the file. The CST is built on first
 * use only; a path that does not exist resolves to the deepest existing ancestor.
 */
export function lazyLineResolver(chunk: Chunk): (path: readonly (string | number)[]) => number {
  const keyLine = keyLineResolver(chunk.text);
  const cstLine = cstLineResolver(chunk);
  return (path) => {
    const line = keyLine(path);
    return line !== undefined ? chunk.firstLine + line : cstLine(path);
  };
}

/** lazyLineResolver from the `yaml` package's CST alone, which answers every path. */
export function cstLineResolver(chunk: Chunk): (path: readonly (string | number)[]) => number {
  let root: { doc: ReturnType<typeof parseDocument>; lc: LineCounter } | undefined;
  return (path) => {
    const { LineCounter, parseDocument, isMap, isSeq, isPair } = yamlPackage();
    if (!root) {
      const lc = new LineCounter();
      root = { doc: parseDocument(chunk.text, { lineCounter: lc, keepSourceTokens: false, uniqueKeys: false }), lc };
    }
    let node: unknown = root.doc.contents;
    let best = firstContentLine(chunk);
    const lineAtNode = (n: unknown): number | undefined => {
      const range = (n as Node | null)?.range;
      return range ? chunk.firstLine - 1 + root!.lc.linePos(range[0]).line : undefined;
    };
    best = lineAtNode(node) ?? best;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && keyMatches(p.key, seg));
        if (!pair) break;
        best = lineAtNode(pair.key) ?? best;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (item === undefined) break;
        best = lineAtNode(item) ?? best;
        node = item;
      } else break;
    }
    return best;
  };
}
