/** What every replica serves, on a real socket: probes, the filtered status, metrics, and the token rule. */
import { afterEach, describe, expect, it } from 'vitest';
import { buildReport, countActions, type MemberReport, type ObjectStatus } from '../../../src/apply/status/report.js';
import { checkExposure, isLoopback, parseAddress, serve, type HttpServer, type Served } from '../../../src/controller/http.js';
import { filterReport } from '../../../src/controller/status-filter.js';
import { GitfedError } from '../../../src/errors.js';

const o = (kind: string, name: string, action: ObjectStatus['action'] = 'unchanged'): ObjectStatus => ({ key: `apps/${kind}/shop/${name}`, object: `${kind}/shop/${name}`, action });
const member = (cluster: string, state: MemberReport['state'], objects: ObjectStatus[]): MemberReport => ({ cluster, context: cluster, state, health: 'Ready', lastAttempt: 't', counts: countActions(objects), objects });
const REPORT = buildReport('https://example.com/fleet.git', [member('eu-1', 'Synced', [o('Deployment', 'web'), o('ConfigMap', 'cfg')]), member('us-1', 'Failed', [o('Deployment', 'web', 'failed'), o('Service', 'web')])], { now: 't', branchCommit: 'b' });

let ready = false;
const source: Served = {
  report: async () => REPORT,
  health: () => ({ ok: true }),
  ready: () => (ready ? { ok: true } : { ok: false, detail: 'not yet tried: eu-1' }),
  metrics: async () => ({ contentType: 'text/plain; version=0.0.4', text: 'gitfed_up 1\n' }),
  assets: new Map([['/', { contentType: 'text/html', body: '<!doctype html><title>gitfed</title>' }]]),
};

const servers: HttpServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function start(token?: string): Promise<(path: string, headers?: Record<string, string>) => Promise<{ status: number; body: string; headers: Headers }>> {
  const s = await serve(source, { address: '127.0.0.1:0', token });
  servers.push(s);
  return async (path, headers = {}) => {
    const r = await fetch(`http://${s.address}${path}`, { headers });
    return { status: r.status, body: await r.text(), headers: r.headers };
  };
}

describe('the HTTP API', () => {
  it('answers the probes: /readyz only once every held member was tried', async () => {
    const get = await start();
    expect(await get('/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    ready = false;
    expect(await get('/readyz')).toMatchObject({ status: 503, body: 'not ok: not yet tried: eu-1\n' });
    ready = true;
    expect((await get('/readyz')).status).toBe(200);
  });

  it('serves the whole report, filtered by member, state, kind, action and object', async () => {
    const get = await start();
    const all = JSON.parse((await get('/api/v1/status')).body);
    expect(all.members.map((m: MemberReport) => m.cluster)).toEqual(['eu-1', 'us-1']);
    const failed = JSON.parse((await get('/api/v1/status?state=Failed')).body);
    expect(failed.members.map((m: MemberReport) => m.cluster)).toEqual(['us-1']);
    expect(failed.federated.map((f: { object: string }) => f.object)).toEqual(['Deployment/shop/web', 'Service/shop/web']);
    const deployments = JSON.parse((await get('/api/v1/status?kind=Deployment&member=eu-1,us-1')).body);
    expect(deployments.members.map((m: MemberReport) => m.objects.map((x) => x.object))).toEqual([['Deployment/shop/web'], ['Deployment/shop/web']]);
    const byName = JSON.parse((await get('/api/v1/status?object=cfg')).body);
    expect(byName.members.map((m: MemberReport) => m.objects.length)).toEqual([1, 0]);
    const bad = await get('/api/v1/status?colour=red');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.code).toBe('BadQuery');
  });

  it('serves metrics, the page with a strict policy, and nothing else', async () => {
    const get = await start();
    expect(await get('/metrics')).toMatchObject({ status: 200, body: 'gitfed_up 1\n' });
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect((await get('/nope')).status).toBe(404);
    const post = await fetch(`http://${servers[0]!.address}/api/v1/status`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('with a token: data and metrics need it, the probes and the page do not', async () => {
    const token = 'a-token-of-some-length';
    const get = await start(token);
    expect((await get('/api/v1/status')).status).toBe(401);
    expect((await get('/metrics', { Authorization: 'Bearer wrong-token-of-length' })).status).toBe(401);
    expect((await get('/metrics', { Authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await get('/api/v1/status', { Authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/')).status).toBe(200);
  });

  it('never opens a port to the network without a token', async () => {
    expect(() => checkExposure('0.0.0.0:8080', undefined)).toThrow(GitfedError);
    expect(() => checkExposure(':8080', undefined)).toThrow(/reachable from the network/);
    expect(() => checkExposure('[::]:8080', undefined)).toThrow(/needs a bearer token/);
    expect(() => checkExposure('0.0.0.0:8080', 'x'.repeat(16))).not.toThrow();
    expect(() => checkExposure('127.0.0.1:8080', undefined)).not.toThrow();
    await expect(serve(source, { address: '0.0.0.0:0' })).rejects.toThrow(/bearer token/);
    expect([isLoopback('127.0.0.1'), isLoopback('127.3.2.1'), isLoopback('::1'), isLoopback('localhost'), isLoopback('10.0.0.1'), isLoopback('')]).toEqual([true, true, true, true, false, false]);
    expect(parseAddress('[::1]:80')).toEqual({ host: '::1', port: 80 });
    expect(() => parseAddress('8080')).toThrow(/host:port/);
  });
});

describe('status filters', () => {
  it('keep the report whole without a filter', () => {
    expect(filterReport(REPORT, {})).toEqual(REPORT);
  });
  it('drop federated objects left with no member', () => {
    const r = filterReport(REPORT, { member: 'eu-1' });
    expect(r.federated.map((f) => f.object)).toEqual(['ConfigMap/shop/cfg', 'Deployment/shop/web']);
    expect(r.federated.every((f) => f.clusters.every((c) => c.name === 'eu-1'))).toBe(true);
  });
});
