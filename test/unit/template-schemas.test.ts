/** TemplateSchemas beyond the corpus: SOPS-encrypted documents, kinds named once, CRDs of the fleet. */
import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/object.js';
import { TemplateSchemas } from '../../src/render/schema/templates.js';
import { writtenPaths } from '../../src/render/schema/validate.js';

// Read directly, not through the fleet loader, which may set encrypted documents aside.
const objects = (text: string) => [{ obj: jsyaml.load(text) as KubeObject }];

describe('TemplateSchemas', () => {
  it('checks the fields of a SOPS-encrypted Secret, not its ENC[...] values', () => {
    const sealed = objects(
      'apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\ndata:\n  password: ENC[AES256_GCM,data:abc=,iv:def=,tag:ghi=,type:str]\nsops:\n  age: []\n  lastmodified: "2026-12-01T00:00:00Z"\n  mac: ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]\n  version: 3.9.0\n',
    )[0]!;
    expect(new TemplateSchemas([]).check(sealed.obj)).toEqual([]);
    const typo = objects('apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\ndta:\n  password: ENC[AES256_GCM,data:abc=,iv:def=,tag:ghi=,type:str]\nsops: {version: 3.9.0}\n')[0]!;
    expect(new TemplateSchemas([]).check(typo.obj)).toEqual([expect.objectContaining({ code: 'UnknownField', message: 'unknown field "dta"; did you mean "data"?' })]);
  });

  it('names a kind without a schema once, however many templates it has', () => {
    const s = new TemplateSchemas([]);
    const widget = (name: string) => objects(`apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: ${name}}\nspec: {anything: 1}\n`)[0]!.obj;
    expect(s.check(widget('a'))).toEqual([expect.objectContaining({ severity: 'warning', code: 'NoSchema' })]);
    expect(s.check(widget('b'))).toEqual([]);
  });

  it('lists the problems of an overridden copy in the order a full check does, whatever order the writes came in', () => {
    const template = objects('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop, labels: {app: web}}\nspec:\n  replicas: 1\n  paused: false\n  selector: {matchLabels: {app: web}}\n  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: app, image: web:1}]}}\n')[0]!.obj;
    const spec = template.spec as Record<string, unknown>;
    // The copy shares what the overrides left; they wrote minReadySeconds (new, so last in the
    // object), then replicas and paused (in the template's place), each with the wrong type.
    const copy = { ...template, metadata: { ...template.metadata }, spec: { ...spec, replicas: 'three', paused: 'no', minReadySeconds: 'soon' } } as KubeObject;
    const s = new TemplateSchemas([]);
    const full = s.check(copy).map((f) => f.message);
    expect(full).toEqual([
      'field spec.replicas: must be an integer, not the string "three"',
      'field spec.paused: must be a boolean, not the string "no"',
      'field spec.minReadySeconds: must be an integer, not the string "soon"',
    ]);
    const written = writtenPaths(['/spec/minReadySeconds', '/spec/paused', '/spec/replicas']);
    expect(s.checkOverridden(copy, template, written).map((f) => f.message)).toEqual(full);
    // One write with a problem among several that have none keeps its place too.
    const one = { ...copy, spec: { ...spec, replicas: 2, paused: 'no', minReadySeconds: 5 } } as KubeObject;
    expect(s.checkOverridden(one, template, written).map((f) => f.message)).toEqual(['field spec.paused: must be a boolean, not the string "no"']);
  });

  it('reads paths under spec.template for a federated object', () => {
    const dep = objects('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec: {replicas: "2"}\n')[0]!.obj;
    expect(new TemplateSchemas([]).check(dep, ['spec', 'template']).map((f) => f.message)).toContain('field spec.template.spec.replicas: must be an integer, not the string "2"');
  });
});
