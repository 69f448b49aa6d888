/**
 * @module kube-member-client
 * The real MemberClient: the operations apply needs, over a KubeClient to the member's API server.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject, ObjectRef } from '../../object.js';
import { INVENTORY_NAMESPACE, INVENTORY_SELECTOR, inventoryNamespace } from './inventory.js';
import { KubeClient, type KubeClientOptions } from './kube-client.js';
import { isStatus, type ApplyResult, type KindRef, type ListResult, type MemberClient, type RequestStats, type WatchEventType } from './member-client.js';
import { OWNED_SELECTOR } from './ownership.js';

const CONFIG_MAP = { group: '', version: 'v1', kind: 'ConfigMap' } as const;

export class KubeMemberClient implements MemberClient {
  constructor(readonly kube: KubeClient) {}

  static async connect(kc: KubeConfig, cluster: string, context: string, opts: KubeClientOptions = {}): Promise<KubeMemberClient> {
    return new KubeMemberClient(await KubeClient.connect(kc, cluster, context, opts));
  }

  get cluster(): string {
    return this.kube.cluster;
  }

  get stats(): RequestStats {
    return this.kube.stats;
  }

  async namespaced(kind: KindRef): Promise<boolean> {
    return (await this.kube.resourceFor(kind)).namespaced;
  }

  get(ref: ObjectRef): Promise<KubeObject | undefined> {
    return this.kube.get(ref);
  }

  listOwned(kind: KindRef): Promise<ListResult> {
    return this.kube.list(kind, OWNED_SELECTOR);
  }

  watchOwned(kind: KindRef, resourceVersion: string, onEvent: (type: WatchEventType, obj: KubeObject) => void, onEnd: (err?: Error) => void): Promise<{ stop: () => void }> {
    return this.kube.watch(kind, { labelSelector: OWNED_SELECTOR, resourceVersion }, (type, obj) => onEvent(type as WatchEventType, obj), onEnd);
  }

  apply(ref: ObjectRef, payload: KubeObject, opts: { force: boolean }): Promise<ApplyResult> {
    return this.kube.apply(ref, payload, { force: opts.force });
  }

  dryRun(ref: ObjectRef, payload: KubeObject, opts: { force: boolean }): Promise<ApplyResult> {
    return this.kube.apply(ref, payload, { force: opts.force, dryRun: true });
  }

  delete(ref: ObjectRef, opts: { uid?: string } = {}): Promise<boolean> {
    return this.kube.delete(ref, opts);
  }

  async listInventories(): Promise<KubeObject[]> {
    return (await this.kube.list(CONFIG_MAP, INVENTORY_SELECTOR, INVENTORY_NAMESPACE)).items;
  }

  async writeInventory(cm: KubeObject, opts: { resourceVersion?: string } = {}): Promise<KubeObject> {
    const ref: ObjectRef = { ...CONFIG_MAP, namespace: INVENTORY_NAMESPACE, name: cm.metadata.name };
    // A resourceVersion in an apply is its precondition: the server refuses it (409) over any other version.
    const payload = opts.resourceVersion ? { ...cm, metadata: { ...cm.metadata, resourceVersion: opts.resourceVersion } } : cm;
    try {
      return (await this.kube.apply(ref, payload, { force: true })).body;
    } catch (err) {
      if (!isStatus(err, 404)) throw err;
      // First run on this member: the namespace is not there yet.
      await this.kube.apply({ group: '', version: 'v1', kind: 'Namespace', namespace: '', name: INVENTORY_NAMESPACE }, inventoryNamespace(this.cluster), { force: true });
      return (await this.kube.apply(ref, payload, { force: true })).body;
    }
  }

  close(): void {
    this.kube.close();
  }
}
