/**
 * @module controller/management
 * The management cluster, as the controller talks to it: Leases, gitfed's status objects,
 * Events and Secrets in the controller's namespace. Every write that replaces an object carries
 * the resourceVersion it was read at, so a replica acting on an old view gets 409 Conflict
 * instead of overwriting a newer one. Requests go through the apply side's client (keep-alive,
 * bounded, credentials from a kubeconfig or the pod's service account).
 */
import { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError, MemberClient } from '../apply/member/kube-client.js';
import type { Lease } from './lease.js';

const LEASES = 'coordination.k8s.io/v1';

export class Management {
  private constructor(
    readonly client: MemberClient,
    readonly namespace: string,
  ) {}

  /**
   * `kubeconfig` a file (its current context), or undefined for the pod's service account
   * (KUBERNETES_SERVICE_HOST/PORT, the token and CA files), as client-go's in-cluster config.
   */
  static async connect(kubeconfig: string | KubeConfig | undefined, namespace: string, timeoutMs: number): Promise<Management> {
    let kc: KubeConfig;
    if (kubeconfig instanceof KubeConfig) kc = kubeconfig;
    else {
      kc = new KubeConfig();
      if (kubeconfig) kc.loadFromFile(kubeconfig);
      else kc.loadFromCluster();
    }
    const client = await MemberClient.connect(kc, 'management', kc.getCurrentContext(), { concurrency: 8, timeoutMs });
    return new Management(client, namespace);
  }

  private leasePath(name = ''): string {
    return `/apis/${LEASES}/namespaces/${encodeURIComponent(this.namespace)}/leases${name ? `/${encodeURIComponent(name)}` : ''}`;
  }

  async listLeases(labelSelector: string): Promise<Lease[]> {
    const { body } = await this.client.request<{ items?: Lease[] }>('GET', this.leasePath(), { query: { labelSelector } });
    return body.items ?? [];
  }

  async getLease(name: string): Promise<Lease | undefined> {
    try {
      return (await this.client.request<Lease>('GET', this.leasePath(name))).body;
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** Fails with 409 AlreadyExists when another replica created it first. */
  async createLease(lease: Lease): Promise<Lease> {
    const body = { apiVersion: LEASES, kind: 'Lease', ...lease, metadata: { ...lease.metadata, namespace: this.namespace } };
    return (await this.client.request<Lease>('POST', this.leasePath(), { body })).body;
  }

  /** PUT conditional on `lease.metadata.resourceVersion`: 409 Conflict when it changed since. */
  async replaceLease(lease: Lease): Promise<Lease> {
    if (!lease.metadata.resourceVersion) throw new Error(`lease ${lease.metadata.name}: a replace needs the resourceVersion it was read at`);
    const body = { apiVersion: LEASES, kind: 'Lease', ...lease, metadata: { ...lease.metadata, namespace: this.namespace } };
    return (await this.client.request<Lease>('PUT', this.leasePath(lease.metadata.name), { body })).body;
  }

  async deleteLease(lease: Lease): Promise<void> {
    const body = { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: lease.metadata.resourceVersion } };
    try {
      await this.client.request('DELETE', this.leasePath(lease.metadata.name), { body });
    } catch (err) {
      if (!(err instanceof KubeApiError && (err.status === 404 || err.status === 409))) throw err;
    }
  }

  close(): void {
    this.client.close();
  }
}

export function isConflict(err: unknown): boolean {
  return err instanceof KubeApiError && err.status === 409;
}
