/**
 * @module fleet/yaml-text
 * New documents the verbs write: keys in the order given, double quotes where YAML needs them,
 * no line folding, and the loader's schema so that what is written reads back the same.
 */
import jsyaml from 'js-yaml';
import { KUBE_YAML_SCHEMA } from '../render/load.js';

export function dumpDocument(obj: unknown): string {
  return jsyaml.dump(obj, { lineWidth: -1, noRefs: true, quotingType: '"', schema: KUBE_YAML_SCHEMA });
}

/** Several documents as one file, `---` between them. */
export function dumpDocuments(objs: readonly unknown[]): string {
  return objs.map(dumpDocument).join('---\n');
}

/** `text` with `doc` appended as a further document, the existing bytes untouched. */
export function appendDocument(text: string, doc: string): string {
  if (text.trim() === '') return doc;
  return `${text}${text.endsWith('\n') ? '' : '\n'}---\n${doc}`;
}
