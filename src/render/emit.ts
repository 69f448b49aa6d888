/**
 * Turns the rendered objects into the output trees: one directory per cluster, one object per
 * file, files sorted by path, YAML with apiVersion/kind/metadata first. Same input, same bytes.
 */
import { createHash } from 'node:crypto';
import { remember } from '../memo.js';
import { resolveWaves, type RolloutPolicy } from '../rollout/policy.js';
import { dumpYaml } from './yaml-emit.js';
import { matchesSelector } from './selector.js';
import { FilesOnRead } from './files-on-read.js';
import { sameValue } from './same-value.js';
import { fileNameOf } from './keys.js';
import { expandTemplate } from './paths.js';
import type { BranchOutput, Cluster, ClusterOutput, FleetConfig, KubeObject, RenderedObject } from './types.js';

const HEAD_KEYS = ['apiVersion', 'kind', 'metadata'];
const METADATA_HEAD = ['name', 'namespace', 'labels', 'annotations'];

/** Conventional key order on top, the rest as the author wrote it. */
function ordered(obj: KubeObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of HEAD_KEYS) if (obj[k] !== undefined) out[k] = obj[k];
  const md: Record<string, unknown> = {};
  for (const k of METADATA_HEAD) if (obj.metadata[k] !== undefined) md[k] = obj.metadata[k];
  for (const [k, v] of Object.entries(obj.metadata)) if (!Object.hasOwn(md, k)) md[k] = v;
  out.metadata = md;
  for (const [k, v] of Object.entries(obj)) if (!Object.hasOwn(out, k)) out[k] = v;
  return out;
}

/** Whether the keys of `o` that `head` names come first and in that order, so `ordered` would change nothing. */
function headFirst(o: object, head: readonly string[]): boolean {
  let next = 0;
  let other = false;
  for (const k in o) {
    const at = head.indexOf(k);
    if (at < 0) other = true;
    else if (other || at < next) return false;
    else next = at + 1;
  }
  return true;
}

/** Whether `obj` is written in its own key order: most are (engines build them so), and need no copy. */
function inOwnOrder(obj: KubeObject): boolean {
  return headFirst(obj, HEAD_KEYS) && headFirst(obj.metadata, METADATA_HEAD);
}

/** The loader's schema decides which strings need quotes, so that kubectl reads back exactly the values rendered. */
export function toYaml(obj: KubeObject, base?: KubeObject): string {
  return dumpYaml(inOwnOrder(obj) ? obj : ordered(obj), base);
}

/**
 * YAML text by object content. A federated object is identical on most of its clusters (100
 * clusters x 1,000 objects emit about 62,000 files from about 3,300 distinct contents), and
 * dumping is most of a render, so each content is dumped once. The key is the object's JSON: the
 * loader's schema yields only JSON types, so equal JSON means equal YAML. Kept between renders
 * (watch) up to a bound, then started afresh.
 */
export class YamlCache {
  private readonly byJson = new Map<string, string>();
  private lookups = 0;
  private hits = 0;
  /**
   * @param oneShot for a single render: copies of a template are not keyed (see yaml()), and when
   * a quarter or less of the first 2,000 other objects repeat, keying stops, costing more than it saves.
   */
  constructor(private readonly limit = 200_000, private readonly oneShot = false) {}

  /** `base`: what `obj` was copied from (RenderedObject.base). */
  yaml(obj: KubeObject, base?: KubeObject): string {
    // A copy of a template shares its unchanged subtrees, whose text the emitter keeps by
    // identity: cheaper than a content key, which must stringify every object first.
    if (this.oneShot && (base !== undefined || (this.lookups >= 2000 && this.hits * 4 <= this.lookups))) return toYaml(obj, base);
    const key = JSON.stringify(obj);
    // JSON writes Infinity and NaN (YAML's .inf and .nan) as null: such a key is not exact.
    if (key.includes('null')) return toYaml(obj, base);
    this.lookups++;
    let text = this.byJson.get(key);
    if (text === undefined) text = remember(this.byJson, key, toYaml(obj, base), this.limit);
    else this.hits++;
    return text;
  }
}

/** sha256 over `path\0content\0` of every file, in path order. */
export function digestFiles(files: ReadonlyMap<string, string>): string {
  return digestSorted(new Map([...files.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))));
}

// The digest's input gathered in one buffer and hashed a buffer at a time: four updates per file
// (path, NUL, text, NUL) each crossed into C++ and encoded on its own.
const DIGEST_CHUNK = 1 << 16;
const digestBuffer = Buffer.allocUnsafe(DIGEST_CHUNK);

/** digestFiles for a map whose keys are already in order. */
function digestSorted(files: ReadonlyMap<string, string>): string {
  const h = createHash('sha256');
  let used = 0;
  const put = (s: string) => {
    if (s.length * 3 + 1 > DIGEST_CHUNK - used) {
      if (used > 0) h.update(digestBuffer.subarray(0, used));
      used = 0;
      if (s.length * 3 + 1 > DIGEST_CHUNK) {
        h.update(s).update('\0');
        return;
      }
    }
    used += digestBuffer.write(s, used, 'utf8');
    digestBuffer[used++] = 0;
  };
  for (const [p, c] of files) {
    put(p);
    put(c);
  }
  if (used > 0) h.update(digestBuffer.subarray(0, used));
  return h.digest('hex');
}

/**
 * The object each file of a cluster's output was written from, by the cluster's files: a diff
 * on the thread that rendered them reads these objects instead of parsing their texts again.
 * Only objects that read back from their text as themselves are here, keys in the same order (not
 * a SOPS-encrypted document, written as committed, nor one whose head keys the emitter reorders).
 */
const emittedFrom = new WeakMap<ReadonlyMap<string, string>, ReadonlyMap<string, KubeObject>>();

export function objectsOf(files: ReadonlyMap<string, string>): ReadonlyMap<string, KubeObject> | undefined {
  return emittedFrom.get(files);
}

export interface EmitOptions {
  /**
   * An earlier render's branches of this fleet (watch's last render): a file whose object equals
   * the one it was written from there keeps that text, unwritten.
   */
  readonly previous?: readonly BranchOutput[];
  /**
   * Texts are written when first read (FilesOnRead), and no digest is computed (''): for a diff
   * on this thread, which compares the objects and reads the texts of changed files only.
   */
  readonly onRead?: boolean;
}

/** Build every output branch. Clusters no output selects are absent from all branches. */
export function emitBranches(rendered: readonly RenderedObject[], clusters: readonly Cluster[], config: FleetConfig & { readonly rollout?: RolloutPolicy }, cache = new YamlCache(undefined, true), { previous, onRead = false }: EmitOptions = {}): BranchOutput[] {
  const before = new Map<string, ClusterOutput>();
  for (const b of previous ?? []) for (const c of b.clusters) before.set(`${b.branch}\0${c.cluster}`, c);
  const byCluster = new Map<string, RenderedObject[]>();
  for (const c of clusters) byCluster.set(c.name, []);
  for (const r of rendered) byCluster.get(r.cluster)?.push(r);

  const branches = new Map<string, ClusterOutput[]>();
  for (const spec of config.outputs) {
    for (const c of clusters) {
      if (spec.clusterSelector && !matchesSelector(spec.clusterSelector, c.labels)) continue;
      const branch = expandTemplate(spec.branch, c.name);
      const dir = expandTemplate(spec.dir, c.name);
      const objs = byCluster.get(c.name) ?? [];
      const entries = objs.map((r) => [`${dir}/${fileNameOf(r.obj)}`, r] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
      const objects = new Map<string, KubeObject>();
      // Only an object written in its own order reads back as itself, keys in the same order.
      // A SOPS-encrypted document keeps its committed bytes (its MAC covers them all): no object.
      for (const [path, r] of entries) if (r.text === undefined && inOwnOrder(r.obj)) objects.set(path, r.obj);
      let files: ReadonlyMap<string, string>;
      if (onRead) files = new FilesOnRead(new Map(entries), (r) => r.text ?? cache.yaml(r.obj, r.base));
      else {
        const was = before.get(`${branch}\0${c.name}`);
        const wasObjects = was && objectsOf(was.files);
        const texts = new Map<string, string>();
        for (const [path, r] of entries) {
          const same = r.text === undefined ? wasObjects?.get(path) : undefined;
          texts.set(path, r.text ?? (same !== undefined && sameValue(same, r.obj) ? was!.files.get(path)! : cache.yaml(r.obj, r.base)));
        }
        files = texts;
      }
      emittedFrom.set(files, objects);
      const list = branches.get(branch) ?? [];
      list.push({ cluster: c.name, dir, files, objects: files.size, digest: onRead ? '' : digestSorted(files), ...(c.context ? { context: c.context } : {}), ...labelsOf(c) });
      branches.set(branch, list);
    }
  }
  const policy = config.rollout;
  return [...branches.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([branch, cl]) => {
      const sorted = cl.sort((a, b) => (a.cluster < b.cluster ? -1 : 1));
      if (!policy) return { branch, clusters: sorted };
      // Each branch carries the waves of its own clusters, resolved here where their labels are known.
      const own = new Set(sorted.map((c) => c.cluster));
      return { branch, clusters: sorted, rollout: { failurePolicy: policy.failurePolicy, waves: resolveWaves(policy, clusters.filter((c) => own.has(c.name))) } };
    });
}

/** The cluster's labels, keys sorted so the metadata is stable; nothing when it has none. */
function labelsOf(c: Cluster): { labels?: Record<string, string> } {
  const keys = Object.keys(c.labels).sort();
  return keys.length ? { labels: Object.fromEntries(keys.map((k) => [k, c.labels[k]!])) } : {};
}
