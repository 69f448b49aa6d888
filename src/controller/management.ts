/**
 * @module controller/management
 * The management cluster, as the controller talks to it: Leases, gitfed's status objects,
 * Events and Secrets in the controller's namespace. Every write that replaces an object carries
 * the resourceVersion it was read at, so a replica acting on an old view gets 409 Conflict
 * instead of overwriting a newer one. Requests go through the apply side's client (keep-alive,
 * bounded, credentials from a kubeconfig or the pod's service account).
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeClient, loadKubeConfig } from '../apply/member/kube-client.js';
import { KubeApiError } from '../apply/member/member-client.js';
import { GitfedError } from '../errors.js';
import type { KubeObject } from '../object.js';
import type { Lease } from './lease.js';

const LEASES = 'coordination.k8s.io/v1';

/** The service-account token is re-read this often: kubelet rotates projected tokens (they expire after an hour). */
const TOKEN_REFRESH_MS = 5 * 60_000;

export class Management {
  private refresher?: NodeJS.Timeout;

  private constructor(
    private current: KubeClient,
    readonly namespace: string,
  ) {}

  get client(): KubeClient {
    return this.current;
  }

  /** Requests sent to the management cluster since the start (over every client, the refreshed ones too). */
  requests(): number {
    return this.previous + this.current.stats.requests;
  }

  private previous = 0;

  /**
   * `kubeconfig` a file (its current context), or undefined for the pod's service account
   * (KUBERNETES_SERVICE_HOST/PORT, the token and CA files), as client-go's in-cluster config.
   * `namespace` undefined: the service account's namespace in a pod, else gitfed-system.
   */
  static async connect(kubeconfig: string | KubeConfig | undefined, namespace: string | undefined, timeoutMs: number): Promise<Management> {
    const load = (): KubeConfig => loadKubeConfig(kubeconfig, 'in-cluster');
    const kc = load();
    const connect = (k: KubeConfig) => KubeClient.connect(k, 'management', k.getCurrentContext(), { concurrency: 8, timeoutMs });
    const ns = namespace ?? (kubeconfig === undefined ? kc.getContextObject(kc.getCurrentContext())?.namespace : undefined) ?? 'gitfed-system';
    const m = new Management(await connect(kc), ns);
    if (kubeconfig === undefined) {
      m.refresher = setInterval(() => {
        connect(load()).then(
          (fresh) => {
            const old = m.current;
            m.previous += old.stats.requests;
            m.current = fresh;
            // Requests in flight on the old client finish; it closes a little later.
            setTimeout(() => old.close(), timeoutMs * 2).unref();
          },
          () => undefined, // the old token stays in use until a read works
        );
      }, TOKEN_REFRESH_MS);
      m.refresher.unref();
    }
    return m;
  }

  /** Secrets of the namespace matching the selector. */
  async listSecrets(labelSelector: string): Promise<KubeObject[]> {
    const { body } = await this.client.request<{ items?: KubeObject[] }>('GET', `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/secrets`, { query: { labelSelector } });
    return body.items ?? [];
  }

  async getSecret(name: string): Promise<KubeObject | undefined> {
    try {
      return (await this.client.request<KubeObject>('GET', `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/secrets/${encodeURIComponent(name)}`)).body;
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** ClusterProfiles (multicluster.x-k8s.io/v1alpha1) of a namespace; a clear error where the API is not installed. */
  async listClusterProfiles(namespace: string): Promise<KubeObject[]> {
    try {
      const { body } = await this.client.request<{ items?: KubeObject[] }>('GET', `/apis/multicluster.x-k8s.io/v1alpha1/namespaces/${encodeURIComponent(namespace)}/clusterprofiles`);
      return body.items ?? [];
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) throw new GitfedError('NotFound', 'the management cluster has no ClusterProfile API (multicluster.x-k8s.io/v1alpha1); install the cluster-inventory-api CRD, or leave out --members-from-cluster-profiles');
      throw err;
    }
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
    clearInterval(this.refresher);
    this.current.close();
  }
}

export function isConflict(err: unknown): boolean {
  return err instanceof KubeApiError && err.status === 409;
}
