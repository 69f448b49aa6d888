/**
 * @module kube-client
 * One member's API server over HTTP: any request, discovery, list, watch (kube-member-client.ts
 * narrows it to what apply needs). @kubernetes/client-node reads the
 * kubeconfig and works out the credentials (tokens, client certificates, exec plugins); the
 * requests themselves go over one keep-alive agent per member, because client-node 1.x builds
 * a new agent, and so a new TLS connection, for every request. Requests are bounded per member;
 * watches run on a separate agent so they never hold a request slot.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { ApplyError } from '../../errors.js';
import type { KubeObject } from '../../object.js';
import { Semaphore } from './limit.js';
import { apiVersionOf, type ObjectIdentity, type ObjectRef } from '../../object.js';
import { KubeApiError, MemberUnreachableError, type KubeStatus, type RequestStats } from './member-client.js';
import { FIELD_MANAGER } from './ownership.js';

export interface ResourceInfo {
  readonly plural: string;
  readonly namespaced: boolean;
}

export interface KubeClientOptions {
  /** @default 16 */
  readonly concurrency?: number;
  /** @default 10000 */
  readonly timeoutMs?: number;
}

type Query = Record<string, string | number | boolean | undefined>;

interface RequestOpts {
  readonly query?: Query;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly object?: ObjectIdentity;
  readonly timeoutMs?: number;
  /** Accept header; a server-side Table (`as=Table`) is how `gitfed get` prints kubectl's columns. */
  readonly accept?: string;
}

const RETRIES = 5;

function retryable(err: KubeApiError): boolean {
  return err.status === 429 || err.status === 503 || err.status === 504 || /storage is \(re\)initializing/.test(err.message);
}

const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

export class KubeClient {
  readonly stats: RequestStats = { requests: 0, connections: 0, byVerb: {} };
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly watchAgent: http.Agent;
  private readonly limiter: Semaphore;
  private readonly seenSockets = new WeakSet<Socket>();
  private readonly discovery = new Map<string, Promise<Map<string, ResourceInfo>>>();
  private readonly timeoutMs: number;

  private constructor(
    readonly cluster: string,
    readonly context: string,
    server: string,
    tls: https.AgentOptions,
    private readonly headers: Record<string, string>,
    opts: KubeClientOptions,
  ) {
    this.url = new URL(server);
    const concurrency = opts.concurrency ?? 16;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.limiter = new Semaphore(concurrency);
    const agentOpts = { keepAlive: true, maxSockets: concurrency, ...tls };
    this.agent = this.url.protocol === 'http:' ? new http.Agent(agentOpts) : new https.Agent(agentOpts);
    this.watchAgent = this.url.protocol === 'http:' ? new http.Agent({ keepAlive: false }) : new https.Agent({ ...tls, keepAlive: false });
  }

  /** A client for `context` of the kubeconfig; credentials come from the kubeconfig only. */
  static async connect(kc: KubeConfig, cluster: string, context: string, opts: KubeClientOptions = {}): Promise<KubeClient> {
    const ctx = kc.getContextObject(context);
    if (!ctx) throw new ApplyError('ContextNotFound', `kubeconfig has no context ${JSON.stringify(context)}`, { cluster });
    const scoped = new KubeConfig();
    scoped.loadFromString(kc.exportConfig());
    scoped.setCurrentContext(context);
    const server = scoped.getCurrentCluster()?.server;
    if (!server) throw new ApplyError('ContextNotFound', `context ${context} names no cluster server`, { cluster });
    const reqOpts: https.RequestOptions & { headers?: Record<string, string> } = {};
    try {
      await scoped.applyToHTTPSOptions(reqOpts);
    } catch (err) {
      // client-node refuses plain http without skip-tls-verify; the token is all that is needed there.
      if (!server.startsWith('http:')) throw new ApplyError('CredentialsFailed', (err as Error).message, { cluster }, { cause: err });
      const token = scoped.getCurrentUser()?.token;
      if (token) reqOpts.headers = { Authorization: `Bearer ${token}` };
    }
    const tls: https.AgentOptions = {};
    for (const k of ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const) {
      if (reqOpts[k] !== undefined) (tls as Record<string, unknown>)[k] = reqOpts[k];
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(reqOpts.headers ?? {})) if (typeof v === 'string') headers[k] = v;
    if (reqOpts.auth) headers.Authorization = `Basic ${Buffer.from(reqOpts.auth).toString('base64')}`;
    return new KubeClient(cluster, context, server, tls, headers, opts);
  }

  get server(): string {
    return this.url.toString();
  }

  private pathWithQuery(path: string, query?: Query): string {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) qs.set(k, String(v));
    const s = qs.toString();
    return `${this.url.pathname.replace(/\/$/, '')}${path}${s ? `?${s}` : ''}`;
  }

  private send(method: string, path: string, opts: RequestOpts, agent: http.Agent): Promise<http.IncomingMessage> {
    const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const headers: Record<string, string> = { ...this.headers, Accept: opts.accept ?? 'application/json', 'User-Agent': 'gitfed' };
    if (body !== undefined) {
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const mod = this.url.protocol === 'http:' ? http : https;
    this.stats.requests++;
    this.stats.byVerb[method] = (this.stats.byVerb[method] ?? 0) + 1;
    return new Promise((resolve, reject) => {
      const req = mod.request(
        { protocol: this.url.protocol, hostname: this.url.hostname, port: this.url.port, method, path: this.pathWithQuery(path, opts.query), headers, agent },
        resolve,
      );
      req.on('socket', (s: Socket) => {
        if (!this.seenSockets.has(s)) {
          this.seenSockets.add(s);
          if (agent === this.agent) this.stats.connections++;
        }
      });
      req.on('error', (err: NodeJS.ErrnoException) => reject(this.networkError(err, opts.object)));
      const timeout = opts.timeoutMs ?? this.timeoutMs;
      if (timeout > 0) req.setTimeout(timeout, () => req.destroy(Object.assign(new Error(`no answer in ${timeout} ms`), { code: 'ETIMEDOUT' })));
      req.end(body);
    });
  }

  private networkError(err: NodeJS.ErrnoException, object?: ObjectIdentity): Error {
    if (err.code && NETWORK_ERRORS.has(err.code)) {
      return new MemberUnreachableError('MemberUnreachable', `${this.url.host}: ${err.message}`, { cluster: this.cluster, object }, { cause: err });
    }
    return err;
  }

  /**
   * One request under the member's concurrency bound; JSON in and out; >= 400 throws
   * KubeApiError. Answers that say "try again" (429, 503, 504, storage still initializing right
   * after a CRD is created) are retried a few times with backoff.
   */
  async request<T = KubeObject>(method: string, path: string, opts: RequestOpts = {}): Promise<{ status: number; body: T }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.requestOnce<T>(method, path, opts);
      } catch (err) {
        if (!(err instanceof KubeApiError) || !retryable(err) || attempt >= RETRIES) throw err;
        await new Promise((r) => setTimeout(r, Math.min(2000, (err.retryAfterSeconds ?? 0) * 1000 || 100 * 2 ** attempt)));
      }
    }
  }

  private async requestOnce<T>(method: string, path: string, opts: RequestOpts): Promise<{ status: number; body: T }> {
    return this.limiter.run(async () => {
      const res = await this.send(method, path, opts, this.agent);
      const chunks: Buffer[] = [];
      try {
        for await (const c of res) chunks.push(c as Buffer);
      } catch (err) {
        throw this.networkError(err as NodeJS.ErrnoException, opts.object);
      }
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        // not JSON (metrics, some proxies' errors): keep the text
      }
      const status = res.statusCode ?? 0;
      if (status >= 400) {
        const st: KubeStatus = typeof body === 'object' && body !== null ? (body as KubeStatus) : { message: `HTTP ${status}: ${text.slice(0, 200)}` };
        const err = new KubeApiError(status, st, { cluster: this.cluster, object: opts.object });
        const retryAfter = Number(res.headers['retry-after']);
        if (Number.isFinite(retryAfter)) err.retryAfterSeconds = retryAfter;
        throw err;
      }
      return { status, body: body as T };
    });
  }

  /** Resource name and scope of a kind, from discovery cached per group/version. */
  async resourceFor(ref: Pick<ObjectRef, 'group' | 'version' | 'kind'>): Promise<ResourceInfo> {
    const gv = apiVersionOf(ref);
    let found = (await this.discover(gv)).get(ref.kind);
    if (!found) {
      // A CRD established since the last look: ask again once.
      this.discovery.delete(gv);
      found = (await this.discover(gv)).get(ref.kind);
    }
    if (!found) throw new ApplyError('NoKindMatch', `the member serves no kind ${ref.kind} in ${gv}`, { cluster: this.cluster });
    return found;
  }

  private discover(gv: string): Promise<Map<string, ResourceInfo>> {
    let p = this.discovery.get(gv);
    if (!p) {
      const path = gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`;
      p = this.request<{ resources?: { name: string; kind: string; namespaced: boolean }[] }>('GET', path)
        .then(({ body }) => {
          const out = new Map<string, ResourceInfo>();
          for (const r of body.resources ?? []) if (!r.name.includes('/')) out.set(r.kind, { plural: r.name, namespaced: r.namespaced });
          return out;
        })
        .catch((err: unknown) => {
          this.discovery.delete(gv);
          if (err instanceof KubeApiError && err.status === 404) return new Map<string, ResourceInfo>();
          throw err;
        });
      this.discovery.set(gv, p);
    }
    return p;
  }

  /** Collection path (no name) or object path of a ref. */
  async pathOf(ref: ObjectRef, withName = true): Promise<string> {
    const info = await this.resourceFor(ref);
    const base = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
    const ns = info.namespaced && ref.namespace ? `/namespaces/${encodeURIComponent(ref.namespace)}` : '';
    return `${base}${ns}/${info.plural}${withName ? `/${encodeURIComponent(ref.name)}` : ''}`;
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return (await this.request('GET', await this.pathOf(ref), { object: ref })).body;
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** Server-side apply under field manager `gitfed`. */
  async apply(ref: ObjectRef, payload: KubeObject, opts: { force: boolean; dryRun?: boolean }): Promise<{ status: number; body: KubeObject }> {
    return this.request('PATCH', await this.pathOf(ref), {
      query: { fieldManager: FIELD_MANAGER, force: opts.force, dryRun: opts.dryRun ? 'All' : undefined },
      body: payload,
      contentType: 'application/apply-patch+yaml',
      object: ref,
    });
  }

  /** Deletes with background propagation; false when it was already gone. */
  async delete(ref: ObjectRef, opts: { dryRun?: boolean; uid?: string } = {}): Promise<boolean> {
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' };
    if (opts.dryRun) body.dryRun = ['All'];
    // A precondition on uid: never delete an object that replaced the one we looked at.
    if (opts.uid) body.preconditions = { uid: opts.uid };
    try {
      await this.request('DELETE', await this.pathOf(ref), { body, object: ref });
      return true;
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return false;
      throw err;
    }
  }

  /** Lists one kind across namespaces, or in one. */
  async list(ref: Pick<ObjectRef, 'group' | 'version' | 'kind'>, labelSelector?: string, namespace = ''): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    const path = await this.pathOf({ ...ref, namespace, name: '' }, false);
    const { body } = await this.request<{ items?: KubeObject[]; metadata?: { resourceVersion?: string } }>('GET', path, { query: { labelSelector } });
    const apiVersion = apiVersionOf(ref);
    // List items come without apiVersion and kind.
    const items = (body.items ?? []).map((o) => ({ ...o, apiVersion, kind: ref.kind }));
    return { items, resourceVersion: body.metadata?.resourceVersion ?? '' };
  }

  /**
   * Watches one kind from `resourceVersion`; calls `onEvent` per event and `onEnd` once when the
   * stream stops (server timeout, 410 Gone, network error, or `stop()`).
   */
  async watch(
    ref: Pick<ObjectRef, 'group' | 'version' | 'kind'>,
    opts: { labelSelector?: string; resourceVersion: string; timeoutSeconds?: number },
    onEvent: (type: string, obj: KubeObject) => void,
    onEnd: (err?: Error) => void,
  ): Promise<{ stop: () => void }> {
    const path = await this.pathOf({ ...ref, namespace: '', name: '' }, false);
    const query: Query = { watch: true, allowWatchBookmarks: true, resourceVersion: opts.resourceVersion, labelSelector: opts.labelSelector, timeoutSeconds: opts.timeoutSeconds ?? 300 };
    const res = await this.send('GET', path, { query, timeoutMs: 0 }, this.watchAgent);
    const apiVersion = apiVersionOf(ref);
    let ended = false;
    const end = (err?: Error) => {
      if (!ended) {
        ended = true;
        onEnd(err);
      }
    };
    if ((res.statusCode ?? 0) >= 400) {
      res.resume();
      end(new KubeApiError(res.statusCode ?? 0, { message: `watch failed with HTTP ${res.statusCode}` }, { cluster: this.cluster }));
      return { stop: () => undefined };
    }
    let buffered = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (!line.trim()) continue;
        try {
          const ev = JSON.parse(line) as { type: string; object: KubeObject & KubeStatus };
          if (ev.type === 'ERROR') {
            end(new KubeApiError(ev.object.code ?? 500, ev.object, { cluster: this.cluster }));
            res.destroy();
            return;
          }
          onEvent(ev.type, { ...ev.object, apiVersion, kind: ref.kind });
        } catch (err) {
          end(err as Error);
          res.destroy();
          return;
        }
      }
    });
    res.on('end', () => end());
    res.on('error', (err) => end(err));
    res.on('close', () => end());
    return { stop: () => res.destroy() };
  }

  /** The API server's Prometheus metrics, as text. */
  async metrics(): Promise<string> {
    const { body } = await this.request<string>('GET', '/metrics');
    return typeof body === 'string' ? body : JSON.stringify(body);
  }

  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }
}

/**
 * Loads a kubeconfig file; without one, the default chain ($KUBECONFIG, ~/.kube/config) or, for
 * a process in a pod, the service account (client-go's in-cluster config). A loaded one is kept.
 */
export function loadKubeConfig(file?: string | KubeConfig, without: 'default' | 'in-cluster' = 'default'): KubeConfig {
  if (file instanceof KubeConfig) return file;
  const kc = new KubeConfig();
  if (file) kc.loadFromFile(file);
  else if (without === 'in-cluster') kc.loadFromCluster();
  else kc.loadFromDefault();
  return kc;
}
