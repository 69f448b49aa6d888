/**
 * The member client over a local HTTP server standing in for the transport only (no Kubernetes
 * semantics are asserted here; those are the e2e tests'): connections are reused, requests are
 * bounded, retryable answers are retried, and a refused connection reads as an unreachable member.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeClient } from '../../../src/apply/member/kube-client.js';
import { KubeMemberClient } from '../../../src/apply/member/kube-member-client.js';
import { MemberUnreachableError } from '../../../src/apply/member/member-client.js';
import type { KubeObject } from '../../../src/object.js';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(handler: http.RequestListener): Promise<{ url: string; sockets: () => number; auth: string[] }> {
  let sockets = 0;
  const auth: string[] = [];
  const server = http.createServer((req, res) => {
    auth.push(String(req.headers.authorization));
    handler(req, res);
  });
  server.on('connection', () => sockets++);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets: () => sockets, auth };
}

function kubeconfig(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'secret-token' }],
    contexts: [{ name: 'm1', cluster: 'c', user: 'u' }],
    currentContext: 'm1',
  });
  return kc;
}

describe('KubeClient transport', () => {
  it('reuses keep-alive connections: never more than the concurrency bound', async () => {
    let inFlight = 0;
    let peak = 0;
    const s = await serve((_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        res.setHeader('Content-Type', 'application/json');
        res.end('{"kind":"Status"}');
      }, 2);
    });
    const client = await KubeClient.connect(kubeconfig(s.url), 'm1', 'm1', { concurrency: 4 });
    await Promise.all(Array.from({ length: 60 }, () => client.request('GET', '/api')));
    client.close();
    expect(client.stats.requests).toBe(60);
    expect(peak).toBeLessThanOrEqual(4);
    expect(s.sockets()).toBeLessThanOrEqual(4);
    expect(client.stats.connections).toBe(s.sockets());
    expect(s.auth.every((a) => a === 'Bearer secret-token')).toBe(true);
  });

  it('retries 429 and 503, not 409', async () => {
    let calls = 0;
    const s = await serve((req, res) => {
      calls++;
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/conflict') {
        res.statusCode = 409;
        res.end(JSON.stringify({ kind: 'Status', reason: 'Conflict', message: 'no', code: 409 }));
      } else if (calls < 3) {
        res.statusCode = calls === 1 ? 429 : 503;
        res.end(JSON.stringify({ kind: 'Status', message: 'later', code: res.statusCode }));
      } else res.end('{}');
    });
    const client = await KubeClient.connect(kubeconfig(s.url), 'm1', 'm1');
    await expect(client.request('GET', '/x')).resolves.toMatchObject({ status: 200 });
    expect(calls).toBe(3);
    await expect(client.request('GET', '/conflict')).rejects.toMatchObject({ status: 409, reason: 'Conflict', cluster: 'm1' });
    expect(calls).toBe(4);
    client.close();
  });

  it('reports a refused connection as an unreachable member, naming it', async () => {
    const s = await serve(() => undefined);
    const url = s.url;
    await new Promise((r) => servers.pop()!.close(r));
    const client = await KubeClient.connect(kubeconfig(url), 'm1', 'm1');
    const err = await client.request('GET', '/api').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MemberUnreachableError);
    expect((err as MemberUnreachableError).cluster).toBe('m1');
    client.close();
  });

  it('refuses a context the kubeconfig does not have', async () => {
    await expect(KubeClient.connect(kubeconfig('http://127.0.0.1:1'), 'm9', 'nope')).rejects.toThrow(/no context "nope"/);
  });
});

describe('KubeMemberClient inventory write', () => {
  it('writes over the version it read, and makes gitfed-system first on a new member', async () => {
    const seen: { method: string; path: string; body: KubeObject | undefined }[] = [];
    let namespaceMade = false;
    const s = await serve((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        const path = req.url!.split('?')[0]!;
        seen.push({ method: req.method!, path, body: text ? (JSON.parse(text) as KubeObject) : undefined });
        res.setHeader('Content-Type', 'application/json');
        if (path === '/api/v1') {
          res.end(JSON.stringify({ resources: [{ name: 'configmaps', kind: 'ConfigMap', namespaced: true }, { name: 'namespaces', kind: 'Namespace', namespaced: false }] }));
        } else if (path === '/api/v1/namespaces/gitfed-system') {
          namespaceMade = true;
          res.end(text);
        } else if (!namespaceMade) {
          res.statusCode = 404;
          res.end(JSON.stringify({ kind: 'Status', reason: 'NotFound', message: 'namespaces "gitfed-system" not found', code: 404 }));
        } else res.end(text);
      });
    });
    const client = await KubeMemberClient.connect(kubeconfig(s.url), 'm1', 'm1');
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gitfed-inventory-shop', namespace: 'gitfed-system' }, data: { format: 'v1' } };
    const written = await client.writeInventory(cm, { resourceVersion: '41' });
    client.close();
    const writes = seen.filter((r) => r.method === 'PATCH');
    expect(writes.map((r) => r.path)).toEqual([
      '/api/v1/namespaces/gitfed-system/configmaps/gitfed-inventory-shop',
      '/api/v1/namespaces/gitfed-system',
      '/api/v1/namespaces/gitfed-system/configmaps/gitfed-inventory-shop',
    ]);
    // The precondition travels in the applied object, where the API server checks it.
    expect(writes[2]!.body?.metadata.resourceVersion).toBe('41');
    expect(written.metadata.resourceVersion).toBe('41');
    expect(cm.metadata.resourceVersion).toBeUndefined();
  });
});
