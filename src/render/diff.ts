/**
 * What a change does to every cluster's rendered output: objects added, changed and removed per
 * cluster, with unified YAML diffs of the changed ones. Pure: two sets of output branches in, a
 * report out. Secret values never appear in a diff.
 *
 * Fleets repeat themselves (the same object, changed the same way, on hundreds of clusters), so
 * everything derived from a file's text (its parse, its diff) is computed once per distinct text
 * or pair of texts, and unified diffs only when someone reads them.
 */
// The module itself, not the package's index, which loads every kind of diff (19 modules) at start-up.
import { createTwoFilesPatch } from 'diff/lib/patch/create.js';
import jsyaml from 'js-yaml';
import { formatRef } from '../object.js';
import { objectsOf } from './emit.js';
import { FilesOnRead } from './files-on-read.js';
import { sameValue } from './same-value.js';
import type { BranchOutput } from './types.js';

export type ChangeAction = 'added' | 'changed' | 'removed';

export interface ObjectChange {
  readonly action: ChangeAction;
  /** Path of the object's file in its branch. */
  readonly path: string;
  /** Path of the file inside its cluster's directory (`shop/deployment.apps-web.yaml`): the same object on every cluster. */
  readonly key: string;
  /** `Kind/namespace/name`. */
  readonly object: string;
  /** The object's text before and after (absent when added or removed), Secret values masked. */
  readonly before?: string;
  readonly after?: string;
  /** Unified diff (changed), or the whole object prefixed +/- (added/removed); Secret values masked. */
  readonly diff: string;
}

export interface ClusterDiff {
  readonly cluster: string;
  readonly branch: string;
  /** The cluster joined or left the fleet (or this output) with this change. */
  readonly status: 'new' | 'gone' | 'kept';
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  readonly changes: readonly ObjectChange[];
}

export interface FleetDiff {
  readonly base: string;
  readonly head: string;
  readonly clusters: readonly ClusterDiff[];
  readonly changed: boolean;
  /** Clusters on either side, changed or not. */
  readonly clustersTotal?: number;
  /** For every object key a change touches: on how many clusters the object is, before and after. */
  readonly presence?: ReadonlyMap<string, { readonly before: number; readonly after: number }>;
  /** The parsed value of a text of this diff, parsed once (undefined where it does not parse). */
  readonly parse?: (yaml: string) => unknown;
}

interface Side {
  branch: string;
  dir: string;
  files: ReadonlyMap<string, string>;
  digest: string;
}

function clustersOf(branches: readonly BranchOutput[]): Map<string, Side> {
  const m = new Map<string, Side>();
  for (const b of branches) for (const c of b.clusters) m.set(`${b.branch}\0${c.cluster}`, { branch: b.branch, dir: c.dir, files: c.files, digest: c.digest });
  return m;
}

/** A file's path inside its cluster directory. */
function keyOf(path: string, dir: string): string {
  return path.startsWith(dir + '/') ? path.slice(dir.length + 1) : path;
}

/**
 * A parser of YAML texts that parses each distinct text once; undefined for one that does not
 * parse. `parsed` may hold texts whose value is known already (the objects they were emitted from).
 */
export function memoParse(parsed = new Map<string, unknown>()): (yaml: string) => unknown {
  return (yaml) => {
    if (!parsed.has(yaml)) {
      let v: unknown;
      try {
        // The texts are gitfed's own output, which quotes every string another reader could take
        // for something else: the core schema reads them alike, without the default schema's
        // timestamp, merge and binary types, and a quarter faster over a fleet's changed files.
        v = jsyaml.load(yaml, { schema: jsyaml.CORE_SCHEMA });
      } catch {
        v = undefined;
      }
      parsed.set(yaml, v);
    }
    return parsed.get(yaml);
  };
}

/**
 * A value per pair of texts, keyed by one text and then the other: a key made of both would copy
 * both texts (kilobytes) for every change of a large diff only to look it up.
 */
export class PairMap<V> {
  private readonly outer = new Map<string, Map<string, V>>();

  get(a: string, b: string): V | undefined {
    return this.outer.get(a)?.get(b);
  }

  set(a: string, b: string, v: V): void {
    let inner = this.outer.get(a);
    if (!inner) this.outer.set(a, (inner = new Map()));
    inner.set(b, v);
  }
}

/** Lines of context around a change, as `diff -u`. */
const CONTEXT = 3;

/**
 * The hunk jsdiff writes for two texts that differ in one line alone (an image tag, a replica
 * count: the change a fleet-wide diff repeats on every cluster), made without its O(ND) search,
 * which was most of the time of a 500-cluster diff's full form. Made only where one alignment of
 * the two texts has the fewest edits (the line before and the line after differ from the old line
 * and the new one), since then every minimal diff, jsdiff's too, finds that line and no other;
 * undefined where that does not hold or the texts differ otherwise.
 */
export function oneLineHunk(before: string, after: string, context: number): string | undefined {
  // jsdiff also ends lines at \r\n, and marks a last line without \n: those are left to it.
  if (!before.endsWith('\n') || !after.endsWith('\n') || before.includes('\r') || after.includes('\r')) return undefined;
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length !== b.length) return undefined;
  // The last element is the empty rest after the final \n.
  const n = a.length - 1;
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  if (i === n) return undefined;
  let j = n - 1;
  while (a[j] === b[j]) j--;
  if (j !== i) return undefined;
  const was = a[i]!;
  const now = b[i]!;
  if (i > 0 && (a[i - 1] === was || a[i - 1] === now)) return undefined;
  if (i + 1 < n && (a[i + 1] === was || a[i + 1] === now)) return undefined;
  const start = Math.max(0, i - context);
  const end = Math.min(n, i + context + 1);
  let hunk = `@@ -${start + 1},${end - start} +${start + 1},${end - start} @@\n`;
  for (let k = start; k < end; k++) hunk += k === i ? `-${was}\n+${now}\n` : ` ${a[k]}\n`;
  return hunk;
}

/** Derived values of texts and text pairs, shared by every change of one diff. */
class TextCache {
  private readonly described = new Map<string, string>();
  private readonly masked = new Map<string, [string | undefined, string | undefined]>();
  private readonly patches = new PairMap<string>();
  private readonly parsed = new Map<string, unknown>();

  readonly parse = memoParse(this.parsed);

  /** The value of `yaml` is `value` (the object it was emitted from, on this thread): not parsed again. */
  know(yaml: string, value: unknown): void {
    if (!this.parsed.has(yaml)) this.parsed.set(yaml, value);
  }

  describe(yaml: string): string {
    let d = this.described.get(yaml);
    if (d === undefined) this.described.set(yaml, (d = describe(this.parse(yaml))));
    return d;
  }

  mask(before: string | undefined, after: string | undefined): [string | undefined, string | undefined] {
    // Only a Secret is masked; telling one from its text spares parsing every other object.
    if (!isSecretText(before) && !isSecretText(after)) return [before, after];
    const k = `${before ?? ''}\0${after ?? ''}`;
    let m = this.masked.get(k);
    if (!m) this.masked.set(k, (m = maskSecrets(before, after)));
    return m;
  }

  /** The hunks of a pair, computed once; each cluster's diff only puts its own file names in front. */
  patch(path: string, before: string | undefined, after: string | undefined): string {
    let body = this.patches.get(before ?? '', after ?? '');
    if (body === undefined) {
      body = before !== undefined && after !== undefined ? oneLineHunk(before, after, CONTEXT) : undefined;
      if (body === undefined) {
        const p = createTwoFilesPatch('a', 'b', before ?? '', after ?? '', undefined, undefined, { context: CONTEXT });
        const at = p.indexOf('\n@@');
        body = at < 0 ? '' : p.slice(at + 1);
      }
      this.patches.set(before ?? '', after ?? '', body);
    }
    return `--- ${before === undefined ? '/dev/null' : 'a/' + path}\n+++ ${after === undefined ? '/dev/null' : 'b/' + path}\n${body}`;
  }
}

const SECRET = /^kind: Secret$/m;
// The substring search first: it rules out nearly every text faster than the line-anchored pattern.
const isSecretText = (s: string | undefined) => s !== undefined && s.includes('kind: Secret') && SECRET.test(s);

export function diffOutputs(base: readonly BranchOutput[], head: readonly BranchOutput[], labels: { base: string; head: string }): FleetDiff {
  const a = clustersOf(base);
  const b = clustersOf(head);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  const cache = new TextCache();
  const clusters: ClusterDiff[] = [];
  const touched = new Set<string>();
  for (const key of keys) {
    const cluster = key.split('\0')[1]!;
    const before = a.get(key);
    const after = b.get(key);
    // The same digest, the same files: a change that touches a few clusters compares only theirs.
    // (An empty digest is one nobody computed, as in hand-made outputs.)
    if (before && after && before.digest !== '' && before.digest === after.digest) continue;
    const oldFiles = before?.files ?? new Map<string, string>();
    const newFiles = after?.files ?? new Map<string, string>();
    // A side rendered on this thread still has the objects its texts were written from.
    const oldObjects = before && objectsOf(before.files);
    const newObjects = after && objectsOf(after.files);
    const onRead = oldFiles instanceof FilesOnRead || newFiles instanceof FilesOnRead;
    // Only the paths that differ are sorted: most of a cluster's files are the same on both sides.
    // Two objects equal keys in order are written as one text: their texts need not be read
    // (FilesOnRead writes a text only when it is read).
    const paths: string[] = [];
    for (const p of oldFiles.keys()) {
      if (!newFiles.has(p)) paths.push(p);
      else {
        const o = onRead ? oldObjects?.get(p) : undefined;
        const n = o && newObjects?.get(p);
        if (!(n && sameValue(o, n)) && oldFiles.get(p) !== newFiles.get(p)) paths.push(p);
      }
    }
    for (const p of newFiles.keys()) if (!oldFiles.has(p)) paths.push(p);
    paths.sort();
    const changes: ObjectChange[] = [];
    for (const p of paths) {
      const o = oldFiles.get(p);
      const n = newFiles.get(p);
      const action: ChangeAction = o === undefined ? 'added' : n === undefined ? 'removed' : 'changed';
      if (o !== undefined && oldObjects?.has(p)) cache.know(o, oldObjects.get(p));
      if (n !== undefined && newObjects?.has(p)) cache.know(n, newObjects.get(p));
      const [mo, mn] = cache.mask(o, n);
      const objectKey = keyOf(p, (after ?? before)!.dir);
      touched.add(objectKey);
      let diff: string | undefined;
      changes.push({
        action,
        path: p,
        key: objectKey,
        object: cache.describe(n ?? o!),
        ...(mo !== undefined ? { before: mo } : {}),
        ...(mn !== undefined ? { after: mn } : {}),
        get diff() {
          return (diff ??= cache.patch(p, mo, mn));
        },
      });
    }
    if (changes.length === 0 && before && after) continue;
    const count = { added: 0, changed: 0, removed: 0 };
    for (const c of changes) count[c.action]++;
    clusters.push({
      cluster,
      branch: (after ?? before)!.branch,
      status: !before ? 'new' : !after ? 'gone' : 'kept',
      ...count,
      changes,
    });
  }
  return { base: labels.base, head: labels.head, clusters, changed: clusters.length > 0, clustersTotal: keys.length, presence: presenceOf(touched, a, b), parse: cache.parse };
}

function presenceOf(touched: ReadonlySet<string>, a: ReadonlyMap<string, Side>, b: ReadonlyMap<string, Side>): Map<string, { before: number; after: number }> {
  const out = new Map<string, { before: number; after: number }>([...touched].map((k) => [k, { before: 0, after: 0 }]));
  if (out.size === 0) return out;
  const count = (sides: ReadonlyMap<string, Side>, field: 'before' | 'after') => {
    for (const s of sides.values()) for (const k of touched) if (s.files.has(`${s.dir}/${k}`)) out.get(k)![field]++;
  };
  count(a, 'before');
  count(b, 'after');
  return out;
}

function describe(value: unknown): string {
  const o = value as { kind?: string; metadata?: { name?: string; namespace?: string } } | undefined;
  if (!o || typeof o !== 'object') return '(unparseable)';
  return formatRef({ kind: String(o.kind), namespace: o.metadata?.namespace ?? '', name: String(o.metadata?.name) });
}

/**
 * Secret values are replaced on both sides: equal values by the same mask, different values by
 * different masks, so the diff shows that a key changed without showing either value (as Argo CD does).
 */
export function maskSecrets(before: string | undefined, after: string | undefined): [string | undefined, string | undefined] {
  const parse = (s: string | undefined) => {
    if (s === undefined) return undefined;
    try {
      return jsyaml.load(s) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };
  const o = parse(before);
  const n = parse(after);
  const isSecret = (x: Record<string, unknown> | undefined) => x?.kind === 'Secret' && x.apiVersion === 'v1';
  if (!isSecret(o) && !isSecret(n)) return [before, after];
  const masks = new Map<string, string>();
  const maskFor = (field: string, key: string, value: unknown, side: 'old' | 'new', other: unknown) => {
    const same = JSON.stringify(value) === JSON.stringify(other);
    const id = `${field}.${key}:${same ? 'same' : side}`;
    if (!masks.has(id)) masks.set(id, same ? '********' : side === 'old' ? '******** (old value)' : '******** (new value)');
    return masks.get(id)!;
  };
  const mask = (x: Record<string, unknown> | undefined, other: Record<string, unknown> | undefined, side: 'old' | 'new') => {
    if (!x || !isSecret(x)) return x === undefined ? undefined : jsyaml.dump(x, { lineWidth: -1, noRefs: true, quotingType: '"' });
    const copy: Record<string, unknown> = { ...x };
    for (const field of ['data', 'stringData']) {
      const m = x[field] as Record<string, unknown> | undefined;
      if (!m || typeof m !== 'object') continue;
      const om = (other?.[field] ?? {}) as Record<string, unknown>;
      copy[field] = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, maskFor(field, k, v, side, om[k])]));
    }
    return jsyaml.dump(copy, { lineWidth: -1, noRefs: true, quotingType: '"' });
  };
  return [mask(o, n, 'old'), mask(n, o, 'new')];
}
