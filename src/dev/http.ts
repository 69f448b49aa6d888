/**
 * The few raw API calls dev makes itself (readiness, the kwok node). Plain node:https: the
 * serving certificate does not exist until kube-apiserver has started, so readiness probes
 * cannot verify it yet; once it exists, callers pass it as `ca`.
 */
import { request } from 'node:https';

export interface Endpoint {
  readonly server: string;
  readonly token: string;
  /** PEM; absent means "do not verify", only for probing a server that is still starting. */
  readonly ca?: string;
}

export interface Response {
  readonly status: number;
  readonly body: string;
}

export function call(e: Endpoint, method: string, path: string, body?: unknown, timeoutMs = 5_000): Promise<Response> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, e.server),
      {
        method,
        headers: {
          authorization: `Bearer ${e.token}`,
          accept: 'application/json',
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
        ...(e.ca ? { ca: e.ca } : { rejectUnauthorized: false }),
        timeout: timeoutMs,
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}
