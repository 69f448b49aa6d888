/**
 * @module fleet/type-configs
 * FederatedTypeConfig documents as the verbs need them: found in the repo, read with render's own
 * parser (so enable and disable agree with render on defaults), and written in the form
 * src/render/kubefed/type-config.ts documents.
 */
import { groupOf } from '../object.js';
import { Findings } from '../render/kubefed/findings.js';
import { BUILTIN_TYPES, FEDERATED_GROUP, FEDERATED_VERSION, pluralName, type TargetType } from '../render/kubefed/target-types.js';
import { parseTypeConfig, TYPE_CONFIG_GROUP, TYPE_CONFIG_KIND } from '../render/kubefed/type-config.js';
import type { SourceObject } from '../render/types.js';
import type { KubeObject } from '../object.js';
import { typeNamed } from './kind-spelling.js';

export type Scope = 'Namespaced' | 'Cluster';

/** What a type config says, every default filled in. */
export interface TypeSpec {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly pluralName: string;
  readonly scope: Scope;
  /** @default types.kubefed.io */
  readonly federatedGroup: string;
  /** @default v1beta1 */
  readonly federatedVersion: string;
  /** @default Federated<kind> */
  readonly federatedKind: string;
  readonly propagation: 'Enabled' | 'Disabled';
}

export interface FoundTypeConfig {
  readonly src: SourceObject;
  /** Undefined when render could not read it either (it reports why). */
  readonly spec?: TypeSpec;
}

/** kubefedctl's name: `<plural>.<group>`, just `<plural>` for the core group. */
export function typeConfigName(t: Pick<TypeSpec, 'pluralName' | 'group'>): string {
  return t.group === '' ? t.pluralName : `${t.pluralName}.${t.group}`;
}

export function specOf(t: TargetType): TypeSpec {
  return {
    group: t.group, version: t.version, kind: t.kind, pluralName: t.pluralName,
    scope: t.namespaced ? 'Namespaced' : 'Cluster',
    federatedGroup: t.federatedGroup, federatedVersion: t.federatedVersion, federatedKind: t.federatedKind,
    propagation: t.propagation ? 'Enabled' : 'Disabled',
  };
}

export function typeConfigs(objects: readonly SourceObject[]): FoundTypeConfig[] {
  return objects
    .filter((o) => o.obj.kind === TYPE_CONFIG_KIND && groupOf(o.obj.apiVersion) === TYPE_CONFIG_GROUP)
    .map((src) => {
      const t = parseTypeConfig(src, new Findings());
      return t ? { src, spec: specOf(t) } : { src };
    });
}

export function builtinTypes(): TypeSpec[] {
  return BUILTIN_TYPES.map(specOf);
}

/** The built-in type a user names by Kind, plural, short name or plural.group (case-insensitive), as kubefedctl accepts. */
export function builtinType(query: string): TypeSpec | undefined {
  return typeNamed(builtinTypes(), query);
}

/** Does `query` name this type config: its name, its target Kind or its federated Kind? */
export function namesTypeConfig(found: FoundTypeConfig, query: string): boolean {
  const q = query.toLowerCase();
  if (found.src.obj.metadata.name.toLowerCase() === q) return true;
  const s = found.spec;
  return s !== undefined && (s.kind.toLowerCase() === q || s.federatedKind.toLowerCase() === q);
}

/** The document, in the order kubefedctl writes it; defaults are written out so a reader need not know them. */
export function typeConfigDocument(t: TypeSpec): KubeObject {
  return {
    apiVersion: `${TYPE_CONFIG_GROUP}/v1beta1`,
    kind: TYPE_CONFIG_KIND,
    metadata: { name: typeConfigName(t) },
    spec: {
      targetType: { ...(t.group !== '' ? { group: t.group } : {}), version: t.version, kind: t.kind, pluralName: t.pluralName, scope: t.scope },
      federatedType: { group: t.federatedGroup, version: t.federatedVersion, kind: t.federatedKind, pluralName: pluralName(t.federatedKind), scope: t.scope === 'Cluster' && t.kind !== 'Namespace' ? 'Cluster' : 'Namespaced' },
      propagation: t.propagation,
    },
  };
}

/** Fields in which two specs differ, for messages. */
export function differences(a: TypeSpec, b: TypeSpec): string[] {
  return (Object.keys(a) as (keyof TypeSpec)[]).filter((k) => k !== 'propagation' && a[k] !== b[k]).map((k) => `${k} ${JSON.stringify(a[k])} -> ${JSON.stringify(b[k])}`);
}

export const DEFAULT_FEDERATED = { group: FEDERATED_GROUP, version: FEDERATED_VERSION } as const;

/** Target group/kind -> type: the built-ins, replaced by the fleet's type configs. */
export function typeLookup(repo: { readonly objects: readonly SourceObject[] }): Map<string, TypeSpec> {
  const types = new Map<string, TypeSpec>();
  for (const t of [...builtinTypes(), ...typeConfigs(repo.objects).flatMap((f) => (f.spec ? [f.spec] : []))]) types.set(`${t.group}/${t.kind}`, t);
  return types;
}
