/**
 * @module fleet/enable
 * `gitfed enable`: teaches the fleet a federated type by writing its FederatedTypeConfig to
 * `type-configs/<plural>.<group>.yaml`. Upstream also created the Federated<Kind> CRD in the host
 * cluster; gitfed has no host cluster, and render needs only the type config. The type is
 * described by a live cluster's discovery (`--from-cluster`, as kubefedctl looks it up), by
 * flags, or by the CRD's own file; built-in kinds fill themselves in, so
 * `gitfed enable deployments.apps` re-enables one that was disabled.
 */
import { readFile } from 'node:fs/promises';
import type { KubeObject } from '../object.js';
import { pluralName } from '../render/kubefed/target-types.js';
import { writeFileAtomic } from './atomic-write.js';
import { readCrd } from './crd.js';
import { editDocument, replaceDocument } from './documents.js';
import { FleetError } from './errors.js';
import type { LiveCluster } from './live.js';
import { loadRepo, repoPath, where } from './repo.js';
import { builtinType, DEFAULT_FEDERATED, differences, typeConfigDocument, typeConfigName, typeConfigs, type Scope, type TypeSpec } from './type-configs.js';
import { appendDocument, dumpDocument } from './yaml-text.js';

export interface EnableOptions {
  readonly repo: string;
  /** Kind, plural or plural.group; optional with `crd` when the file holds one CRD. */
  readonly type?: string;
  readonly version?: string;
  readonly scope?: string;
  readonly kind?: string;
  /** For a type given by Kind. @default "" (the core group) */
  readonly group?: string;
  /** @default kubefedctl's plural of the kind */
  readonly plural?: string;
  /** A file holding the type's CustomResourceDefinition. */
  readonly crd?: string;
  /** Look the type up in this live cluster's discovery, as kubefedctl enable does. */
  readonly fromCluster?: LiveCluster;
  /** @default types.kubefed.io */
  readonly federatedGroup?: string;
  /** @default v1beta1 */
  readonly federatedVersion?: string;
  /** Replace a type config of the same type that says something else. @default false */
  readonly force?: boolean;
  /** Compute the document, write nothing. @default false */
  readonly dryRun?: boolean;
}

export interface EnableResult {
  readonly name: string;
  readonly file: string;
  readonly action: 'created' | 'appended' | 'enabled' | 'unchanged' | 'replaced';
  readonly document: KubeObject;
}

const VERSION = /^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;

/** The type the options describe, every field checked. */
export async function resolveType(opts: EnableOptions): Promise<TypeSpec> {
  const fed = { federatedGroup: opts.federatedGroup ?? DEFAULT_FEDERATED.group, federatedVersion: opts.federatedVersion ?? DEFAULT_FEDERATED.version };
  let base: Partial<TypeSpec>;
  if (opts.crd && opts.fromCluster) throw new FleetError('InvalidFlag', 'give --crd FILE or --from-cluster CONTEXT, not both');
  if (opts.fromCluster) {
    if (opts.type === undefined) throw new FleetError('InvalidFlag', `name the type to look up in context ${opts.fromCluster.context} (Kind, plural, short name or plural.group)`);
    // Loaded here: the client is needed only for this form, and the other verbs share this module's importers.
    const { servedType } = await import('./live.js');
    const r = await servedType(opts.fromCluster, opts.type);
    base = { group: r.group, kind: r.kind, pluralName: r.name, scope: r.namespaced ? 'Namespaced' : 'Cluster', version: r.version };
  } else if (opts.crd) {
    const crd = await readCrd(opts.crd, opts.type);
    base = { group: crd.group, kind: crd.kind, pluralName: crd.pluralName, scope: crd.scope, version: crd.version };
  } else if (opts.type === undefined) {
    throw new FleetError('InvalidFlag', 'name the type to enable (Kind or plural.group), or give --crd FILE');
  } else {
    const builtin = builtinType(opts.type);
    if (builtin && opts.group === undefined) base = builtin;
    else if (opts.type.includes('.')) {
      const dot = opts.type.indexOf('.');
      base = { pluralName: opts.type.slice(0, dot), group: opts.type.slice(dot + 1) };
    } else if (/^[A-Z]/.test(opts.type)) {
      base = { kind: opts.type, group: opts.group ?? '' };
    } else {
      base = { pluralName: opts.type, group: opts.group ?? '' };
    }
  }
  const kind = opts.kind ?? base.kind;
  if (!kind) throw new FleetError('InvalidFlag', `${opts.type}: the kind cannot be guessed from a plural; give --kind`);
  if (!KIND.test(kind)) throw new FleetError('InvalidFlag', `--kind ${JSON.stringify(kind)}: a kind is letters and digits, starting with a letter`);
  const version = opts.version ?? base.version;
  if (!version) throw new FleetError('InvalidFlag', `${kind}: give --version (the version the members serve, e.g. v1)`);
  if (!VERSION.test(version)) throw new FleetError('InvalidFlag', `--version ${JSON.stringify(version)}: must look like v1, v1beta1 or v2alpha3`);
  const scope = opts.scope ?? base.scope;
  if (scope !== 'Namespaced' && scope !== 'Cluster') throw new FleetError('InvalidFlag', `${kind}: give --scope Namespaced or --scope Cluster${scope ? `, not ${JSON.stringify(scope)}` : ''}`);
  const plural = opts.plural ?? base.pluralName ?? pluralName(kind);
  return {
    group: base.group ?? '', version, kind, pluralName: plural, scope: scope as Scope,
    ...fed, federatedKind: `Federated${kind}`, propagation: 'Enabled',
  };
}

export async function enable(opts: EnableOptions): Promise<EnableResult> {
  const spec = await resolveType(opts);
  const name = typeConfigName(spec);
  const document = typeConfigDocument(spec);
  const text = dumpDocument(document);
  const repo = await loadRepo(opts.repo);
  const same = typeConfigs(repo.objects).filter((f) => f.src.obj.metadata.name === name || (f.spec && f.spec.federatedGroup === spec.federatedGroup && f.spec.federatedKind === spec.federatedKind));
  if (same.length > 1) {
    throw new FleetError('DuplicateTypeConfig', `${name} is configured more than once (${same.map((f) => where(f.src)).join(', ')}); remove the extra documents by hand`, { file: same[1]!.src.pos.file, line: same[1]!.src.pos.line });
  }
  const old = same[0];
  if (old) {
    const { file, line } = old.src.pos;
    const diff = old.spec ? differences(old.spec, spec) : ['it does not parse'];
    if (diff.length > 0 && !opts.force) {
      throw new FleetError('TypeConfigExists', `a type config for ${spec.federatedKind} already says something else (${diff.join('; ')}); use --force to replace it`, { file, line, object: `FederatedTypeConfig/${old.src.obj.metadata.name}` });
    }
    const path = repoPath(repo, file);
    const current = await readFile(path, 'utf8');
    if (diff.length > 0) {
      if (!opts.dryRun) await writeFileAtomic(path, replaceDocument(current, line, text, file));
      return { name, file, action: 'replaced', document };
    }
    if (old.spec?.propagation === 'Enabled') return { name, file, action: 'unchanged', document };
    // Only the switch flips, so the author's comments and layout stay.
    const edited = editDocument(current, line, file, (doc) => {
      doc.setIn(['spec', 'propagation'], 'Enabled');
      return true;
    });
    if (!opts.dryRun) await writeFileAtomic(path, edited.text);
    return { name, file, action: 'enabled', document };
  }
  const file = `type-configs/${name}.yaml`;
  const present = repo.files.get(file);
  if (!opts.dryRun) await writeFileAtomic(repoPath(repo, file), present === undefined ? text : appendDocument(present, text));
  return { name, file, action: present === undefined ? 'created' : 'appended', document };
}
