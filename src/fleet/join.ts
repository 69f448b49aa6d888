/**
 * @module fleet/join
 * `gitfed join`: a member cluster enters the fleet as one inventory document in
 * `clusters/<name>.yaml`. Upstream's join created a service account, RBAC and a token Secret;
 * gitfed keeps no credentials in git, so the document carries only what placement reads and, at
 * most, the name of the kubeconfig context the apply side should use.
 */
import { readFile } from 'node:fs/promises';
import { CONTEXT_ANNOTATION } from '../render/inventory.js';
import type { KubeObject } from '../object.js';
import { checkClusterName } from './args.js';
import { writeFileAtomic } from './atomic-write.js';
import { clusterDocuments, kindOf, type ClusterKind } from './clusters.js';
import { replaceDocument } from './documents.js';
import { FleetError } from './errors.js';
import { checkContext } from './kubeconfig.js';
import { loadRepo, repoPath, where } from './repo.js';
import { appendDocument, dumpDocument } from './yaml-text.js';

/** Upstream keeps KubeFedClusters in the KubeFed system namespace; gitfed ignores it but writes it for familiarity. */
export const KUBEFED_NAMESPACE = 'kube-federation-system';

export interface ClusterSpec {
  readonly name: string;
  readonly kind: ClusterKind;
  readonly labels?: Readonly<Record<string, string>>;
  readonly region?: string;
  readonly zones?: readonly string[];
  readonly provider?: string;
  /** Kubeconfig context for the apply side; omitted when it is the cluster's name (the default). */
  readonly context?: string;
}

export interface JoinOptions extends Omit<ClusterSpec, 'kind'> {
  readonly repo: string;
  /** @default the kind most of the fleet's clusters have; kubefed for an empty fleet */
  readonly kind?: ClusterKind;
  /** Check that the context exists in this kubeconfig. No cluster is contacted. */
  readonly kubeconfig?: string;
  /** Replace an existing document of the same cluster where it stands. @default false */
  readonly force?: boolean;
}

export interface JoinResult {
  readonly cluster: string;
  readonly kind: ClusterKind;
  readonly file: string;
  readonly action: 'created' | 'replaced' | 'appended';
  readonly document: KubeObject;
}

/**
 * The inventory document. KubeFed: region and zones in `status`, where upstream's cluster
 * controller put them (and where the inventory reads them); provider in `spec`, a gitfed field.
 * Karmada: all three in `spec`, with upstream's required `syncMode`.
 */
export function clusterDocument(c: ClusterSpec): KubeObject {
  const metadata: KubeObject['metadata'] = { name: c.name };
  if (c.kind === 'kubefed') metadata.namespace = KUBEFED_NAMESPACE;
  if (c.labels && Object.keys(c.labels).length > 0) metadata.labels = { ...c.labels };
  if (c.context && c.context !== c.name) metadata.annotations = { [CONTEXT_ANNOTATION]: c.context };
  const zones = c.zones && c.zones.length > 0 ? { zones: [...c.zones] } : {};
  if (c.kind === 'kubefed') {
    const status = { ...(c.region ? { region: c.region } : {}), ...zones };
    return {
      apiVersion: 'core.kubefed.io/v1beta1', kind: 'KubeFedCluster', metadata,
      ...(c.provider ? { spec: { provider: c.provider } } : {}),
      ...(Object.keys(status).length > 0 ? { status } : {}),
    };
  }
  return {
    apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata,
    spec: { syncMode: 'Push', ...(c.provider ? { provider: c.provider } : {}), ...(c.region ? { region: c.region } : {}), ...zones },
  };
}

export async function join(opts: JoinOptions): Promise<JoinResult> {
  checkClusterName(opts.name);
  if (opts.kubeconfig) await checkContext(opts.kubeconfig, opts.context ?? opts.name);
  const repo = await loadRepo(opts.repo);
  const all = clusterDocuments(repo.objects);
  const kind = opts.kind ?? majorityKind(all.map(kindOf));
  const doc = clusterDocument({ ...opts, kind });
  const text = dumpDocument(doc);

  const existing = all.filter((o) => o.obj.metadata.name === opts.name);
  if (existing.length > 0 && !opts.force) {
    throw new FleetError('ClusterExists', `cluster ${opts.name} is already in the fleet; use --force to replace its document`, { file: existing[0]!.pos.file, line: existing[0]!.pos.line, object: `${existing[0]!.obj.kind}/${opts.name}` });
  }
  if (existing.length > 1) {
    throw new FleetError('DuplicateCluster', `cluster ${opts.name} is defined more than once (${existing.map(where).join(', ')}); remove the extra documents by hand`, { file: existing[1]!.pos.file, line: existing[1]!.pos.line, object: `${existing[1]!.obj.kind}/${opts.name}` });
  }
  const old = existing[0];
  if (old) {
    const path = repoPath(repo, old.pos.file);
    await writeFileAtomic(path, replaceDocument(await readFile(path, 'utf8'), old.pos.line, text, old.pos.file));
    return { cluster: opts.name, kind, file: old.pos.file, action: 'replaced', document: doc };
  }
  const file = `clusters/${opts.name}.yaml`;
  // A file of that name holding something else keeps it: the cluster joins as one more document.
  const present = repo.files.get(file) ?? (await readFile(repoPath(repo, file), 'utf8').catch(() => undefined));
  await writeFileAtomic(repoPath(repo, file), present === undefined ? text : appendDocument(present, text));
  return { cluster: opts.name, kind, file, action: present === undefined ? 'created' : 'appended', document: doc };
}

/** The kind most clusters already have, so a fleet stays in one style; ties and an empty fleet go to kubefed. */
export function majorityKind(kinds: readonly ClusterKind[]): ClusterKind {
  const karmada = kinds.filter((k) => k === 'karmada').length;
  return karmada > kinds.length - karmada ? 'karmada' : 'kubefed';
}
