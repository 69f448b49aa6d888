/**
 * The schema corpus (test/corpus/schema): documents gitfed checks against their kind's schema, in
 * three classes: accepted/ (the API server takes them), refused/ (it refuses them; the header
 * `# gitfed: CODE` names the error gitfed gives), server-only/ (the API server refuses them by a
 * rule of its own validation code that no schema states; gitfed accepts them, a known limit).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFile } from '../../src/render/load.js';
import { TemplateSchemas } from '../../src/render/schema/templates.js';

export const SCHEMA_CORPUS = new URL('../corpus/schema/', import.meta.url).pathname;
export const CORPUS_NAMESPACE = 'schema-corpus';

export interface SchemaCase {
  /** `refused/replicas-string.yaml`, the path gitfed names. */
  readonly name: string;
  readonly path: string;
  readonly cls: 'accepted' | 'refused' | 'server-only';
  readonly why: string;
  /** The code gitfed must give (refused/ only). */
  readonly code?: string;
}

export function schemaCases(): SchemaCase[] {
  const out: SchemaCase[] = [];
  for (const cls of ['accepted', 'refused', 'server-only'] as const) {
    for (const f of readdirSync(join(SCHEMA_CORPUS, cls)).sort()) {
      const path = join(SCHEMA_CORPUS, cls, f);
      const text = readFileSync(path, 'utf8');
      const why = /^# why: (.+)$/m.exec(text)?.[1];
      const code = /^# gitfed: (\w+)$/m.exec(text)?.[1];
      if (!why || (cls === 'refused') !== (code !== undefined)) throw new Error(`${cls}/${f}: needs a "# why:" line, and a "# gitfed: CODE" line exactly when refused`);
      out.push({ name: `${cls}/${f}`, path, cls, why, ...(code ? { code } : {}) });
    }
  }
  return out;
}

/** The CRDs the corpus' custom resources need, as source documents. */
export function corpusCrds() {
  return loadFile('crds/widgets.yaml', readFileSync(join(SCHEMA_CORPUS, 'crds/widgets.yaml'), 'utf8')).objects;
}

/** What gitfed says of a corpus document: its errors, as `file:line: message [Code]`. */
export function gitfedVerdict(c: SchemaCase): { code: string; line: string }[] {
  const r = loadFile(c.name, readFileSync(c.path, 'utf8'));
  const schemas = new TemplateSchemas(corpusCrds());
  return [
    ...r.errors.map((e) => ({ code: e.code, line: e.format() })),
    ...r.objects.flatMap((o) => schemas.check(o.obj).filter((f) => f.severity === 'error').map((f) => ({ code: f.code, line: `${c.name}:${o.lineOf(f.path)}: ${f.message}` }))),
  ];
}
