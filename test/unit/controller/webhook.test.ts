/** The webhook's proof of origin: GitHub's HMAC over the body, GitLab's token; nothing else passes. */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { serve, type HttpServer, type Served } from '../../../src/controller/http.js';
import { authenticate } from '../../../src/controller/webhook.js';

const source: Served = {
  report: async () => ({}) as never,
  health: () => ({ ok: true }),
  ready: () => ({ ok: true }),
  metrics: async () => ({ contentType: 'text/plain', text: '' }),
};

const servers: HttpServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe('webhook authentication', () => {
  it("accepts GitHub's documented example signature, and nothing altered", () => {
    // docs.github.com, "Validating webhook deliveries": secret, payload and the signature they give.
    const secret = "It's a Secret to Everybody";
    const body = Buffer.from('Hello, World!');
    const sig = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(authenticate({ 'x-hub-signature-256': sig }, body, secret)).toBe('github');
    expect(authenticate({ 'x-hub-signature-256': sig.toUpperCase().replace('SHA256=', 'sha256=') }, body, secret)).toBe('github');
    expect(authenticate({ 'x-hub-signature-256': sig }, Buffer.from('Hello, World?'), secret)).toBeUndefined();
    expect(authenticate({ 'x-hub-signature-256': sig }, body, 'another secret')).toBeUndefined();
    expect(authenticate({ 'x-hub-signature-256': sig.slice(0, -2) }, body, secret)).toBeUndefined();
    expect(authenticate({ 'x-hub-signature-256': 'sha1=' + sig.slice(7) }, body, secret)).toBeUndefined();
    // A signature header that fails is not rescued by a GitLab token beside it.
    expect(authenticate({ 'x-hub-signature-256': 'sha256=' + '0'.repeat(64), 'x-gitlab-token': secret }, body, secret)).toBeUndefined();
  });

  it("accepts GitLab's token only when it is the secret", () => {
    expect(authenticate({ 'x-gitlab-token': 'tok-123' }, Buffer.alloc(0), 'tok-123')).toBe('gitlab');
    expect(authenticate({ 'x-gitlab-token': 'tok-12' }, Buffer.alloc(0), 'tok-123')).toBeUndefined();
    expect(authenticate({}, Buffer.alloc(0), 'tok-123')).toBeUndefined();
  });

  it('fetches only on an authenticated push to the branch; 404 when no secret is set', async () => {
    let fetched = 0;
    const logged: string[] = [];
    const secret = 'a-secret-of-sixteen+';
    const on = await serve(source, { address: '127.0.0.1:0', token: 'bearer-token-not-used-here', webhook: { secret, branch: 'rendered', refresh: async () => void fetched++, log: (e) => logged.push(e.msg) } });
    const off = await serve(source, { address: '127.0.0.1:0' });
    servers.push(on, off);
    const post = (address: string, body: string, headers: Record<string, string> = {}) => fetch(`http://${address}/api/v1/webhook`, { method: 'POST', body, headers });
    const sign = (b: string) => 'sha256=' + createHmac('sha256', secret).update(b).digest('hex');
    const push = JSON.stringify({ ref: 'refs/heads/rendered', secretish: 'payload-marker' });
    expect((await post(off.address, push, { 'X-Hub-Signature-256': sign(push) })).status).toBe(404);
    expect((await post(on.address, push)).status).toBe(401);
    expect((await post(on.address, push, { 'X-Hub-Signature-256': sign(push + ' ') })).status).toBe(401);
    expect(fetched).toBe(0);
    expect((await post(on.address, '{"zen":"x"}', { 'X-GitHub-Event': 'ping', 'X-Hub-Signature-256': sign('{"zen":"x"}') })).status).toBe(200);
    const main = JSON.stringify({ ref: 'refs/heads/main' });
    expect((await post(on.address, main, { 'X-Hub-Signature-256': sign(main) })).status).toBe(202);
    expect(fetched).toBe(0);
    // The bearer token of the API is not what a git host sends; the signature is enough.
    expect((await post(on.address, push, { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': sign(push) })).status).toBe(202);
    expect(fetched).toBe(1);
    expect(logged.filter((m) => /refused/.test(m))).toHaveLength(2);
    expect(logged.join('\n')).not.toContain('payload-marker');
  });
});
