/**
 * @module karmada/overrides/apply
 * One rule's overriders on one object, in upstream's fixed order: image, command, args, labels,
 * annotations, field, then all plaintext entries as one JSON patch. Returns a sentence per change.
 * The object shares what it does not own (`owned`, json-patch.ts) with its template.
 */
import type { KubeObject } from '../../types.js';
import type { Overriders } from '../model.js';
import type { Owned } from './json-patch.js';
import { applyCommandArgsOverrider } from './command-args.js';
import { applyFieldOverrider } from './field.js';
import { applyImageOverrider } from './image.js';
import { applyPatchOps } from './json-patch.js';
import { applyLabelAnnotationOverrider } from './labels.js';

export function applyOverriders(obj: KubeObject, ov: Overriders, owned?: Owned): string[] {
  const done: string[] = [];
  for (const o of ov.imageOverrider ?? []) done.push(...applyImageOverrider(obj, o, owned));
  for (const o of ov.commandOverrider ?? []) done.push(...applyCommandArgsOverrider(obj, 'command', o, owned));
  for (const o of ov.argsOverrider ?? []) done.push(...applyCommandArgsOverrider(obj, 'args', o, owned));
  for (const o of ov.labelsOverrider ?? []) done.push(...applyLabelAnnotationOverrider(obj, 'labels', o, owned));
  for (const o of ov.annotationsOverrider ?? []) done.push(...applyLabelAnnotationOverrider(obj, 'annotations', o, owned));
  for (const o of ov.fieldOverrider ?? []) done.push(...applyFieldOverrider(obj, o, owned));
  const plain = ov.plaintext ?? [];
  applyPatchOps(obj, plain.map((p) => ({ op: p.operator, path: p.path, value: p.value })), owned);
  for (const p of plain) done.push(`${p.operator} ${p.path}${p.value === undefined ? '' : ' = ' + JSON.stringify(p.value)}`);
  return done;
}
