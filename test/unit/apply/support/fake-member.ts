/**
 * A member in memory, typed as the MemberClient apply talks to: objects by key, resourceVersions
 * that grow on every write, gitfed's label selecting what listOwned returns, and an inventory
 * write that honours its resourceVersion precondition. No Kubernetes semantics beyond those:
 * the e2e tests hold apply to real members. Subclass and override a method to script a failure.
 */
import { KubeApiError, type ApplyResult, type KindRef, type ListResult, type MemberClient, type RequestStats, type WatchEventType } from '../../../../src/apply/member/member-client.js';
import { INVENTORY_NAMESPACE, INVENTORY_SELECTOR } from '../../../../src/apply/member/inventory.js';
import { OWNED_SELECTOR } from '../../../../src/apply/member/ownership.js';
import { refKey, refOf, type KubeObject, type ObjectRef } from '../../../../src/object.js';

const CLUSTER_SCOPED = new Set(['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding']);

function selects(selector: string, o: KubeObject): boolean {
  const [key, value] = selector.split('=') as [string, string];
  return o.metadata.labels?.[key] === value;
}

export class FakeMember implements MemberClient {
  readonly stats: RequestStats = { requests: 0, connections: 0, byVerb: {} };
  readonly store = new Map<string, KubeObject>();
  /** refKey of every delete, in order. */
  readonly deleted: string[] = [];
  /** refKey of every apply that was not a dry-run, in order. */
  readonly applied: string[] = [];
  private rv = 1;

  constructor(readonly cluster = 'm1') {}

  private count(verb: string): void {
    this.stats.requests++;
    this.stats.byVerb[verb] = (this.stats.byVerb[verb] ?? 0) + 1;
  }

  /** Puts an object on the member as another client would (no request counted). */
  put(obj: KubeObject): KubeObject {
    const stored = structuredClone(obj);
    stored.metadata.resourceVersion = String(++this.rv);
    stored.metadata.uid ??= `uid-${this.rv}`;
    this.store.set(refKey(refOf(stored)), stored);
    return stored;
  }

  async namespaced(kind: KindRef): Promise<boolean> {
    this.count('GET');
    return !CLUSTER_SCOPED.has(kind.kind);
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    this.count('GET');
    return structuredClone(this.store.get(refKey(ref)));
  }

  async listOwned(kind: KindRef): Promise<ListResult> {
    this.count('LIST');
    const items = [...this.store.values()].filter((o) => o.kind === kind.kind && selects(OWNED_SELECTOR, o));
    return { items: structuredClone(items), resourceVersion: String(this.rv) };
  }

  async watchOwned(_kind: KindRef, _rv: string, _onEvent: (type: WatchEventType, obj: KubeObject) => void, _onEnd: (err?: Error) => void): Promise<{ stop: () => void }> {
    return { stop: () => undefined };
  }

  private write(ref: ObjectRef, payload: KubeObject, dryRun: boolean): ApplyResult {
    const key = refKey(ref);
    const old = this.store.get(key);
    const obj = structuredClone(payload);
    if (dryRun) {
      // What the API server answers to a dry-run: the existing version, none for a creation.
      if (old) obj.metadata.resourceVersion = old.metadata.resourceVersion;
      else delete obj.metadata.resourceVersion;
      return { status: old ? 200 : 201, body: obj };
    }
    obj.metadata.uid = old?.metadata.uid ?? `uid-${this.rv + 1}`;
    obj.metadata.resourceVersion = String(++this.rv);
    this.store.set(key, obj);
    this.applied.push(key);
    return { status: old ? 200 : 201, body: structuredClone(obj) };
  }

  async apply(ref: ObjectRef, payload: KubeObject, _opts: { force: boolean }): Promise<ApplyResult> {
    this.count('PATCH');
    return this.write(ref, payload, false);
  }

  async dryRun(ref: ObjectRef, payload: KubeObject, _opts: { force: boolean }): Promise<ApplyResult> {
    this.count('PATCH');
    return this.write(ref, payload, true);
  }

  async delete(ref: ObjectRef, opts: { uid?: string } = {}): Promise<boolean> {
    this.count('DELETE');
    const key = refKey(ref);
    const old = this.store.get(key);
    if (!old) return false;
    if (opts.uid && old.metadata.uid !== opts.uid) throw new KubeApiError(409, { message: 'Precondition failed: UID in precondition does not match', reason: 'Conflict' }, { cluster: this.cluster });
    this.store.delete(key);
    this.deleted.push(key);
    return true;
  }

  async listInventories(): Promise<KubeObject[]> {
    this.count('LIST');
    return structuredClone([...this.store.values()].filter((o) => o.kind === 'ConfigMap' && o.metadata.namespace === INVENTORY_NAMESPACE && selects(INVENTORY_SELECTOR, o)));
  }

  async writeInventory(cm: KubeObject, opts: { resourceVersion?: string } = {}): Promise<KubeObject> {
    this.count('PATCH');
    const ref: ObjectRef = { group: '', version: 'v1', kind: 'ConfigMap', namespace: INVENTORY_NAMESPACE, name: cm.metadata.name };
    const old = this.store.get(refKey(ref));
    if (opts.resourceVersion !== undefined && old?.metadata.resourceVersion !== opts.resourceVersion) {
      throw new KubeApiError(409, { message: `Operation cannot be fulfilled on configmaps "${cm.metadata.name}": the object has been modified`, reason: 'Conflict' }, { cluster: this.cluster });
    }
    return this.write(ref, cm, false).body;
  }

  close(): void {}
}
