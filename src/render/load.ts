/**
 * Reads the fleet repo's YAML into SourceObjects that remember where they came from.
 *
 * js-yaml does the parsing (it is the fast path, and render parses every file on every run); it
 * reports no positions for values, so field-level lines are resolved lazily with the `yaml`
 * package's CST, only when an error message needs one.
 */
import jsyaml from 'js-yaml';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, isPair, type Node } from 'yaml';
import { RenderError } from '../errors.js';
import { KUBE_YAML_SCHEMA } from '../yaml-schema.js';

export { KUBE_YAML_SCHEMA };
import type { KubeObject, SourceObject } from './types.js';

export interface LoadResult {
  readonly objects: SourceObject[];
  readonly errors: RenderError[];
}

/** Paths that are YAML by their name. */
export function isYamlPath(path: string): boolean {
  return path.endsWith('.yaml') || path.endsWith('.yml');
}

interface Chunk {
  readonly text: string;
  /** 1-based line of the chunk's first line in the file. */
  readonly firstLine: number;
}

// A line that starts a new document: `---` at column 0, followed by nothing, a space or a comment.
// Inside a block scalar such a line also ends the document, so a plain line scan is exact.
const DOC_START = /^---(?:[ \t].*)?$/;

function splitDocuments(text: string): Chunk[] {
  const lines = text.split('\n');
  const chunks: Chunk[] = [];
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    if (DOC_START.test(lines[i]!.replace(/\r$/, ''))) {
      if (i > start) chunks.push({ text: lines.slice(start, i).join('\n'), firstLine: start + 1 });
      // The marker line itself may carry content (`--- !tag` or `--- {a: 1}`); keep it with its document.
      start = i;
      lines[i] = lines[i]!.replace(/^---/, '   ');
    }
  }
  if (start < lines.length) chunks.push({ text: lines.slice(start).join('\n'), firstLine: start + 1 });
  return chunks;
}

/** Parse one file. Objects without apiVersion/kind/metadata.name are schema errors, empty documents are skipped. */
export function loadFile(file: string, text: string): LoadResult {
  const objects: SourceObject[] = [];
  const errors: RenderError[] = [];
  for (const chunk of splitDocuments(text)) {
    let value: unknown;
    try {
      value = jsyaml.load(chunk.text, { filename: file, schema: KUBE_YAML_SCHEMA });
    } catch (err) {
      const e = err as jsyaml.YAMLException;
      const line = chunk.firstLine + (e.mark?.line ?? 0);
      errors.push(new RenderError('YAMLSyntax', `YAML syntax error: ${e.reason ?? e.message}`, { file, line }));
      continue;
    }
    if (value === null || value === undefined) continue;
    const lineOf = lazyLineResolver(chunk);
    const docLine = firstContentLine(chunk);
    if (typeof value !== 'object' || Array.isArray(value)) {
      errors.push(new RenderError('Schema', 'a document must be a Kubernetes object (a mapping), not a ' + (Array.isArray(value) ? 'list' : typeof value), { file, line: docLine }));
      continue;
    }
    const obj = value as Record<string, unknown>;
    // A `kind: List` is how kubectl and Helm bundle objects; unwrap it so each item is placed on its own.
    if (obj.kind === 'List' && obj.items !== undefined && obj.items !== null && !Array.isArray(obj.items)) {
      errors.push(new RenderError('Schema', `List: field items: must be a list of objects, not ${typeof obj.items === 'object' ? 'a mapping' : `the ${typeof obj.items} ${JSON.stringify(obj.items)}`}`, { file, line: lineOf(['items']) }));
      continue;
    }
    if (obj.kind === 'List' && Array.isArray(obj.items)) {
      obj.items.forEach((item, i) => {
        const problem = schemaProblem(item);
        const itemLineOf = (path: readonly (string | number)[]) => lineOf(['items', i, ...path]);
        if (problem) errors.push(new RenderError('Schema', problem.message, { file, line: lineOf(['items', i, ...problem.path]) }));
        else objects.push({ obj: item as KubeObject, pos: { file, line: lineOf(['items', i]) }, lineOf: itemLineOf });
      });
      continue;
    }
    const problem = schemaProblem(obj);
    if (problem) {
      errors.push(new RenderError('Schema', problem.message, { file, line: lineOf(problem.path) }));
      continue;
    }
    objects.push({ obj: obj as KubeObject, pos: { file, line: docLine }, lineOf });
  }
  return { objects, errors };
}

function firstContentLine(chunk: Chunk): number {
  const lines = chunk.text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (l !== '' && !l.startsWith('#')) return chunk.firstLine + i;
  }
  return chunk.firstLine;
}

function schemaProblem(v: unknown): { message: string; path: (string | number)[] } | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { message: 'a list item must be a Kubernetes object (a mapping)', path: [] };
  const o = v as Record<string, unknown>;
  if (typeof o.apiVersion !== 'string' || o.apiVersion === '') return { message: 'field apiVersion: required string is missing', path: [] };
  if (typeof o.kind !== 'string' || o.kind === '') return { message: 'field kind: required string is missing', path: ['apiVersion'] };
  const md = o.metadata as Record<string, unknown> | undefined;
  if (typeof md !== 'object' || md === null || Array.isArray(md)) return { message: `${o.kind}: field metadata: required mapping is missing`, path: ['kind'] };
  if (typeof md.name !== 'string' || md.name === '') return { message: `${o.kind}: field metadata.name: required string is missing`, path: ['metadata'] };
  if (md.namespace !== undefined && typeof md.namespace !== 'string') return { message: `${o.kind}/${md.name}: field metadata.namespace: must be a string`, path: ['metadata', 'namespace'] };
  for (const f of ['labels', 'annotations'] as const) {
    const m = md[f];
    if (m === undefined || m === null) continue;
    if (typeof m !== 'object' || Array.isArray(m)) return { message: `${o.kind}/${md.name}: field metadata.${f}: must be a mapping of strings`, path: ['metadata', f] };
    for (const [k, val] of Object.entries(m)) {
      if (typeof val !== 'string') return { message: `${o.kind}/${md.name}: field metadata.${f}.${k}: must be a string (quote it: "${String(val)}")`, path: ['metadata', f, k] };
    }
  }
  return undefined;
}

/**
 * Returns a resolver from a field path to its 1-based line in the file. The CST is built on first
 * use only; a path that does not exist resolves to the deepest existing ancestor.
 */
export function lazyLineResolver(chunk: Chunk): (path: readonly (string | number)[]) => number {
  let root: { doc: ReturnType<typeof parseDocument>; lc: LineCounter } | undefined;
  return (path) => {
    if (!root) {
      const lc = new LineCounter();
      root = { doc: parseDocument(chunk.text, { lineCounter: lc, keepSourceTokens: false }), lc };
    }
    let node: unknown = root.doc.contents;
    let best = firstContentLine(chunk);
    const lineAt = (n: unknown): number | undefined => {
      const range = (n as Node | null)?.range;
      return range ? chunk.firstLine - 1 + root!.lc.linePos(range[0]).line : undefined;
    };
    best = lineAt(node) ?? best;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        best = lineAt(pair.key) ?? best;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (item === undefined) break;
        best = lineAt(item) ?? best;
        node = item;
      } else break;
    }
    return best;
  };
}

/**
 * Parsed files by path, reused while their text is unchanged: `gitfed watch` re-renders on every
 * save and would otherwise parse the whole fleet again for one edited file. The engines never
 * modify source objects, so sharing them between renders is safe.
 */
export class ParseCache {
  private readonly files = new Map<string, { text: string; result: LoadResult }>();

  load(file: string, text: string): LoadResult {
    const hit = this.files.get(file);
    if (hit && hit.text === text) return hit.result;
    const result = loadFile(file, text);
    this.files.set(file, { text, result });
    return result;
  }

  /** Forget files that are gone. */
  retain(paths: ReadonlySet<string>): void {
    for (const p of this.files.keys()) if (!paths.has(p)) this.files.delete(p);
  }
}
