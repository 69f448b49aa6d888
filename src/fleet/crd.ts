/**
 * @module fleet/crd
 * Reads a CustomResourceDefinition file for `gitfed enable --crd`, so group, kind, plural, scope
 * and version come from the CRD the members will serve instead of being typed again.
 */
import { readFile } from 'node:fs/promises';
import { loadFile } from '../render/load.js';
import type { SourceObject } from '../render/types.js';
import { FleetError } from './errors.js';
import type { Scope } from './type-configs.js';

export interface CrdType {
  readonly group: string;
  readonly kind: string;
  readonly pluralName: string;
  readonly scope: Scope;
  /** The storage version, else the first served one. */
  readonly version: string;
  readonly src: SourceObject;
}

function isCrd(o: SourceObject): boolean {
  return o.obj.kind === 'CustomResourceDefinition' && o.obj.apiVersion.startsWith('apiextensions.k8s.io/');
}

function parseCrd(src: SourceObject): CrdType {
  const spec = (src.obj.spec ?? {}) as { group?: unknown; scope?: unknown; names?: { kind?: unknown; plural?: unknown }; versions?: unknown; version?: unknown };
  const fail = (field: (string | number)[], message: string): never => {
    throw new FleetError('InvalidCRD', message, { file: src.pos.file, line: src.lineOf(field), object: `CustomResourceDefinition/${src.obj.metadata.name}` });
  };
  const group = typeof spec.group === 'string' && spec.group ? spec.group : fail(['spec'], 'field spec.group: required string is missing');
  const kind = typeof spec.names?.kind === 'string' && spec.names.kind ? spec.names.kind : fail(['spec', 'names'], 'field spec.names.kind: required string is missing');
  const plural = typeof spec.names?.plural === 'string' && spec.names.plural ? spec.names.plural : fail(['spec', 'names'], 'field spec.names.plural: required string is missing');
  const scope = spec.scope === 'Namespaced' || spec.scope === 'Cluster' ? spec.scope : fail(['spec', 'scope'], `field spec.scope: must be Namespaced or Cluster, not ${JSON.stringify(spec.scope ?? null)}`);
  const versions = Array.isArray(spec.versions) ? (spec.versions as { name?: unknown; served?: unknown; storage?: unknown }[]) : [];
  const storage = versions.find((v) => v?.storage === true) ?? versions.find((v) => v?.served !== false);
  const version = typeof storage?.name === 'string' ? storage.name : typeof spec.version === 'string' ? spec.version : fail(['spec', 'versions'], 'no served version: spec.versions needs an entry with a name');
  return { group, kind, pluralName: plural, scope, version, src };
}

/** The CRD in `file` that `query` names (Kind, plural or CRD name), or the only CRD when no query is given. */
export async function readCrd(file: string, query: string | undefined): Promise<CrdType> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new FleetError('FileNotFound', `cannot read the CRD file: ${(err as Error).message}`, { file }, { cause: err });
  }
  const loaded = loadFile(file, text);
  if (loaded.errors.length > 0) throw loaded.errors[0]!;
  const crds = loaded.objects.filter(isCrd);
  if (crds.length === 0) throw new FleetError('InvalidCRD', 'no CustomResourceDefinition (apiextensions.k8s.io) in this file', { file });
  const parsed = crds.map(parseCrd);
  const q = query?.toLowerCase();
  const chosen = q === undefined ? parsed : parsed.filter((c) => [c.kind.toLowerCase(), c.pluralName, `${c.pluralName}.${c.group}`].includes(q));
  if (chosen.length === 1) return chosen[0]!;
  const names = parsed.map((c) => `${c.pluralName}.${c.group}`).join(', ');
  throw new FleetError('InvalidCRD', q === undefined ? `several CRDs in this file (${names}): name the one to enable` : `no CRD here is ${query} (the file has ${names})`, { file });
}
