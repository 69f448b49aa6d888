/**
 * @module member-client
 * What apply asks of one member, and nothing more: the contract between the reconcile and the
 * API server. kube-member-client.ts is the real one, over HTTP; unit tests pass a typed fake.
 * No transport here, so code that only needs the contract (and its errors) loads no client.
 */
import { ApplyError } from '../../errors.js';
import type { KubeObject, ObjectIdentity, ObjectRef } from '../../object.js';

/** A kind as the API serves it. */
export type KindRef = Pick<ObjectRef, 'group' | 'version' | 'kind'>;

export interface RequestStats {
  requests: number;
  /** TCP/TLS connections opened; equal to the concurrency at most when keep-alive works. */
  connections: number;
  byVerb: Record<string, number>;
}

/** What a server-side apply (or its dry-run) answered: 201 when it created the object. */
export interface ApplyResult {
  readonly status: number;
  readonly body: KubeObject;
}

export interface ListResult {
  readonly items: KubeObject[];
  readonly resourceVersion: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface MemberClient {
  readonly cluster: string;
  /** Requests sent so far; a reconcile reports how many it took. */
  readonly stats: RequestStats;
  /** Whether the member serves the kind namespaced; an ApplyError `NoKindMatch` when it does not serve it. */
  namespaced(kind: KindRef): Promise<boolean>;
  /** The live object, or undefined when there is none. */
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  /** Every object of the kind that carries gitfed's label, every fleet's, with the list's resourceVersion. */
  listOwned(kind: KindRef): Promise<ListResult>;
  /** Changes to those objects from `resourceVersion` on; `onEnd` is called once, whatever ends the stream. */
  watchOwned(kind: KindRef, resourceVersion: string, onEvent: (type: WatchEventType, obj: KubeObject) => void, onEnd: (err?: Error) => void): Promise<{ stop: () => void }>;
  /** Server-side apply under gitfed's field manager; `force` takes fields other managers own. */
  apply(ref: ObjectRef, payload: KubeObject, opts: { force: boolean }): Promise<ApplyResult>;
  /** The same apply as a server-side dry-run: what the member would store; nothing is written. */
  dryRun(ref: ObjectRef, payload: KubeObject, opts: { force: boolean }): Promise<ApplyResult>;
  /** Deletes (background propagation); with `uid`, never an object that replaced the one looked at. false when already gone. */
  delete(ref: ObjectRef, opts?: { uid?: string }): Promise<boolean>;
  /** Every fleet's inventory ConfigMap (and the legacy one) as stored. */
  listInventories(): Promise<KubeObject[]>;
  /**
   * Writes an inventory ConfigMap, creating its namespace on a member that has none. With
   * `resourceVersion`, only over that version of it: a KubeApiError 409 when another writer came
   * in between, so two runs never overwrite each other's record.
   */
  writeInventory(cm: KubeObject, opts?: { resourceVersion?: string }): Promise<KubeObject>;
  close(): void;
}

export interface KubeStatusCause {
  reason?: string;
  type?: string;
  message?: string;
  field?: string;
}

/** A Kubernetes Status returned with an error code. */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: KubeStatusCause[]; name?: string; kind?: string };
}

/** The API server answered with an error; `reason` is Kubernetes' own (Conflict, Forbidden, ...), an open set. */
export class KubeApiError extends ApplyError {
  readonly status: number;
  readonly reason: string;
  readonly causes: readonly KubeStatusCause[];
  retryAfterSeconds?: number;
  constructor(status: number, body: KubeStatus, ctx: { cluster: string; object?: ObjectIdentity | string }) {
    super('ApiRequestFailed', body.message || `HTTP ${status}`, ctx);
    this.status = status;
    this.reason = body.reason ?? '';
    this.causes = body.details?.causes ?? [];
  }
}

/** The member could not be reached at all: connection refused, reset, or no answer in time. */
export class MemberUnreachableError extends ApplyError {}

/** A KubeApiError with this HTTP status. */
export function isStatus(err: unknown, status: number): err is KubeApiError {
  return err instanceof KubeApiError && err.status === status;
}
