/**
 * @module owned-cache
 * What gitfed owns on one member, as a cache fed by one LIST per kind and then a watch: the
 * plan reads live objects from here, so a member already in sync costs one request per kind,
 * not per object. Only objects with gitfed's label are listed, every fleet's (a fleet must see
 * another's objects to leave them alone); an object that loses the label leaves the cache (the
 * watch reports it DELETED) and is applied again.
 */
import type { KubeObject } from '../../object.js';
import { KubeApiError, type KindRef as Kind, type MemberClient } from './member-client.js';
import { groupKindOf, refKey, refOf, type ObjectRef } from '../../object.js';

export type CacheEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; obj: KubeObject };

interface KindState {
  kind: Kind;
  resourceVersion: string;
  stop?: () => void;
  /** Bumped whenever gitfed stops the kind's watch itself, so that watch's end starts no new one. */
  watchGen?: number;
  listed: Promise<void>;
}

function rvNumber(obj: KubeObject): number {
  const rv = Number(obj.metadata.resourceVersion);
  return Number.isFinite(rv) ? rv : 0;
}

export class OwnedCache {
  private readonly objects = new Map<string, KubeObject>();
  private readonly kinds = new Map<string, KindState>();
  private stopped = false;

  /**
   * @param watch keep each kind current with a watch after its LIST (the daemon); a one-shot
   *   apply only lists.
   * @param onEvent called for every change a watch reports, after the cache took it.
   */
  constructor(
    private readonly client: MemberClient,
    private readonly watch: boolean,
    private readonly onEvent?: (ev: CacheEvent) => void,
  ) {}

  get(ref: ObjectRef): KubeObject | undefined {
    return this.objects.get(refKey(ref));
  }

  /** Objects of the kinds listed so far. */
  all(): KubeObject[] {
    return [...this.objects.values()];
  }

  /** Records what an apply returned, unless the cache already holds something newer. */
  put(obj: KubeObject): void {
    const key = refKey(refOf(obj));
    const cur = this.objects.get(key);
    if (!cur || rvNumber(obj) >= rvNumber(cur)) this.objects.set(key, obj);
  }

  remove(ref: ObjectRef): void {
    this.objects.delete(refKey(ref));
  }

  /** Lists every kind not yet known (and starts its watch); kinds the member does not serve are skipped. */
  async ensure(kinds: Iterable<Kind>): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const kind of kinds) {
      const key = groupKindOf(kind);
      let st = this.kinds.get(key);
      if (!st) {
        st = { kind, resourceVersion: '', listed: Promise.resolve() };
        this.kinds.set(key, st);
        this.listOrForget(st);
      }
      waits.push(st.listed);
    }
    await Promise.all(waits);
  }

  /** Lists every known kind again: the periodic backstop behind the watches. */
  async relist(): Promise<void> {
    await Promise.all([...this.kinds.values()].map((st) => this.listOrForget(st)));
  }

  /** Lists the kind; when that fails, forgets it, so the next ensure lists it again instead of rethrowing this error forever. */
  private listOrForget(st: KindState): Promise<void> {
    const key = groupKindOf(st.kind);
    st.listed = this.list(st).catch((err: unknown) => {
      if (this.kinds.get(key) === st) {
        this.stopWatch(st);
        this.kinds.delete(key);
      }
      throw err;
    });
    return st.listed;
  }

  private stopWatch(st: KindState): void {
    st.watchGen = (st.watchGen ?? 0) + 1;
    st.stop?.();
    st.stop = undefined;
  }

  /** Forgets a kind, so that the next ensure lists it again (a CRD that was just established). */
  forget(kind: Kind): void {
    const st = this.kinds.get(groupKindOf(kind));
    if (st) this.stopWatch(st);
    this.kinds.delete(groupKindOf(kind));
  }

  private async list(st: KindState): Promise<void> {
    let listed: { items: KubeObject[]; resourceVersion: string };
    try {
      listed = await this.client.listOwned(st.kind);
    } catch (err) {
      // A kind whose CRD is not there yet has nothing of ours; forget it so a later ensure asks again.
      const unknownKind = (err instanceof KubeApiError && err.status === 404) || (err as { code?: string }).code === 'NoKindMatch';
      if (!unknownKind) throw err;
      if (this.kinds.get(groupKindOf(st.kind)) === st) this.kinds.delete(groupKindOf(st.kind));
      return;
    }
    const gk = groupKindOf(st.kind);
    for (const [key, obj] of this.objects) if (groupKindOf(refOf(obj)) === gk) this.objects.delete(key);
    for (const obj of listed.items) this.objects.set(refKey(refOf(obj)), obj);
    st.resourceVersion = listed.resourceVersion;
    if (this.watch && !this.stopped) {
      this.stopWatch(st);
      await this.startWatch(st);
    }
  }

  private async startWatch(st: KindState): Promise<void> {
    if (this.stopped) return;
    const gen = st.watchGen ?? 0;
    const handle = await this.client.watchOwned(
      st.kind,
      st.resourceVersion,
      (type, obj) => {
        const rv = obj.metadata.resourceVersion;
        if (typeof rv === 'string' && rv) st.resourceVersion = rv;
        if (type === 'BOOKMARK') return;
        const key = refKey(refOf(obj));
        const known = this.objects.get(key);
        // The echo of gitfed's own apply, already taken from the response: nothing new.
        if (type !== 'DELETED' && known && known.metadata.resourceVersion === obj.metadata.resourceVersion) return;
        if (type === 'DELETED') this.objects.delete(key);
        else this.put(obj);
        this.onEvent?.({ type: type as CacheEvent['type'], obj });
      },
      (err) => {
        // Ended because gitfed replaced or stopped it (a relist, forget): its successor is already up.
        if (this.stopped || this.kinds.get(groupKindOf(st.kind)) !== st || (st.watchGen ?? 0) !== gen) return;
        // 410 Gone: the resource version is too old to resume from; list again.
        const gone = err instanceof KubeApiError && err.status === 410;
        const again = () =>
          (gone ? (st.listed = this.list(st)) : this.startWatch(st)).catch((e: unknown) => {
            // The kind is no longer served (its CRD was deleted): nothing left to watch.
            if ((e as { code?: string }).code === 'NoKindMatch' || (e instanceof KubeApiError && e.status === 404)) this.forget(st.kind);
            else setTimeout(again, 1000);
          });
        setTimeout(again, err && !gone ? 1000 : 0);
      },
    );
    if ((st.watchGen ?? 0) !== gen || this.stopped) {
      handle.stop(); // stopped or replaced while it was connecting
      return;
    }
    st.stop = handle.stop;
  }

  stop(): void {
    this.stopped = true;
    for (const st of this.kinds.values()) this.stopWatch(st);
  }
}
