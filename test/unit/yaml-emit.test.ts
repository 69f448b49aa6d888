/**
 * The fast emitter against js-yaml's dump with gitfed's options: the same bytes on the golden
 * corpus, on both shapes of the benchmark fleet, on hand-picked strings at every edge of YAML's
 * quoting rules, and on seeded random documents. Any difference would change tree ids.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { buildModel, fleetFiles } from '../../bench/render/fleet.js';
import { Rng } from '../../bench/render/prng.js';
import { emitBranches, YamlCache } from '../../src/render/emit.js';
import { ParseCache } from '../../src/render/load.js';
import { renderFleet } from '../../src/render/render.js';
import type { KubeObject } from '../../src/render/types.js';
import { dumpYaml } from '../../src/render/yaml-emit.js';
import { KUBE_YAML_SCHEMA } from '../../src/yaml-schema.js';

const OPTIONS: jsyaml.DumpOptions = { lineWidth: -1, noRefs: true, quotingType: '"', schema: KUBE_YAML_SCHEMA };
const golden = new URL('../golden/', import.meta.url).pathname;

/** A fleet of the benchmark's shape and its second revision: five images bumped, one file gone. */
function twoRevisions(shape: 'shared' | 'distinct'): [ReadonlyMap<string, string>, ReadonlyMap<string, string>] {
  const first = fleetFiles(buildModel({ clusters: 30, objects: 200, seed: 5, shape }));
  const second = new Map(first);
  const withImage = [...second.keys()].filter((p) => /image: \S+:\S+/.test(second.get(p)!));
  for (const p of withImage.slice(0, 5)) second.set(p, second.get(p)!.replace(/(image: \S+):(\S+)/, '$1:$2-next'));
  second.delete(withImage[5]!);
  return [first, second];
}

/** Counts the texts the emitter writes. */
class CountingYaml extends YamlCache {
  calls = 0;
  override yaml(obj: KubeObject, base?: KubeObject): string {
    this.calls++;
    return super.yaml(obj, base);
  }
}

function same(value: unknown): void {
  expect(dumpYaml(value)).toBe(jsyaml.dump(value, OPTIONS));
}

async function yamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(join(e.parentPath, e.name));
  }
  return out.sort();
}

const TRICKY = [
  '', ' ', '  ', 'a ', ' a', 'a  b', 'a:', ':a', 'a:b', 'a: b', 'a :b', 'a::b', 'http://x.example/a?b=c#d', '#a', 'a#b', 'a #b', 'a# b',
  '-', '-a', '- a', 'a-', '--', '---', '...', '?', '?a', 'a?', ':', '::', ',', 'a,b', '[a]', 'a[0]', '{a}', 'a{b}', '*a', '&a', '!a', '|a',
  '>a', "'a", "a'", "it's", '"a', 'say "hi"', '%a', '@a', '`a', '=a', 'a=', '=', '<<', '<<a', '<', 'a\\b', '\\',
  'true', 'True', 'TRUE', 'tRUE', 'false', 'y', 'Y', 'yes', 'Yes', 'YES', 'yEs', 'n', 'no', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'oN',
  '~', 'null', 'Null', 'NULL', 'nULL', 'none', '0', '00', '007', '-1', '+1', '1_000', '_1', '1_', '0x1F', '0X1F', '0o17', '0b101', '0b102', '0xG',
  '1.0', '1.', '.5', '-.5', '+.5', '1e3', '1E3', '1e+3', '1.5e-3', '1_0.5', '1.5_', '.inf', '-.inf', '+.Inf', '.INF', '.nan', '.NaN', '.NAN', '.Nan', 'inf', 'nan',
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '2001-1-1', '20011214', '1:20', '190:20:30', '1:20.5', '_:_', '+1:1', '-1:1',
  '100m', '128Mi', '1.21.3', 'v1', 'apps/v1', 'registry.example.com/app:1.2.3', 'a b c', 'a  ', 'trailing\t', '\tleading', 'mid\tdle',
  'a\nb', '\na', ' a\nb', '\n a', '\n\n a', 'a\n', 'a\n\n', 'a\n\n\n', '\n', '\n\n', 'a\r\nb', 'a\rb', 'a\n\tb', '  a\n  b\n', 'a\n#b', 'key: value\nother: x\n',
  '\u0000', '\u0007', '\u001b', '\u007f', '\u0080', '\u0085', '\u00a0', '\u00a1', 'é', 'naïve', '日本語', '\u2028', '\u2029', '\ufeff', '\ufeffa', 'a\ufeff',
  '\ufffe', '\uffff', '\ue000', '😀', 'a😀b', '\ud800', '\udc00', 'a\ud800b', '\ud83d', '😀\n😀', ' 😀', 'a:😀', 'x'.repeat(2000),
];

describe('dumpYaml', () => {
  it('writes every file of the golden corpus exactly as it is', async () => {
    const files = await yamlFiles(golden);
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      // An imported file opens with comment lines saying where it came from; the emitter wrote the rest.
      const text = (await readFile(f, 'utf8')).replace(/^(#[^\n]*\n)+/, '');
      const value = jsyaml.load(text);
      // A SOPS-encrypted file is on the branch as committed, not as gitfed writes YAML.
      if (/^sops:/m.test(text)) continue;
      expect(dumpYaml(value), f).toBe(text);
      same(value);
    }
  });

  it('quotes, blocks and escapes every tricky string as js-yaml does, as a value and as a key', () => {
    for (const s of TRICKY) {
      same(s);
      same({ s });
      same({ [s]: s });
      same({ a: { b: [s, [s], { [s]: [s] }] } });
      same([s, { k: s }]);
    }
  });

  it('writes numbers, booleans, null, empty collections and undefined members alike', () => {
    same({ n: [0, -0, 1, -1, 1.5, -1.5, 0.1 + 0.2, 1e21, 1e-7, 5e-324, 2 ** 53, -(2 ** 60), NaN, Infinity, -Infinity, 1e100, 123456789.125] });
    same({ t: true, f: false, z: null, e: {}, a: [], nested: { e: {}, a: [], aa: [[]], am: [{}], deep: [[1, [2, []]], { x: [] }] } });
    same({ gone: undefined, kept: 1, list: [undefined, 1, null] });
    same({ onlyGone: undefined });
    same([]);
    same({});
    same('top');
    same(42);
    same(null);
    same(undefined);
    same([[['a']], [{ a: 1, b: [{ c: 2 }] }], [[], {}]]);
    same(Object.assign(Object.create(null) as object, { a: 1, b: { c: 'd' } }));
    same({ 1: 'a', 0: 'b', z: 'c', '-1': 'd' });
  });

  it('hands what is not JSON data to js-yaml, which refuses what the Kubernetes schema has no type for', () => {
    same({ ['k'.repeat(1100)]: 'explicit pair' });
    for (const odd of [new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), new Uint8Array([1, 2, 3]), () => 1]) {
      expect(() => jsyaml.dump({ odd }, OPTIONS)).toThrow(/unacceptable kind/);
      expect(() => dumpYaml({ odd })).toThrow(/unacceptable kind/);
    }
  });

  it('agrees with js-yaml on every printable ASCII string of one and two characters, and each followed by a word', () => {
    const chars = Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i));
    for (const a of chars) {
      same(a);
      same(a + 'es');
      same(a + 'ull');
      for (const b of chars) same(a + b);
    }
  });

  it('agrees with js-yaml on seeded random documents', () => {
    const rng = new Rng(7);
    const alphabet = ['a', 'b', 'Z', '0', '1', '9', ' ', ' ', ':', '#', '-', '?', ',', '[', '}', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', '.', '_', '+', '~', '<', '\\', '/', '\n', '\n', '\t', '\r', '\u0085', '\u00a0', 'é', '\u2028', '\ufeff', '😀', '\ud800', 'e', 'x', 'n', 'y', 'T'];
    const word = (): string => {
      if (rng.chance(0.15)) return rng.pick(TRICKY);
      let s = '';
      for (let n = rng.int(0, 8); n > 0; n--) s += rng.pick(alphabet);
      return s;
    };
    const value = (depth: number): unknown => {
      const r = rng.next();
      if (depth > 4 || r < 0.45) return rng.chance(0.8) ? word() : rng.pick([0, 1, -3, 2.5, -0, NaN, 1e21, true, false, null]);
      if (r < 0.7) return Array.from({ length: rng.int(0, 4) }, () => value(depth + 1));
      const o: Record<string, unknown> = {};
      for (let n = rng.int(0, 4); n > 0; n--) o[word()] = value(depth + 1);
      return o;
    };
    for (let i = 0; i < 3000; i++) same(value(0));
  });

  it('writes a copy that shares subtrees with its template as js-yaml does, at whatever depth a shared subtree stands', () => {
    // A literal block is indented by its depth: its text kept for one depth must not serve another.
    const inner = { script: 'set -e\n  run\n', args: ['a: b', { deep: '\n x' }] };
    const template = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n', labels: { a: 'b' } }, data: inner, nested: { deeper: { again: inner } }, list: [inner, [inner]] };
    for (const cluster of ['one', 'two', 'three']) {
      const copy = { ...template, metadata: { ...template.metadata, labels: { ...template.metadata.labels, cluster } }, nested: { deeper: { again: inner, extra: cluster } } };
      expect(dumpYaml(copy, template)).toBe(jsyaml.dump(copy, OPTIONS));
      // A copy nothing wrote to is the template itself.
      expect(dumpYaml(template, template)).toBe(jsyaml.dump(template, OPTIONS));
    }
    const moved = { top: inner, under: { a: { b: inner } }, items: [[inner]] };
    expect(dumpYaml(moved, moved)).toBe(jsyaml.dump(moved, OPTIONS));
    expect(dumpYaml({ ...moved, top: 'written' }, moved)).toBe(jsyaml.dump({ ...moved, top: 'written' }, OPTIONS));
  });

  it('agrees with js-yaml on seeded random copies of seeded random documents', () => {
    const rng = new Rng(13);
    const leaf = () => rng.pick([...TRICKY.slice(0, 60), 0, 1.5, true, null, 'x\ny\n']);
    const tree = (depth: number): unknown => {
      if (depth > 3 || rng.chance(0.3)) return leaf();
      if (rng.chance(0.4)) return Array.from({ length: rng.int(1, 3) }, () => tree(depth + 1));
      const o: Record<string, unknown> = {};
      for (let n = rng.int(1, 4); n > 0; n--) o[`k${rng.int(0, 5)}`] = tree(depth + 1);
      return o;
    };
    // A copy as the engines make one: containers on the way to a write copied, the rest shared.
    const copyOf = (v: unknown): unknown => {
      if (v === null || typeof v !== 'object' || rng.chance(0.5)) return rng.chance(0.2) ? leaf() : v;
      if (Array.isArray(v)) return v.map(copyOf);
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyOf(x)]));
    };
    for (let i = 0; i < 500; i++) {
      const template = tree(0);
      for (let c = 0; c < 3; c++) {
        const copy = copyOf(template);
        expect(dumpYaml(copy, template)).toBe(jsyaml.dump(copy, OPTIONS));
      }
    }
  });

  for (const shape of ['shared', 'distinct'] as const) {
    it(`writes every object of the ${shape} benchmark fleet as js-yaml does`, () => {
      const model = buildModel({ clusters: 12, objects: 120, seed: 3, shape });
      const result = renderFleet(fleetFiles(model));
      expect(result.rendered.length).toBeGreaterThan(500);
      for (const r of result.rendered) same(r.obj);
      // And as the emitter writes them from their templates.
      for (const r of result.rendered) expect(dumpYaml(r.obj, r.base)).toBe(jsyaml.dump(r.obj, OPTIONS));
      // And every source document the generator wrote, which holds the overrides and policies.
      for (const docs of model.sources.values()) for (const d of docs) same(d);
    });

    it(`emits a second revision of the ${shape} fleet alike when it keeps the texts of the first`, () => {
      const [first, second] = twoRevisions(shape);
      const parse = new ParseCache();
      const before = renderFleet(first, { parse });
      const fresh = renderFleet(second);
      const written = new CountingYaml(undefined, true);
      const kept = renderFleet(second, { parse, yaml: written, previous: before.branches });
      expect(kept.branches).toEqual(fresh.branches);
      // Most objects render as before and keep their text; the bumped ones, at least, are written.
      expect(written.calls).toBeGreaterThan(0);
      expect(written.calls).toBeLessThan(kept.rendered.length / 4);
    });

    it(`diffs two revisions of the ${shape} fleet alike when texts are written on read, writing only the changed files'`, async () => {
      const { diffOutputs } = await import('../../src/render/diff.js');
      const { formatDiff } = await import('../../src/format/diff.js');
      const { reviewDiff } = await import('../../src/render/diff-review.js');
      const [first, second] = twoRevisions(shape);
      const eager = diffOutputs(renderFleet(first).branches, renderFleet(second).branches, { base: 'a', head: 'b' });
      const parse = new ParseCache();
      const written = new CountingYaml(undefined, true);
      const a = renderFleet(first, { parse, yaml: written, textsOnRead: true });
      const b = renderFleet(second, { parse, yaml: written, textsOnRead: true });
      expect(written.calls).toBe(0);
      const lazy = diffOutputs(a.branches, b.branches, { base: 'a', head: 'b' });
      for (const format of ['markdown', 'json', 'text'] as const) expect(formatDiff(lazy, reviewDiff(lazy), format)).toBe(formatDiff(eager, reviewDiff(eager), format));
      const changes = lazy.clusters.reduce((n, c) => n + c.changes.length, 0);
      expect(changes).toBeGreaterThan(20);
      // A changed file's text on each side, once; nothing else.
      expect(written.calls).toBeLessThanOrEqual(2 * changes);
      // Read whole, the files are the eager render's, in the same order.
      const whole = renderFleet(second);
      expect(b.branches.map((br) => br.clusters.map((c) => [...c.files]))).toEqual(whole.branches.map((br) => br.clusters.map((c) => [...c.files])));
      expect(b.branches.flatMap((br) => br.clusters.map((c) => c.digest))).toEqual(b.branches.flatMap((br) => br.clusters.map(() => '')));
    });

    it(`emits the ${shape} fleet alike whether a one-off render stops keying by content or not`, () => {
      const r = renderFleet(fleetFiles(buildModel({ clusters: 30, objects: 200, seed: 5, shape })));
      expect(r.rendered.length).toBeGreaterThan(3000);
      const withoutTemplates = r.rendered.map(({ base: _, ...rest }) => rest);
      expect(emitBranches(r.rendered, r.clusters, r.config)).toEqual(emitBranches(withoutTemplates, r.clusters, r.config, new YamlCache()));
    });
  }
});
