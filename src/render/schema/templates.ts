/**
 * Templates checked against the schema of their kind, with the strictness of `kubectl apply
 * --validate=strict`: a built-in kind against the pinned Kubernetes' own OpenAPI schema, a custom
 * kind against the CustomResourceDefinition the fleet carries for it. A kind the pinned
 * Kubernetes does not serve in one of its own groups is an error (as the API server says "no
 * matches for kind"); a kind without any schema is named once, as a warning, and not checked.
 */
import type { ErrorCode, WarningCode } from '../../errors.js';
import { groupOf } from '../../object.js';
import type { KubeObject, SourceObject } from '../types.js';
import { unknownFieldMessage } from './fields.js';
import { builtinGroup, builtinSchema, KUBERNETES_VERSION, OBJECT_META_REF, resolveBuiltin } from './kube.js';
import { closest } from './suggest.js';
import type { FieldPath, Schema } from './types.js';
import { validate, type WrittenPaths } from './validate.js';

export type TemplateFinding = { readonly path: FieldPath; readonly message: string } & (
  | { readonly severity: 'error'; readonly code: ErrorCode }
  | { readonly severity: 'warning'; readonly code: WarningCode }
);
export type TemplateError = Extract<TemplateFinding, { severity: 'error' }>;

const CRD_API_VERSION = 'apiextensions.k8s.io/v1';
const versionOf = (apiVersion: string) => apiVersion.slice(apiVersion.indexOf('/') + 1);
const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The schema a kind at a version is checked against; `identity` is the same object while that schema is (withObjectFields makes a new one). */
interface KindSchema {
  readonly schema: Schema;
  readonly builtin: boolean;
  readonly identity: object;
}

/** A custom kind as a CRD of the fleet serves it. */
interface CustomKind {
  /** Served versions and their schemas. */
  readonly versions: ReadonlyMap<string, Schema>;
}

export class TemplateSchemas {
  private readonly custom = new Map<string, CustomKind>();
  private readonly schemas = new Map<string, Map<string, KindSchema | null>>();
  private readonly named = new Set<string>();

  /** Reads the CRDs among the fleet's documents (a CRD that does not parse is left to its own check). */
  constructor(documents: readonly SourceObject[]) {
    for (const d of documents) {
      const o = d.obj as KubeObject & { spec?: unknown };
      if (o.apiVersion !== CRD_API_VERSION || o.kind !== 'CustomResourceDefinition' || !isMapping(o.spec)) continue;
      const { group, names, versions } = o.spec as { group?: unknown; names?: { kind?: unknown }; versions?: unknown };
      if (typeof group !== 'string' || typeof names?.kind !== 'string' || !Array.isArray(versions)) continue;
      const served = new Map<string, Schema>();
      for (const v of versions as { name?: unknown; served?: unknown; schema?: { openAPIV3Schema?: unknown } }[]) {
        if (typeof v?.name === 'string' && v.served !== false) served.set(v.name, isMapping(v.schema?.openAPIV3Schema) ? (v.schema.openAPIV3Schema as Schema) : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
      }
      this.custom.set(`${group}/${names.kind}`, { versions: served });
    }
  }

  /**
   * What is wrong with `obj` as its kind's schema sees it. `at` is where the object sits in its
   * source document (`spec.template` of a federated object), for paths and lines.
   */
  check(obj: KubeObject, at: FieldPath = []): TemplateFinding[] {
    const group = groupOf(obj.apiVersion);
    const version = versionOf(obj.apiVersion);
    // A SOPS-encrypted document (getsops/sops) carries a top-level `sops` mapping, which the apply
    // side removes, and `ENC[...]` strings for its encrypted values, whatever their type: it
    // keeps every key, so its fields are checked, not its values.
    const { sops, ...plain } = obj as KubeObject & { sops?: unknown };
    const sealed = isMapping(sops);
    const doc = (sealed ? plain : obj) as KubeObject;
    const builtin = builtinSchema(group, version, obj.kind);
    if (builtin) return this.problems(doc, builtin, at, { builtin: true, sealed });
    const custom = this.custom.get(`${group}/${obj.kind}`);
    if (custom) {
      const schema = custom.versions.get(version);
      if (schema) return this.problems(doc, withObjectFields(schema), at, { builtin: false, sealed });
      return [{ severity: 'error', code: 'UnsupportedVersion', path: [...at, 'apiVersion'], message: `${obj.kind} is served at ${[...custom.versions.keys()].map((v) => `${group}/${v}`).join(', ') || 'no version'} by its CustomResourceDefinition in the fleet, not ${obj.apiVersion}` }];
    }
    const served = builtinGroup(group);
    if (served) return [this.notServed(obj, group, version, served, at)];
    const key = `${obj.apiVersion}/${obj.kind}`;
    if (this.named.has(key)) return [];
    this.named.add(key);
    return [{ severity: 'warning', code: 'NoSchema', path: [...at, 'kind'], message: `no schema for ${obj.kind} (${obj.apiVersion}): Kubernetes ${KUBERNETES_VERSION} does not serve it and no CustomResourceDefinition in the fleet defines it, so its fields are not checked; add its CRD to the fleet (named once per kind)` }];
  }

  /**
   * What is wrong with one cluster's copy of an object once overrides have written to it, and was
   * not already wrong with `before`, the object as it was before them: the parts the overrides
   * left as they were were checked with the template and are not looked into again. Errors only;
   * a kind without a schema was named with its template.
   */
  checkOverridden(obj: KubeObject, before: KubeObject, written?: WrittenPaths | true): TemplateError[] {
    const schema = this.schemaOf(obj);
    if (!schema) return [];
    const found = this.problems(obj, schema.schema, [], { builtin: schema.builtin, sealed: false }, before, written === true ? undefined : written);
    if (found.length === 0) return found;
    const already = new Set(this.problems(before, schema.schema, [], { builtin: schema.builtin, sealed: false }).map((f) => f.message));
    return found.filter((f) => !already.has(f.message));
  }

  /**
   * What an object's copies are checked against (checkOverridden), as an identity: the same
   * object for every render while the kind's schema is the same (the pinned Kubernetes', or a
   * CRD's as parsed from an unchanged file). Undefined when the kind has none.
   */
  schemaIdentity(obj: KubeObject): object | undefined {
    return this.schemaOf(obj)?.identity;
  }

  /** The schema an object's kind is checked against, if it has one at its version. */
  private schemaOf(obj: KubeObject): KindSchema | undefined {
    // Asked for every cluster's copy of every object: looked up once per apiVersion and kind.
    let byKind = this.schemas.get(obj.apiVersion);
    if (!byKind) this.schemas.set(obj.apiVersion, (byKind = new Map()));
    let found = byKind.get(obj.kind);
    if (found === undefined) byKind.set(obj.kind, (found = this.lookUp(obj) ?? null));
    return found ?? undefined;
  }

  private lookUp(obj: KubeObject): KindSchema | undefined {
    const group = groupOf(obj.apiVersion);
    const version = versionOf(obj.apiVersion);
    const builtin = builtinSchema(group, version, obj.kind);
    if (builtin) return { schema: builtin, builtin: true, identity: builtin };
    const custom = this.custom.get(`${group}/${obj.kind}`)?.versions.get(version);
    return custom ? { schema: withObjectFields(custom), builtin: false, identity: custom } : undefined;
  }

  private problems(obj: KubeObject, schema: Schema, at: FieldPath, how: { builtin: boolean; sealed: boolean }, before?: KubeObject, written?: WrittenPaths): TemplateError[] {
    return validate(obj, schema, { resolve: how.builtin ? resolveBuiltin : undefined, override: metadataAt(at.length), builtin: how.builtin, unknownOnly: how.sealed, before, written }, at).map((p) =>
      p.code === 'UnknownField'
        ? { severity: 'error', code: 'UnknownField', path: p.path, message: unknownFieldMessage(p.path, p.known ?? []) }
        : { severity: 'error', code: 'Schema', path: p.path, message: p.message },
    );
  }

  private notServed(obj: KubeObject, group: string, version: string, served: readonly { version: string; kind: string }[], at: FieldPath): TemplateFinding {
    const same = served.filter((k) => k.kind === obj.kind).map((k) => (group ? `${group}/${k.version}` : k.version));
    if (same.length > 0) return { severity: 'error', code: 'UnsupportedVersion', path: [...at, 'apiVersion'], message: `Kubernetes ${KUBERNETES_VERSION} serves ${obj.kind} as ${same.join(', ')}, not ${obj.apiVersion}` };
    const inVersion = served.filter((k) => k.version === version).map((k) => k.kind);
    const near = closest(obj.kind, inVersion);
    return { severity: 'error', code: 'NoKindMatch', path: [...at, 'kind'], message: `Kubernetes ${KUBERNETES_VERSION} serves no kind ${obj.kind} in ${obj.apiVersion}${near ? `; did you mean ${near}?` : ''}` };
  }
}

// By depth: asked for every cluster's copy of every object, mostly at the top (depth 0).
const metadataOverrides: ((path: FieldPath) => Schema | undefined)[] = [];

/** An object's `metadata` is ObjectMeta whatever its schema says of it (a CRD's is a bare object); `depth` is where the object sits. */
function metadataAt(depth: number): (path: FieldPath) => Schema | undefined {
  return (metadataOverrides[depth] ??= (path) => (path.length === depth + 1 && path[depth] === 'metadata' ? resolveBuiltin(OBJECT_META_REF) : undefined));
}

/** A CRD's schema may leave out apiVersion, kind and metadata: every object has them. */
function withObjectFields(schema: Schema): Schema {
  const str: Schema = { type: 'string' };
  if (schema['x-kubernetes-preserve-unknown-fields'] === true && !schema.properties) return schema;
  return { ...schema, properties: { apiVersion: str, kind: str, metadata: { type: 'object' }, ...schema.properties } };
}

