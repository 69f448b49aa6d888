/**
 * KubeFed overrides (`pkg/controller/util/overrides.go`): per cluster, a list of JSON-patch
 * operations (add, remove, replace; no op means replace) with RFC 6901 paths, applied in list order.
 *
 * Parsing rejects what upstream rejects (a cluster named twice, a path repeated for one cluster)
 * and, stricter than upstream, any path that would change the object's identity: apiVersion,
 * kind, metadata.name, metadata.namespace, metadata.generateName, or a parent of one of them.
 *
 * Applying follows evanphx/json-patch v4.11.0, the library KubeFed used, so that a fleet moved
 * from KubeFed renders the same objects: `replace` of a missing key in an existing mapping adds
 * it (a template without spec.replicas can still have it overridden), negative array indexes
 * count from the end; a missing parent, an index out of range or removing a missing key is an
 * error. The mutation itself is fast-json-patch's.
 */
import jsonpatch from 'fast-json-patch';
import type { KubeObject, SourceObject } from '../types.js';
import { cloneJson, isRecord } from './json.js';
import type { Findings } from './findings.js';


export type OverrideOp = 'add' | 'remove' | 'replace';

export interface Override {
  readonly op: OverrideOp;
  readonly path: string;
  readonly value: unknown;
  /** Where it was written: the federated object, or the RSP that scheduled replicas. */
  readonly src: SourceObject;
  readonly field: readonly (string | number)[];
  /** Said after the operation in explanations, e.g. which RSP wrote it. */
  readonly note?: string;
}

/** Cluster name -> its operations, in list order. */
export type OverridesByCluster = Map<string, Override[]>;

const IDENTITY_PATHS = ['/apiVersion', '/kind', '/metadata/name', '/metadata/namespace', '/metadata/generateName'];

/** Does the path replace, remove or reach into a field that names the object? */
export function touchesIdentity(path: string): boolean {
  return IDENTITY_PATHS.some((p) => p === path || p.startsWith(path + '/'));
}

const entryField = (i: number) => ['spec', 'overrides', i];
const opField = (i: number, j: number) => ['spec', 'overrides', i, 'clusterOverrides', j];

// `spec.overrides[i].clusterOverrides[j].path` for every (i, j), made once and shared by every
// document (frozen: a finding only reads it for the line). Bounded by the longest lists in the repo.
const opPathFields: (readonly (string | number)[])[][] = [];

function opPathField(i: number, j: number): readonly (string | number)[] {
  const row = (opPathFields[i] ??= []);
  return (row[j] ??= Object.freeze(['spec', 'overrides', i, 'clusterOverrides', j, 'path']));
}

// A document the parse cache hands back as it was has the operations it had: kept per document,
// so that the next render of the fleet on this thread (a diff's head, watch) finds each cluster's
// copy made from the very same operations by identity, instead of comparing every one by value.
// Kept only where reading them found nothing, so that no finding goes untold. Callers change the
// map (replica scheduling writes to it), never the lists in it: each gets a map of its own.
const kept = new WeakMap<SourceObject, { readonly spec: object; readonly raw: unknown; readonly overrides: OverridesByCluster }>();

/** Read and check `spec.overrides`; undefined (with findings) when any entry is unusable. */
export function parseOverrides(src: SourceObject, spec: Record<string, unknown>, findings: Findings): OverridesByCluster | undefined {
  const earlier = kept.get(src);
  if (earlier && earlier.spec === spec && earlier.raw === spec.overrides) return new Map(earlier.overrides);
  const told = findings.diagnostics.length;
  const out = readOverrides(src, spec, findings);
  if (out && findings.diagnostics.length === told) kept.set(src, { spec, raw: spec.overrides, overrides: new Map(out) });
  return out;
}

function readOverrides(src: SourceObject, spec: Record<string, unknown>, findings: Findings): OverridesByCluster | undefined {
  const out: OverridesByCluster = new Map();
  const raw = spec.overrides;
  if (raw === undefined || raw === null) return out;
  if (!Array.isArray(raw)) {
    findings.error('Schema', 'field spec.overrides: must be a list of {clusterName, clusterOverrides}', { src, field: ['spec', 'overrides'] });
    return undefined;
  }
  let ok = true;
  for (let i = 0; i < raw.length; i++) {
    const entry: unknown = raw[i];
    const cluster = isRecord(entry) ? entry.clusterName : undefined;
    if (typeof cluster !== 'string' || cluster === '') {
      findings.error('Schema', `field spec.overrides[${i}].clusterName: required string is missing`, { src, field: entryField(i) });
      ok = false;
      continue;
    }
    if (out.has(cluster)) {
      findings.error('DuplicateOverride', `cluster ${cluster} appears more than once in spec.overrides`, { src, field: [...entryField(i), 'clusterName'], cluster });
      ok = false;
      continue;
    }
    const list = (entry as Record<string, unknown>).clusterOverrides ?? [];
    if (!Array.isArray(list)) {
      findings.error('Schema', `field spec.overrides[${i}].clusterOverrides: must be a list of {op, path, value}`, { src, field: [...entryField(i), 'clusterOverrides'], cluster });
      ok = false;
      continue;
    }
    const ops: Override[] = [];
    for (let j = 0; j < list.length; j++) {
      const o: unknown = list[j];
      // Field paths are made for a finding only: this loop runs for every operation of every
      // cluster of every federated object, and they were most of what it allocated.
      if (!isRecord(o) || typeof o.path !== 'string') {
        findings.error('Schema', `field spec.overrides[${i}].clusterOverrides[${j}].path: required string is missing`, { src, field: opField(i, j), cluster });
        ok = false;
        continue;
      }
      const path = o.path;
      const op = o.op === undefined || o.op === null || o.op === '' ? 'replace' : o.op;
      if (op !== 'add' && op !== 'remove' && op !== 'replace') {
        findings.error('Schema', `override ${path}: op must be add, remove or replace, not ${JSON.stringify(op)}`, { src, field: [...opField(i, j), 'op'], cluster });
        ok = false;
        continue;
      }
      if (path !== '' && !path.startsWith('/')) {
        findings.error('InvalidOverridePath', `override path ${JSON.stringify(path)} is not a JSON pointer (RFC 6901): it must start with "/"`, { src, field: opPathField(i, j), cluster });
        ok = false;
        continue;
      }
      if (touchesIdentity(path)) {
        findings.error('InvalidOverridePath', `override path ${JSON.stringify(path)} would change the object's apiVersion, kind, name or namespace, which overrides may not do`, { src, field: opPathField(i, j), cluster });
        ok = false;
        continue;
      }
      // A cluster has a few operations: a scan costs less than a set per cluster.
      if (ops.some((earlier) => earlier.path === path)) {
        findings.error('DuplicateOverride', `path ${path} appears more than once for cluster ${cluster}`, { src, field: opPathField(i, j), cluster });
        ok = false;
        continue;
      }
      ops.push({ op, path, value: o.value ?? null, src, field: opPathField(i, j) });
    }
    out.set(cluster, ops);
  }
  return ok ? out : undefined;
}

function unescape(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

interface Pointer {
  /** Segments as written (escaped). */
  readonly raw: readonly string[];
  /** Segments decoded. */
  readonly segs: readonly string[];
  /** A segment fast-json-patch refuses to write through (it throws rather than touch a prototype). */
  readonly guarded: boolean;
}

// Every cluster applies the same few paths; parse each once. Bounded by the paths in the repo.
const pointers = new Map<string, Pointer>();

function pointer(path: string): Pointer {
  let p = pointers.get(path);
  if (!p) {
    const raw = path.split('/').slice(1);
    const segs = raw.map(unescape);
    p = { raw, segs, guarded: segs.some((seg, i) => seg === '__proto__' || (seg === 'prototype' && i > 0 && segs[i - 1] === 'constructor')) };
    pointers.set(path, p);
  }
  return p;
}

const INDEX = /^-?\d+$/;

type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return typeof v === 'object' && v !== null;
}

/**
 * Walk to the target's parent, checking that the path exists the way evanphx/json-patch would,
 * and copy each container on the way that this member object does not own yet: the member then
 * shares every untouched subtree with the template instead of copying all of it. Returns the path
 * for fast-json-patch (negative indexes, which it does not know, turned into positions).
 */
function descend(root: Container, o: Override, owned: Set<unknown>): { error: string } | { path: string; parent: Container; key: string | number } {
  const { raw, segs } = pointer(o.path);
  let norm: string[] | undefined;
  const at = (i: number) => '/' + raw.slice(0, i + 1).join('/');
  let cur: Container = root;
  for (let i = 0; i < segs.length - 1; i++) {
    const seg = segs[i]!;
    let key: string | number;
    if (Array.isArray(cur)) {
      const idx = INDEX.test(seg) ? Number(seg) : NaN;
      const pos = idx < 0 ? idx + cur.length : idx;
      if (!(pos >= 0 && pos < cur.length)) return { error: `${at(i)} does not exist (index ${seg} of a list of ${cur.length})` };
      if (String(pos) !== seg) (norm ??= [...raw])[i] = String(pos);
      key = pos;
    } else if (Object.prototype.hasOwnProperty.call(cur, seg)) {
      key = seg;
    } else {
      return { error: `${at(i)} does not exist` };
    }
    let child = (cur as Record<string | number, unknown>)[key];
    if (!isContainer(child)) return { error: `${at(i)} is not a mapping or a list` };
    if (!owned.has(child)) {
      // Spread copies a "__proto__" key as data, as YAML meant it.
      child = Array.isArray(child) ? child.slice() : { ...child };
      (cur as Record<string | number, unknown>)[key] = child;
      owned.add(child);
    }
    cur = child as Container;
  }
  const parentPath = () => '/' + raw.slice(0, -1).join('/');
  const last = segs[segs.length - 1]!;
  let key: string | number = last;
  if (Array.isArray(cur)) {
    if (o.op === 'add' && last === '-') return { path: norm ? '/' + norm.join('/') : o.path, parent: cur, key: cur.length };
    if (!INDEX.test(last)) return { error: `${parentPath()} is a list, and ${JSON.stringify(last)} is not an index` };
    const idx = Number(last);
    // add may insert right after the last item; replace and remove need an existing item.
    const size = o.op === 'add' ? cur.length + 1 : cur.length;
    const pos = idx < 0 ? idx + size : idx;
    if (!(pos >= 0 && pos < size)) return { error: `index ${last} is out of range for ${parentPath()} (a list of ${cur.length})` };
    if (String(pos) !== last) (norm ??= [...raw])[raw.length - 1] = String(pos);
    key = pos;
  } else if (o.op === 'remove' && !Object.prototype.hasOwnProperty.call(cur, last)) {
    return { error: `${o.path} does not exist, so it cannot be removed` };
  }
  return { path: norm ? '/' + norm.join('/') : o.path, parent: cur, key };
}

/**
 * The operation, at the parent descend found and checked: what fast-json-patch's applyOperation
 * does there, without walking and splitting the path again for every cluster's copy.
 */
function writeAt(parent: Container, key: string | number, op: Override['op'], value: unknown): void {
  if (Array.isArray(parent)) {
    const i = key as number;
    if (op === 'add') parent.splice(i, 0, value);
    else if (op === 'replace') parent[i] = value;
    else parent.splice(i, 1);
  } else if (op === 'remove') delete parent[key as string];
  else parent[key as string] = value;
}

/**
 * One cluster's member object: `base` with the operations applied in order. `base` is not
 * changed; the result shares the subtrees no operation touched with it. Stops at the first
 * operation that cannot be applied and returns it with the reason.
 */
export function applyOverrides(base: KubeObject, ops: readonly Override[]): { obj: KubeObject } | { failed: Override; reason: string } {
  const obj = { ...base };
  const owned = new Set<unknown>([obj]);
  for (const o of ops) {
    const c = descend(obj, o, owned);
    if ('error' in c) return { failed: o, reason: c.error };
    // fast-json-patch stores the value itself; each member gets its own copy, so an override
    // value is never reachable from two member objects.
    const value = o.op === 'remove' ? undefined : cloneJson(o.value);
    if (isContainer(value)) owned.add(value);
    if (pointer(o.path).guarded) {
      const operation = o.op === 'remove' ? { op: 'remove' as const, path: c.path } : { op: o.op, path: c.path, value };
      jsonpatch.applyOperation(obj, operation, false, true);
    } else writeAt(c.parent, c.key, o.op, value);
  }
  return { obj };
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}

/** One override in words, for `gitfed explain`. */
export function describeOverride(o: Override): string {
  const what = o.op === 'remove' ? `remove ${o.path}` : `${o.op} ${o.path} = ${show(o.value)}`;
  const where = `${o.src.pos.file}:${o.src.lineOf(o.field)}`;
  return o.note ? `${what} (${o.note}, ${where})` : `${what} (${where})`;
}
