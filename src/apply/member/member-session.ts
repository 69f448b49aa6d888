/**
 * @module member-session
 * Everything gitfed keeps about one member between reconciles: the client with its
 * keep-alive connections, the owned-object cache and the dry-run verdicts that cleared
 * false drift alarms. A one-shot apply makes one and throws it away; the daemon keeps it.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { ApplyConfig } from '../config.js';
import type { Inventory } from './inventory.js';
import type { PreparedObject } from '../plan/plan.js';
import { KubeMemberClient } from './kube-member-client.js';
import type { MemberClient } from './member-client.js';
import { OwnedCache, type CacheEvent } from './owned-cache.js';

export class MemberSession {
  /** refKey -> `resourceVersion:digest` a dry-run found in sync. */
  readonly verified = new Map<string, string>();
  readonly cache: OwnedCache;
  /** Every fleet's inventory as last read (this fleet's as last written); the daemon's drift passes trust it instead of asking. */
  inventories?: Inventory[];
  /** The payloads of the last target, reused while the target, the fleet (and every kind's scope) are the same. */
  prepared?: { readonly parsed: object; readonly fleet: string; readonly list: PreparedObject[] };

  constructor(
    readonly client: MemberClient,
    watch: boolean,
    onEvent?: (ev: CacheEvent) => void,
  ) {
    this.cache = new OwnedCache(client, watch, onEvent);
  }

  get cluster(): string {
    return this.client.cluster;
  }

  static async open(kc: KubeConfig, cluster: string, context: string, config: ApplyConfig, opts: { watch?: boolean; onEvent?: (ev: CacheEvent) => void } = {}): Promise<MemberSession> {
    const client = await KubeMemberClient.connect(kc, cluster, context, { concurrency: config.requestConcurrency, timeoutMs: config.requestTimeoutSeconds * 1000 });
    return new MemberSession(client, opts.watch ?? false, opts.onEvent);
  }

  close(): void {
    this.cache.stop();
    this.client.close();
  }
}

/** The kubeconfig context of a member: the configured mapping, else the metadata's, else its name. */
export function contextFor(cluster: string, config: ApplyConfig, fromMetadata?: string): string {
  return config.contexts[cluster] ?? fromMetadata ?? cluster;
}
