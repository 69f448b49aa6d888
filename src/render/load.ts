/**
 * Reads the fleet repo's YAML into SourceObjects that remember where they came from, reading every
 * document as kubectl would (yaml/documents.ts) or refusing it with its file and line.
 */
import { RenderError } from '../errors.js';
import { KUBE_YAML_SCHEMA } from '../yaml-schema.js';
import { readDocuments } from '../yaml/documents.js';
import { sealSources } from './sealed.js';

export { KUBE_YAML_SCHEMA };
export { decodeFleetFile, tooLarge, MAX_FILE_BYTES } from '../yaml/text.js';
import type { KubeObject, SourceObject } from './types.js';

export interface LoadResult {
  readonly objects: SourceObject[];
  readonly errors: RenderError[];
}

/** Paths that are YAML by their name. */
export function isYamlPath(path: string): boolean {
  return path.endsWith('.yaml') || path.endsWith('.yml');
}

/** Parse one file. Objects without apiVersion/kind/metadata.name are schema errors, empty documents are skipped. */
export function loadFile(file: string, text: string): LoadResult {
  const objects: SourceObject[] = [];
  const { docs, errors } = readDocuments(file, text);
  for (const { value, line: docLine, lineOf } of docs) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
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
  return { objects: sealSources(file, text, docs.length, objects, errors), errors };
}

/** Why a required string field is not one: missing, or the type it has instead (a number or boolean that wanted quotes). */
function notAString(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? 'required string is empty' : undefined;
  if (value === undefined || value === null) return 'required string is missing';
  if (typeof value === 'object') return `must be a string, not ${Array.isArray(value) ? 'a list' : 'a mapping'}`;
  return `must be a string, not the ${typeof value} ${String(value)} (quote it: "${String(value)}")`;
}

function schemaProblem(v: unknown): { message: string; path: (string | number)[] } | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { message: 'a list item must be a Kubernetes object (a mapping)', path: [] };
  const o = v as Record<string, unknown>;
  // The path names the field itself when it is there, so the line is the culprit's.
  const at = (path: (string | number)[], fallback: (string | number)[], value: unknown) => (value === undefined ? fallback : path);
  const apiVersion = notAString(o.apiVersion);
  if (apiVersion) return { message: `field apiVersion: ${apiVersion}`, path: at(['apiVersion'], [], o.apiVersion) };
  const kind = notAString(o.kind);
  if (kind) return { message: `field kind: ${kind}`, path: at(['kind'], ['apiVersion'], o.kind) };
  const md = o.metadata as Record<string, unknown> | undefined;
  if (typeof md !== 'object' || md === null || Array.isArray(md)) return { message: `${o.kind}: field metadata: required mapping is missing`, path: ['kind'] };
  const name = notAString(md.name);
  if (name) return { message: `${o.kind}: field metadata.name: ${name}`, path: at(['metadata', 'name'], ['metadata'], md.name) };
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
