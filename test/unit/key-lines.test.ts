/**
 * Lines of fields found from js-yaml's parse events (yaml/key-lines) must be the lines the CST
 * resolver gives, on every mapping-key path of every YAML document the project carries, and on
 * documents written to trip it (comments, blank lines, anchors, flow style, quoted and odd keys).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cstLineResolver, lazyLineResolver, readDocuments } from '../../src/yaml/documents.js';
import { keyLineResolver } from '../../src/yaml/key-lines.js';

const root = new URL('../../', import.meta.url).pathname;

async function yamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(root, dir), { withFileTypes: true, recursive: true })) {
    if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(join(e.parentPath, e.name));
  }
  return out.sort();
}

/** Every path from the document's top to a mapping key, through mappings and list items; and to each item. */
function keyPaths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push([...prefix, i]);
      keyPaths(item, [...prefix, i], out);
    });
    return out;
  }
  if (value === null || typeof value !== 'object') return out;
  for (const k of Object.keys(value)) {
    const p = [...prefix, k];
    out.push(p);
    keyPaths((value as Record<string, unknown>)[k], p, out);
  }
  return out;
}

/** Each document's text as readDocuments splits it, with its first line. */
function chunksOf(text: string): { text: string; firstLine: number }[] {
  const lines = text.split('\n');
  const chunks: { text: string; firstLine: number }[] = [];
  let start = 0;
  lines.forEach((l, i) => {
    if (/^---[ \t]*(?:#.*)?$/.test(l.replace(/\r$/, ''))) {
      if (i > start) chunks.push({ text: lines.slice(start, i).join('\n'), firstLine: start + 1 });
      start = i + 1;
    }
  });
  if (start < lines.length) chunks.push({ text: lines.slice(start).join('\n'), firstLine: start + 1 });
  return chunks;
}

function compare(text: string, file = 'doc.yaml'): number {
  let checked = 0;
  for (const chunk of chunksOf(text)) {
    const { docs } = readDocuments(file, chunk.text);
    if (docs.length !== 1) continue;
    const fast = lazyLineResolver(chunk);
    const cst = cstLineResolver(chunk);
    for (const path of [...keyPaths(docs[0]!.value), ['no-such-field'], ['metadata', 'no-such-field'], ['spec', 99, 'name']]) {
      expect(fast(path), `${file}:${chunk.firstLine} ${path.join('.')}`).toBe(cst(path));
      checked++;
    }
  }
  return checked;
}

describe('key lines from js-yaml events', () => {
  it('agree with the CST on every key path of every YAML file in the repository', async () => {
    let checked = 0;
    for (const dir of ['examples', 'test', 'deploy', 'docs']) {
      for (const f of await yamlFiles(dir).catch(() => [] as string[])) checked += compare(await readFile(f, 'utf8'), f);
    }
    expect(checked).toBeGreaterThan(2000);
  });

  it('agree with the CST where comments, blank lines, anchors, flow style and odd keys stand between', () => {
    const docs = [
      'apiVersion: v1\nkind: ConfigMap\n\n# a comment\nmetadata:\n  # another\n\n  name: x\n  labels: {a: b, "c": d}\ndata:\n  k: |\n    spec:\n      apiEndpoint: fake\n  apiEndpoint: real\n',
      '# leading comment\n\napiVersion: core.kubefed.io/v1beta1\nkind: KubeFedCluster\nmetadata: {name: m, namespace: kube-federation-system}\nspec:\n  apiEndpoint:   https://m:6443   # trailing\n  secretRef:\n    name: m-token\n',
      'a: &x\n  b: 1\n  c: {d: [1, 2]}\ne: *x\nf:\n  <<: *x\n  g: 2\n"h i": 3\n\'j\': 4\n? k\n: 5\nl:\n- m: 6\n',
      'spec:\n  0x10: a\n  "16": b\n  yes: c\n  "true": d\n  null: e\n  ~: f\n  1.5: g\n',
      'top:\n  dup: 1\n  dup: 2\n  nested:\n    - a: 1\n    -\n      b: 2\n    - [x, {y: 1}]\n    - &n\n      c: 3\n    - *n\n    -   # note\n\n      d: 4\n',
      '%YAML 1.1\n---\nx: 1\n',
      '!!map\nx: !!str 1\ny: &a !!map\n  z: 2\n',
    ];
    for (const d of docs) compare(d);
  });

  it('leave to the CST a path that ends at a list item, passes a key that is not a plain string, or is not there', () => {
    const at = keyLineResolver('a:\n  - b: 1\nc: {d: e}\n2: x\nf: g\n');
    expect(at(['a', 0, 'b'])).toBe(1);
    expect(at(['a', 0])).toBeUndefined();
    expect(at(['a', 1, 'b'])).toBeUndefined();
    expect(at(['2'])).toBeUndefined();
    // Past a key js-yaml read as a number, the CST decides which pair is first.
    expect(at(['f'])).toBeUndefined();
    expect(at(['c', 'nope'])).toBeUndefined();
    expect(at(['c', 'd'])).toBe(2);
    expect(at(['c'])).toBe(2);
    expect(at([])).toBeUndefined();
  });
});
