/**
 * A real smart-HTTP git server for tests: git's own `git http-backend` (CGI) behind a Node HTTP
 * server on loopback, serving every repository under `root`. go-git (Flux) and git alike need
 * the smart protocol, which only http-backend speaks.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpOptions {
  /** Every request needs these Basic credentials (401 otherwise), as a hosted remote does. */
  readonly auth?: { user: string; password: string };
  /** Collects every request line and header the server received. */
  readonly seen?: string[];
}

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>`; a repository is `<url>/<path under root>`. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startGitHttpServer(root: string, opts: GitHttpOptions = {}): Promise<GitHttpServer> {
  const expected = opts.auth ? `Basic ${Buffer.from(`${opts.auth.user}:${opts.auth.password}`).toString('base64')}` : undefined;
  const server: Server = createServer((req, res) => {
    opts.seen?.push(`${req.method} ${req.url}`, ...Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`));
    if (expected && req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="fleet"' });
      res.end('unauthorized\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH, GIT_PROJECT_ROOT: root, GIT_HTTP_EXPORT_ALL: '1', REMOTE_USER: 'test', REMOTE_ADDR: '127.0.0.1',
        PATH_INFO: url.pathname, QUERY_STRING: url.search.slice(1), REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '', HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
        GIT_CONFIG_NOSYSTEM: '1', HOME: root,
      },
    });
    req.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', (c: Buffer) => chunks.push(c));
    cgi.on('close', () => {
      const out = Buffer.concat(chunks);
      const split = out.indexOf('\r\n\r\n');
      const head = out.subarray(0, split).toString('latin1').split('\r\n');
      let status = 200;
      for (const line of head) {
        const [k, ...v] = line.split(': ');
        if (k?.toLowerCase() === 'status') status = Number(v.join(': ').split(' ')[0]);
        else if (k) res.setHeader(k, v.join(': '));
      }
      res.writeHead(status);
      res.end(out.subarray(split + 4));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
