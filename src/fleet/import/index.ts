/**
 * @module fleet/import
 * `gitfed import`: a live KubeFed host or Karmada control plane into a fleet repo.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '../../apply/member/kube-client.js';
import { readKarmada } from './karmada.js';
import { readKubeFed } from './kubefed.js';
import { federatedForm, readNamespace } from './member.js';
import { existsSync } from 'node:fs';
import { typeLookup } from '../federate.js';
import { loadRepo } from '../repo.js';
import { builtinTypes, type TypeSpec } from '../type-configs.js';
import { groupOf, type KubeObject } from '../../object.js';
import type { Style } from './layout.js';
import type { Skipped } from './types.js';
import { planFiles, writeFiles, type PlannedFile } from './write.js';

export interface ImportOptions {
  readonly from: Style;
  readonly context: string;
  readonly repo: string;
  readonly kubefedNamespace?: string;
  readonly dryRun?: boolean;
}

export interface ImportResult {
  readonly files: readonly Omit<PlannedFile, 'text'>[];
  readonly skipped: readonly Skipped[];
  readonly notes: readonly string[];
}

export async function importFleet(kc: KubeConfig, opts: ImportOptions): Promise<ImportResult> {
  const client = await KubeClient.connect(kc, opts.context, opts.context);
  try {
    const contexts = kc.getContexts().map((c) => ({ name: c.name, ...(kc.getCluster(c.cluster)?.server ? { server: kc.getCluster(c.cluster)!.server } : {}) }));
    const read = opts.from === 'kubefed' ? await readKubeFed(client, opts.kubefedNamespace, contexts) : await readKarmada(client);
    const files = planFiles(read.objects, opts.from, `${opts.from === 'kubefed' ? 'the KubeFed host' : 'the Karmada control plane'} of context ${opts.context}`);
    if (!opts.dryRun) await writeFiles(opts.repo, files);
    return { files: files.map(({ path, object }) => ({ path, object })), skipped: read.skipped, notes: read.notes };
  } finally {
    client.close();
  }
}

export interface MemberImportOptions {
  readonly context: string;
  readonly namespace: string;
  readonly repo: string;
  /** The fleet's federated types: the built-ins and its type configs. */
  readonly types: readonly TypeSpec[];
  /** --skip-api-resources: plural, plural.group or Kind. */
  readonly skip?: readonly string[];
  /** @default the member itself (kubefedctl places on the cluster it read from) */
  readonly clusters?: readonly string[];
  readonly dryRun?: boolean;
  /** Only this object of the namespace (`federate deployment web`). */
  readonly only?: { readonly kind: string; readonly group: string; readonly name: string };
}

/** The fleet's federated types: its type configs over the built-ins; the built-ins alone for a repo not there yet. */
export async function fleetTypes(repo: string): Promise<TypeSpec[]> {
  if (!existsSync(repo)) return builtinTypes();
  return [...typeLookup(await loadRepo(repo)).values()];
}

/** A live member's namespace (or one object of it) as KubeFed federated objects placed on that member. */
export async function importMember(kc: KubeConfig, opts: MemberImportOptions): Promise<ImportResult & { objects: readonly KubeObject[] }> {
  const client = await KubeClient.connect(kc, opts.context, opts.context);
  try {
    const byKind = new Map(opts.types.map((t) => [`${t.group}/${t.kind}`, t]));
    const types = opts.only ? opts.types.filter((t) => t.kind === opts.only!.kind && t.group === opts.only!.group) : opts.types;
    const read = await readNamespace(client, opts.namespace, types, opts.skip);
    const chosen = opts.only ? read.objects.filter((o) => o.kind === opts.only!.kind && o.metadata.name === opts.only!.name) : read.objects;
    const federated = chosen.map((o) => federatedForm(o, byKind.get(`${groupOf(o.apiVersion)}/${o.kind}`)!, opts.clusters ?? [opts.context]));
    const skipped = opts.only ? read.skipped.filter((x) => x.object === `${opts.only!.kind}/${opts.namespace}/${opts.only!.name}`) : read.skipped;
    const files = planFiles(federated, 'kubefed', `namespace ${opts.namespace} of context ${opts.context}`);
    if (!opts.dryRun) await writeFiles(opts.repo, files);
    return { files: files.map(({ path, object }) => ({ path, object })), skipped, notes: [], objects: federated };
  } finally {
    client.close();
  }
}
