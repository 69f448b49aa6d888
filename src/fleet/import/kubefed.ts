/**
 * @module fleet/import/kubefed
 * A live KubeFed host cluster as fleet files: its KubeFedClusters, FederatedTypeConfigs, every
 * Federated<Kind> those configs name, and ReplicaSchedulingPreferences. What has no place in git
 * (FederatedSecrets, the controller's KubeFedConfig) is listed as skipped with the reason.
 */
import { ApplyError } from '../../errors.js';
import { CONTEXT_ANNOTATION } from '../../render/inventory.js';
import { displayName, type KubeObject } from '../../object.js';
import type { KubeClient } from '../../apply/member/kube-client.js';
import { listKind } from './host.js';
import { stripServerFields } from './strip.js';
import type { ImportRead, Skipped } from './types.js';

export const KUBEFED_SYSTEM_NAMESPACE = 'kube-federation-system';

const CLUSTER_CONNECTION = ['secretRef', 'caBundle', 'proxyURL', 'disabledTLSValidations'];

interface FederatedTypeSpec {
  group?: string;
  version?: string;
  kind?: string;
}

/** A context of the importing user's kubeconfig and the server it points at. */
export interface KnownContext {
  readonly name: string;
  readonly server?: string;
}

/**
 * The kubeconfig context that stands for a KubeFedCluster: the one of its name (kubefedctl join
 * names the cluster after its context by default), else the one pointing at its apiEndpoint.
 */
function contextFor(name: string, endpoint: string | undefined, contexts: readonly KnownContext[]): { context?: string; why: string } {
  const named = contexts.find((c) => c.name === name);
  if (named) {
    const differs = endpoint !== undefined && named.server !== undefined && named.server !== endpoint;
    return { context: name, why: `the kubeconfig context of its name${differs ? ` (which points at ${named.server}, not ${endpoint}: check that it is the same cluster)` : ''}` };
  }
  const byServer = endpoint === undefined ? undefined : contexts.find((c) => c.server === endpoint);
  if (byServer) return { context: byServer.name, why: `kubeconfig context ${byServer.name}, which points at its apiEndpoint` };
  return { why: `no kubeconfig context is named ${name}${endpoint ? ` or points at ${endpoint}` : ''}: add one, or set annotation ${CONTEXT_ANNOTATION} to the context that reaches it (render warns until then)` };
}

function kubefedCluster(obj: KubeObject, notes: string[], contexts: readonly KnownContext[]): KubeObject {
  const out = stripServerFields(obj, ['region', 'zones']) as KubeObject & { spec?: Record<string, unknown> };
  const dropped = CLUSTER_CONNECTION.filter((k) => out.spec?.[k] !== undefined);
  for (const k of dropped) delete out.spec![k];
  const endpoint = typeof out.spec?.apiEndpoint === 'string' ? out.spec.apiEndpoint : undefined;
  const { context, why } = contextFor(obj.metadata.name, endpoint, contexts);
  // Recorded, so that render need not warn that apiEndpoint is not read: the mapping is decided.
  if (context !== undefined) out.metadata = { ...out.metadata, annotations: { ...(out.metadata.annotations ?? {}), [CONTEXT_ANNOTATION]: context } };
  const stands = context !== undefined ? `apply reaches it through ${why}, recorded in annotation ${CONTEXT_ANNOTATION}` : why;
  notes.push(`KubeFedCluster ${obj.metadata.name}${endpoint ? ` (apiEndpoint ${endpoint})` : ''}: ${stands}; ${dropped.length ? `${dropped.join(', ')} stay on the host, ` : ''}credentials never go into git`);
  return out;
}

/** The FTC as kubefedctl writes it: the core group is an absent `group` (omitempty upstream), never "". */
function typeConfig(ftc: KubeObject): KubeObject {
  const out = stripServerFields(ftc) as KubeObject & { spec?: Record<string, Record<string, unknown> | undefined> };
  for (const k of ['targetType', 'federatedType']) if (out.spec?.[k]?.group === '') delete out.spec[k]!.group;
  return out;
}

export async function readKubeFed(client: KubeClient, systemNamespace = KUBEFED_SYSTEM_NAMESPACE, contexts: readonly KnownContext[] = []): Promise<ImportRead> {
  const objects: KubeObject[] = [];
  const skipped: Skipped[] = [];
  const notes: string[] = [];
  const clusters = await listKind(client, { group: 'core.kubefed.io', version: 'v1beta1', kind: 'KubeFedCluster' }, systemNamespace);
  if (!clusters) {
    throw new ApplyError('NoKindMatch', `context ${client.context} serves no KubeFedCluster (core.kubefed.io/v1beta1): it is not a KubeFed host cluster`, { cluster: client.cluster, hint: 'name the context of the host cluster KubeFed runs in (kubefedctl join --host-cluster-context)' });
  }
  for (const c of clusters) objects.push(kubefedCluster(c, notes, contexts));

  const configs = (await listKind(client, { group: 'core.kubefed.io', version: 'v1beta1', kind: 'FederatedTypeConfig' }, systemNamespace)) ?? [];
  for (const ftc of configs) {
    objects.push(typeConfig(ftc));
    const ft = ((ftc as { spec?: { federatedType?: FederatedTypeSpec } }).spec?.federatedType ?? {}) as FederatedTypeSpec;
    if (!ft.group || !ft.version || !ft.kind) {
      skipped.push({ object: `FederatedTypeConfig/${ftc.metadata.name}`, reason: 'spec.federatedType names no group, version and kind: its objects cannot be listed' });
      continue;
    }
    const items = await listKind(client, { group: ft.group, version: ft.version, kind: ft.kind });
    if (!items) {
      skipped.push({ object: `FederatedTypeConfig/${ftc.metadata.name}`, reason: `the host serves no ${ft.kind} (${ft.group}/${ft.version}); its CRD is missing` });
      continue;
    }
    for (const o of items) {
      if (ft.kind === 'FederatedSecret') skipped.push({ object: displayName(o), reason: 'secret data never goes into git; create the Secret on the members out of band, or keep it encrypted with SOPS' });
      else objects.push(stripServerFields(o));
    }
  }

  for (const rsp of (await listKind(client, { group: 'scheduling.kubefed.io', version: 'v1alpha1', kind: 'ReplicaSchedulingPreference' })) ?? []) objects.push(stripServerFields(rsp));

  for (const cfg of (await listKind(client, { group: 'core.kubefed.io', version: 'v1beta1', kind: 'KubeFedConfig' }, systemNamespace)) ?? []) {
    skipped.push({ object: displayName(cfg), reason: "the KubeFed controller's own settings (sync interval, leader election, feature gates); gitfed has no such controller, see gitfed.yaml and gitfed daemon's flags" });
  }
  return { objects, skipped, notes };
}
