/**
 * Which source documents a change between two revisions can reach, so that a diff renders only
 * those on each side. Two kinds of document:
 *
 * - Fleet-wide ones (gitfed.yaml, clusters, namespaces, CRDs, type configs, Karmada policies) can
 *   change any object's output: they are always rendered, and when one of them changes the whole
 *   fleet is rendered on both sides.
 * - Templates and Federated objects (and RSPs) reach one another only by name: an HPA names its
 *   workload, a workload the ConfigMaps Karmada's propagateDeps carries along, an RSP shares its
 *   object's name, `gitfed.io/depends-on` names its targets, and two objects meet in one file
 *   or one identity only when one name ends with the other. So from the documents of the changed
 *   files, a file is taken in when its text mentions a name taken in, when a document taken in
 *   mentions a name it defines, or when one of its names ends another taken in (or the other way
 *   round); until nothing more is taken in.
 *
 * A file left out holds the same documents on both sides, each related only to documents left
 * out too, and renders alike on both: it cannot be part of the diff. Anything this module cannot
 * read with that certainty (a file that does not parse, an odd name, a changed fleet-wide
 * document) asks for the whole fleet. Pure: texts in, a choice out.
 */
import { groupOf, type KubeObject } from '../object.js';
import { CONFIG_FILE, parseConfig } from './config.js';
import { isFleetPath } from './fleet-paths.js';
import { isClusterDocument } from './inventory.js';
import { isFileNameCut } from './keys.js';
import type { ParseCache } from './load.js';
import { sameValue } from './same-value.js';
import type { SourceObject } from './types.js';

export type Selection =
  | {
      /** Whether a document of either side is rendered. */
      readonly select: (o: SourceObject) => boolean;
      /** Files with templates or Federated objects rendered, of all such files on both sides. */
      readonly files: { readonly rendered: number; readonly total: number };
    }
  | { readonly whole: string };

/** Groups whose every document reads or shapes the whole fleet. */
const FLEET_WIDE_GROUPS = new Set(['policy.karmada.io', 'config.karmada.io', 'core.kubefed.io', 'cluster.karmada.io', 'apiextensions.k8s.io']);

/** Names kept as written in a file name (keys.ts): an ending of the file name is an ending of the name. */
const PLAIN_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** A document every render of the fleet takes whole, whatever changed. */
export function isFleetWide(o: SourceObject): boolean {
  const { apiVersion, kind } = o.obj;
  const group = groupOf(apiVersion);
  if (FLEET_WIDE_GROUPS.has(group) || isClusterDocument(o)) return true;
  // Namespaces decide where every namespaced object may go (KubeFed) and must be beside it (every engine).
  if (kind === 'Namespace' || kind === 'FederatedNamespace') return true;
  if (group === 'scheduling.kubefed.io') return kind !== 'ReplicaSchedulingPreference';
  return !namesOf(o.obj).every((n) => PLAIN_NAME.test(n)) || (typeof kind === 'string' && isFileNameCut(o.obj));
}

/** The names a document's objects are written under: its own and its template's. */
function namesOf(obj: KubeObject): string[] {
  const names = [String(obj.metadata?.name ?? '')];
  const template = (obj.spec as { template?: { metadata?: { name?: unknown } } } | undefined)?.template?.metadata?.name;
  if (template !== undefined) names.push(String(template));
  return names;
}

/** More than this share of the related files taken in, and rendering them all is as cheap. */
const MOST = 0.5;

export function affectedSelection(base: ReadonlyMap<string, string>, head: ReadonlyMap<string, string>, parse: ParseCache): Selection {
  const configText = head.get(CONFIG_FILE);
  if (base.get(CONFIG_FILE) !== configText) return { whole: `${CONFIG_FILE} changed` };
  let exclude: readonly string[];
  try {
    exclude = parseConfig(configText).exclude;
  } catch {
    return { whole: `${CONFIG_FILE} does not read` };
  }

  // Every fleet file of both sides, parsed once where the two share its text.
  const docs = (files: ReadonlyMap<string, string>, path: string): readonly SourceObject[] | undefined => {
    const text = files.get(path);
    if (text === undefined) return [];
    const r = parse.load(path, text);
    return r.errors.length > 0 ? undefined : r.objects;
  };
  const changed: string[] = [];
  const same: string[] = [];
  for (const path of new Set([...base.keys(), ...head.keys()])) {
    if (path === CONFIG_FILE || !isFleetPath(path, exclude)) continue;
    (base.get(path) === head.get(path) ? same : changed).push(path);
  }

  const leaves = new Map<string, readonly SourceObject[]>(); // unchanged files with templates: their documents
  for (const path of same) {
    const d = docs(head, path);
    if (!d) return { whole: `${path} does not parse` };
    const own = d.filter((o) => !isFleetWide(o));
    if (own.length > 0) leaves.set(path, own);
  }
  const seeds: SourceObject[] = [];
  for (const path of changed) {
    const before = docs(base, path);
    const after = docs(head, path);
    if (!before || !after) return { whole: `${path} does not parse` };
    if (!sameFleetWide(before, after)) return { whole: `${path}: a fleet-wide document changed` };
    seeds.push(...before.filter((o) => !isFleetWide(o)), ...after.filter((o) => !isFleetWide(o)));
  }

  const names = new Set<string>(); // folded names of the documents taken in
  const endings = new Set<string>(); // every ending of those names
  const mentioned = new Set<string>(); // folded strings the documents taken in hold, and their parts
  let fresh: string[] = [];
  const takeIn = (objects: readonly SourceObject[]) => {
    for (const o of objects) {
      for (const raw of namesOf(o.obj)) {
        const n = raw.toLowerCase();
        if (names.has(n)) continue;
        names.add(n);
        fresh.push(n);
        for (let i = 0; i < n.length; i++) endings.add(n.slice(i));
      }
      collectStrings(o.obj, mentioned);
    }
  };
  takeIn(seeds);
  const taken = new Set<string>();
  const lowered = new Map<string, string>();
  // A name is written as itself in the text unless a double-quoted escape spells it (YAML's only
  // way to hide one: a folded line adds a space, which no name holds); in a file with a backslash
  // its documents' JSON is searched, which writes every name as itself.
  const textOf = (path: string) => {
    let t = lowered.get(path);
    if (t === undefined) {
      const text = head.get(path)!;
      t = (text.includes('\\') ? JSON.stringify(docs(head, path)!.map((o) => o.obj)) : text).toLowerCase();
      lowered.set(path, t);
    }
    return t;
  };
  const related = (path: string, objects: readonly SourceObject[], searched: readonly string[]): boolean => {
    for (const o of objects) {
      for (const raw of namesOf(o.obj)) {
        const n = raw.toLowerCase();
        if (mentioned.has(n) || endings.has(n)) return true;
        for (let i = 1; i < n.length; i++) if (names.has(n.slice(i))) return true;
      }
    }
    if (searched.length === 0) return false;
    const text = textOf(path);
    return searched.some((n) => text.includes(n));
  };
  // Until a pass over the files takes nothing in: a file taken in may bring no new name, only
  // strings that mention another file's.
  for (let grew = true; grew; ) {
    grew = false;
    const searched = fresh;
    fresh = [];
    for (const [path, objects] of leaves) {
      if (taken.has(path) || !related(path, objects, searched)) continue;
      taken.add(path);
      takeIn(objects);
      grew = true;
    }
    if (taken.size > leaves.size * MOST) return { whole: `the change reaches most of the fleet's ${leaves.size} files` };
  }

  const rendered = new Set([...changed, ...taken]);
  return {
    select: (o) => rendered.has(o.pos.file) || isFleetWide(o),
    files: { rendered: changed.length + taken.size, total: changed.length + leaves.size },
  };
}

/** The fleet-wide documents of a file, the same on both sides, in the same order. */
function sameFleetWide(before: readonly SourceObject[], after: readonly SourceObject[]): boolean {
  const a = before.filter(isFleetWide);
  const b = after.filter(isFleetWide);
  return a.length === b.length && a.every((o, i) => sameValue(o.obj, b[i]!.obj));
}

/** Every string value under `value`, folded, with its `/`, `,` and `:`-separated parts (a depends-on reference, an image). */
function collectStrings(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    const s = value.toLowerCase();
    into.add(s);
    if (/[/,:\s]/.test(s)) for (const part of s.split(/[/,:\s]+/)) if (part) into.add(part);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const v of Array.isArray(value) ? value : Object.values(value)) collectStrings(v, into);
}
