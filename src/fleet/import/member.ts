/**
 * @module fleet/import/member
 * A namespace of a live member, as `kubefedctl federate namespace --contents` and `karmadactl
 * promote` take it: the objects of the fleet's federated types, minus what the cluster makes for
 * itself. Left out, with the reason: the `kube-root-ca.crt` ConfigMap (each cluster's own CA),
 * service-account token Secrets, the `default` ServiceAccount, objects another object owns (a
 * Deployment's ReplicaSets), every Secret (never into git), and the types asked to be skipped.
 * Server-set fields go as in every import, and a Service's allocated cluster IPs with them.
 */
import { displayName, type KubeObject } from '../../object.js';
import type { KubeClient } from '../../apply/member/kube-client.js';
import type { TypeSpec } from '../type-configs.js';
import { listKind } from './host.js';
import { stripServerFields } from './strip.js';
import type { ImportRead, Skipped } from './types.js';

/** Does a --skip-api-resources entry name this type? kubefedctl takes plural, plural.group, Kind. */
function skippedType(t: TypeSpec, skip: readonly string[]): boolean {
  const names = [t.pluralName, t.kind, t.group ? `${t.pluralName}.${t.group}` : t.pluralName].map((s) => s.toLowerCase());
  return skip.some((s) => names.includes(s.toLowerCase()));
}

/** Why the cluster's own object stays out, or undefined for the user's. */
export function systemReason(o: KubeObject): string | undefined {
  const md = o.metadata as KubeObject['metadata'] & { ownerReferences?: { kind: string; name: string }[] };
  if (md.ownerReferences?.length) return `owned by ${md.ownerReferences[0]!.kind}/${md.ownerReferences[0]!.name}, which makes it`;
  if (o.kind === 'ConfigMap' && o.metadata.name === 'kube-root-ca.crt') return "the cluster's own CA bundle, published in every namespace";
  if (o.kind === 'ServiceAccount' && o.metadata.name === 'default') return 'made by the cluster in every namespace';
  if (o.kind === 'Secret' && (o as { type?: string }).type === 'kubernetes.io/service-account-token') return 'a service-account token the cluster issues';
  if (o.kind === 'Secret') return 'secret data never goes into git; create it on the members out of band, or keep it encrypted with SOPS';
  return undefined;
}

/** What the member's API server set on a workload beyond server metadata. */
function withoutAllocated(o: KubeObject): KubeObject {
  const spec = (o as { spec?: Record<string, unknown> }).spec;
  if (o.kind === 'Service' && spec && spec.clusterIP !== 'None') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  }
  if (o.kind === 'ServiceAccount') delete (o as { secrets?: unknown }).secrets;
  return o;
}

export async function readNamespace(client: KubeClient, namespace: string, types: readonly TypeSpec[], skip: readonly string[] = []): Promise<ImportRead> {
  const objects: KubeObject[] = [];
  const skipped: Skipped[] = [];
  const ns = await client.get({ group: '', version: 'v1', kind: 'Namespace', namespace: '', name: namespace });
  if (!ns) return { objects, skipped: [{ object: `Namespace/${namespace}`, reason: `context ${client.context} has no such namespace` }], notes: [] };
  const nsObj = stripServerFields(ns) as KubeObject & { spec?: unknown };
  delete nsObj.spec;
  objects.push(nsObj);
  for (const t of types.filter((x) => x.scope === 'Namespaced' && x.propagation === 'Enabled' && !skippedType(x, skip))) {
    const items = await listKind(client, t, namespace);
    for (const o of items ?? []) {
      const why = systemReason(o);
      if (why) skipped.push({ object: displayName(o), reason: why });
      else objects.push(withoutAllocated(stripServerFields(o)));
    }
  }
  return { objects, skipped, notes: [] };
}

/** One object in KubeFed's federated form, placed on `clusters`, as kubefedctl federate writes it. */
export function federatedForm(o: KubeObject, t: TypeSpec, clusters: readonly string[]): KubeObject {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = o;
  const { name, namespace, ...templateMeta } = metadata;
  const template: Record<string, unknown> = { ...(Object.keys(templateMeta).length ? { metadata: templateMeta } : {}), ...rest };
  return {
    apiVersion: `${t.federatedGroup}/${t.federatedVersion}`,
    kind: t.federatedKind,
    // A FederatedNamespace lives in the namespace it federates.
    metadata: { name, namespace: o.kind === 'Namespace' ? name : namespace ?? '' },
    spec: { template, placement: { clusters: clusters.map((c) => ({ name: c })) } },
  } as KubeObject;
}
