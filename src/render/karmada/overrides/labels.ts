/**
 * @module karmada/overrides/labels
 * labelsOverrider / annotationsOverrider on the object's own metadata (not the pod template's):
 * add sets keys (creating the map), replace changes only existing keys, remove deletes existing keys.
 */
import type { KubeObject } from '../../types.js';
import type { LabelAnnotationOverrider } from '../model.js';
import type { Owned } from './json-patch.js';

export function applyLabelAnnotationOverrider(obj: KubeObject, field: 'labels' | 'annotations', ov: LabelAnnotationOverrider, owned?: Owned): string[] {
  const done: string[] = [];
  // The map may be the template's own (the caller owns metadata, not what it holds).
  const shared = obj.metadata[field];
  owned?.written.push(`/metadata/${field}`);
  if (owned && shared && !owned.nodes.has(shared)) {
    const copy = { ...shared };
    obj.metadata[field] = copy;
    owned.nodes.add(copy);
  }
  for (const [key, value] of Object.entries(ov.value ?? {})) {
    const map = obj.metadata[field];
    if (ov.operator === 'add') {
      (obj.metadata[field] ??= {})[key] = value;
      done.push(`${field} ${key}=${value} added`);
    } else if (map && Object.prototype.hasOwnProperty.call(map, key)) {
      if (ov.operator === 'replace') {
        map[key] = value;
        done.push(`${field} ${key}=${value} replaced`);
      } else if (ov.operator === 'remove') {
        delete map[key];
        done.push(`${field} ${key} removed`);
      }
    }
  }
  return done;
}
