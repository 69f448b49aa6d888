/**
 * @module karmada/overrides/labels
 * labelsOverrider / annotationsOverrider on the object's own metadata (not the pod template's):
 * add sets keys (creating the map), replace changes only existing keys, remove deletes existing keys.
 */
import type { KubeObject } from '../../types.js';
import type { LabelAnnotationOverrider } from '../model.js';

export function applyLabelAnnotationOverrider(obj: KubeObject, field: 'labels' | 'annotations', ov: LabelAnnotationOverrider): string[] {
  const done: string[] = [];
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
