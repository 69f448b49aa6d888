/**
 * @module karmada/overrides/field
 * fieldOverrider: patches a JSON or YAML document held in a string field (a ConfigMap key, say).
 * The string is parsed, the sub-operations applied as one JSON patch, and the result written back:
 * compact JSON, or YAML re-emitted the way upstream's sigs.k8s.io/yaml does (keys sorted, comments
 * lost, two-space indent, number-like strings double-quoted).
 */
import jsyaml from 'js-yaml';
import type { KubeObject } from '../../types.js';
import type { FieldOverrider } from '../model.js';
import { applyPatchOps, OverrideError, valueAt, type Owned } from './json-patch.js';

export function applyFieldOverrider(obj: KubeObject, ov: FieldOverrider, owned?: Owned): string[] {
  const raw = valueAt(obj, ov.fieldPath);
  if (raw === undefined) throw new OverrideError(`fieldPath ${ov.fieldPath} does not exist`);
  if (typeof raw !== 'string') throw new OverrideError(`Get object's value by overrider's path(${ov.fieldPath}) is not string`);
  const yaml = ov.yaml !== undefined && ov.yaml.length > 0;
  const subs = (yaml ? ov.yaml : ov.json) ?? [];
  let doc: unknown;
  try {
    doc = yaml ? jsyaml.load(raw, { schema: jsyaml.CORE_SCHEMA }) : JSON.parse(raw);
  } catch (err) {
    throw new OverrideError(`fieldPath ${ov.fieldPath}: the value is not valid ${yaml ? 'YAML' : 'JSON'}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  const box = { doc: doc ?? null };
  applyPatchOps(box, subs.map((s) => ({ op: s.operator, path: `/doc${s.subPath}`, value: s.value })));
  const out = yaml
    ? jsyaml.dump(box.doc, { sortKeys: true, noArrayIndent: true, lineWidth: -1, quotingType: '"', indent: 2 })
    : JSON.stringify(box.doc);
  applyPatchOps(obj, [{ op: 'replace', path: ov.fieldPath, value: out }], owned);
  return subs.map((s) => `field ${ov.fieldPath} ${yaml ? 'YAML' : 'JSON'} ${s.operator} ${s.subPath}${s.value === undefined ? '' : ' = ' + JSON.stringify(s.value)}`);
}
