/**
 * @module controller/http
 * What every replica serves: /healthz, /readyz, /api/v1/status (the whole fleet, filterable),
 * /metrics, and the page. Loopback by default; any other address needs a bearer token, so a
 * port open to the network never happens by accident. The probes answer without the token
 * (kubelet cannot hold a secret, and they tell nothing); the data and the metrics need it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GitfedError } from '../errors.js';
import type { PropagationReport } from '../apply/status/report.js';
import { filterReport, parseStatusQuery } from './status-filter.js';
import { handleWebhook, type WebhookTarget } from './webhook.js';

export interface Check {
  readonly ok: boolean;
  readonly detail?: string;
}

export interface Served {
  report(): Promise<PropagationReport>;
  health(): Check;
  ready(): Check;
  metrics(): Promise<{ contentType: string; text: string }>;
  /** Static files of the page by path (`/`, `/app.js`, ...). */
  readonly assets?: ReadonlyMap<string, { contentType: string; body: string }>;
}

export interface HttpOptions {
  /** `host:port`; `:port` means every address. */
  readonly address: string;
  readonly token?: string;
  /** POST /api/v1/webhook fetches the branch now; absent, the endpoint answers 404. */
  readonly webhook?: WebhookTarget;
}

export interface HttpServer {
  /** The address bound, `host:port` (the port chosen when 0 was asked). */
  readonly address: string;
  close(): Promise<void>;
}

/** Host and port of `host:port`, `[v6]:port` or `:port`. */
export function parseAddress(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(address);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new GitfedError('InvalidFlag', `--http-address must be host:port (127.0.0.1:8080, [::1]:8080, :8080), not ${address}`);
  return { host: m[1] ?? m[2] ?? '', port };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Refuses an address reachable from the network without a token. */
export function checkExposure(address: string, token: string | undefined): void {
  const { host } = parseAddress(address);
  if (!isLoopback(host) && !token) {
    throw new GitfedError('InvalidFlag', `--http-address ${address} is reachable from the network; it needs a bearer token`, {
      hint: 'give --http-token-file FILE (clients send Authorization: Bearer <its content>), or serve on 127.0.0.1',
    });
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

function authorized(req: http.IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  return !!m && timingSafeEqual(digest(m[1]!.trim()), digest(token));
}

function send(res: http.ServerResponse, status: number, contentType: string, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...extra });
  res.end(body);
}

const json = (res: http.ServerResponse, status: number, value: unknown) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(value, null, 2) + '\n');

/** The page's own files only: no script, style or connection from anywhere else. */
const PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export async function serve(source: Served, opts: HttpOptions): Promise<HttpServer> {
  checkExposure(opts.address, opts.token);
  const { host, port } = parseAddress(opts.address);
  const server = http.createServer((req, res) => {
    handle(source, opts, req, res).catch((err: unknown) => {
      if (!res.headersSent) json(res, err instanceof GitfedError ? 400 : 500, { error: err instanceof GitfedError ? err.toJSON() : { message: (err as Error).message } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host || undefined, () => resolve());
  });
  const a = server.address() as AddressInfo;
  return {
    address: `${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(source: Served, opts: HttpOptions, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://gitfed');
  // The webhook carries its own proof (a signature over the body), not the bearer token.
  if (url.pathname === '/api/v1/webhook') {
    if (req.method !== 'POST') return send(res, 405, 'text/plain', 'only POST\n', { Allow: 'POST' });
    const r = await handleWebhook(opts.webhook, req);
    return send(res, r.status, 'text/plain; charset=utf-8', r.body);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'only GET\n', { Allow: 'GET, HEAD' });
  if (url.pathname === '/healthz' || url.pathname === '/readyz') {
    const c = url.pathname === '/healthz' ? source.health() : source.ready();
    return send(res, c.ok ? 200 : 503, 'text/plain; charset=utf-8', `${c.ok ? 'ok' : 'not ok'}${c.detail ? `: ${c.detail}` : ''}\n`);
  }
  const asset = source.assets?.get(url.pathname);
  if (asset) return send(res, 200, asset.contentType, asset.body, { 'Content-Security-Policy': PAGE_POLICY, 'Referrer-Policy': 'no-referrer' });
  if (!authorized(req, opts.token)) return send(res, 401, 'text/plain', 'a bearer token is needed\n', { 'WWW-Authenticate': 'Bearer realm="gitfed"' });
  if (url.pathname === '/metrics') {
    const m = await source.metrics();
    return send(res, 200, m.contentType, m.text);
  }
  if (url.pathname === '/api/v1/status') {
    const query = parseStatusQuery(url.searchParams);
    return json(res, 200, filterReport(await source.report(), query));
  }
  return send(res, 404, 'text/plain', 'not found\n');
}
