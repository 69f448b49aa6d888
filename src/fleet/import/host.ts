/**
 * @module fleet/import/host
 * Reading a live control plane for an import: list a kind, or learn that the host does not
 * serve it. Everything goes through the apply side's KubeClient (credentials from the
 * kubeconfig only).
 */
import { ApplyError } from '../../errors.js';
import type { KubeObject, ObjectRef } from '../../object.js';
import type { KubeClient } from '../../apply/member/kube-client.js';

export type Kind = Pick<ObjectRef, 'group' | 'version' | 'kind'>;

/** Every object of a kind (in `namespace`, or all); undefined when the host serves no such kind. */
export async function listKind(client: KubeClient, kind: Kind, namespace = '', labelSelector?: string): Promise<KubeObject[] | undefined> {
  try {
    const { items } = await client.list(kind, labelSelector, namespace);
    return [...items].sort((a, b) => `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`));
  } catch (err) {
    if (err instanceof ApplyError && err.code === 'NoKindMatch') return undefined;
    throw err;
  }
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}
