/**
 * @module karmada/overrides/image
 * imageOverrider: rewrites the registry, repository or tag of container images. Without a
 * predicate it touches every entry of `containers` (not initContainers) of the built-in workload
 * kinds only; other kinds are left alone, as upstream (#4283). With a predicate, exactly that path.
 */
import type { KubeObject } from '../../types.js';
import type { ImageOverrider } from '../model.js';
import { ImageRef, ImageRefError } from './image-ref.js';
import { applyPatchOps, OverrideError, type Owned, type PatchOp } from './json-patch.js';

const podSpecPrefix: Record<string, string> = {
  Pod: '/spec',
  ReplicaSet: '/spec/template/spec',
  Deployment: '/spec/template/spec',
  DaemonSet: '/spec/template/spec',
  StatefulSet: '/spec/template/spec',
  Job: '/spec/template/spec',
};

export function overrideImage(image: string, ov: ImageOverrider): string {
  let ref: ImageRef;
  try {
    ref = ImageRef.parse(image);
  } catch (err) {
    if (err instanceof ImageRefError) throw new OverrideError(`failed to parse image value(${image}): ${err.message}`, { cause: err });
    throw err;
  }
  const value = ov.value ?? '';
  switch (ov.component) {
    case 'Registry':
      if (ov.operator === 'add') ref.host += value;
      else if (ov.operator === 'replace') ref.host = value;
      else if (ov.operator === 'remove') ref.host = '';
      break;
    case 'Repository':
      if (ov.operator === 'add') ref.repository += value;
      else if (ov.operator === 'replace') ref.repository = value;
      else if (ov.operator === 'remove') ref.repository = '';
      break;
    case 'Tag':
      if (ov.operator === 'add') ref.setTagOrDigest(ref.tagOrDigest() + value);
      else if (ov.operator === 'replace') ref.setTagOrDigest(value);
      else if (ov.operator === 'remove') ref.removeTagOrDigest();
      break;
    default:
      throw new OverrideError(`unsupported image component(${ov.component})`);
  }
  return ref.toString();
}

export function applyImageOverrider(obj: KubeObject, ov: ImageOverrider, owned?: Owned): string[] {
  const ops: PatchOp[] = [];
  if (ov.predicate) {
    const image = imageAt(obj, ov.predicate.path);
    ops.push({ op: 'replace', path: ov.predicate.path, value: overrideImage(image, ov) });
  } else {
    const prefix = podSpecPrefix[obj.kind];
    if (prefix === undefined) return [];
    const spec = prefix.split('/').slice(1).reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);
    const containers = (spec as { containers?: unknown } | undefined)?.containers;
    (Array.isArray(containers) ? containers : []).forEach((c: { image?: unknown }, i) => {
      ops.push({ op: 'replace', path: `${prefix}/containers/${i}/image`, value: overrideImage(typeof c?.image === 'string' ? c.image : '', ov) });
    });
  }
  applyPatchOps(obj, ops, owned);
  return ops.map((o) => `image ${o.path} -> ${String(o.value)}`);
}

// Upstream walks maps by key and lists by the numeric segment after them; anything else is an error.
function imageAt(obj: KubeObject, path: string): string {
  const segs = path.replace(/^\/+|\/+$/g, '').split('/');
  let cur: unknown = obj;
  for (let i = 0; i < segs.length - 1; i++) {
    const next = (cur as Record<string, unknown>)[segs[i]!];
    if (Array.isArray(next)) {
      const idx = segs[i + 1]!;
      if (!/^-?\d+$/.test(idx)) throw new OverrideError(`image predicate path ${path}: ${idx} is not a number`);
      cur = next[Number(idx)];
      i++;
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) throw new OverrideError(`image predicate path ${path}: index ${idx} does not hold an object`);
    } else if (next !== null && typeof next === 'object') {
      cur = next;
    } else {
      throw new OverrideError(`image predicate path ${path}: ${segs[i]} is neither a map nor a list`);
    }
  }
  const v = (cur as Record<string, unknown>)[segs[segs.length - 1]!];
  if (typeof v !== 'string') throw new OverrideError(`image predicate path ${path} does not hold a string`);
  return v;
}
