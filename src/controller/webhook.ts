/**
 * @module controller/webhook
 * `POST /api/v1/webhook`: a git server says the branch moved, and the daemon fetches at once
 * instead of at the next interval. Authenticated by the sender's own scheme, never by the
 * bearer token (a git host cannot hold one): GitHub's (and Gitea's) `X-Hub-Signature-256`, an
 * HMAC-SHA256 of the body with the shared secret, or GitLab's `X-Gitlab-Token`, the secret
 * itself. Anything else is 401 and triggers nothing; the body is never logged.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type * as http from 'node:http';
import type { Logger } from './log.js';

/** GitHub caps a delivery at 25 MB; a push event is far smaller, and a bigger body is refused unread. */
export const WEBHOOK_MAX_BYTES = 5 << 20;

export interface WebhookTarget {
  readonly secret: string;
  /** The output branch: a push to another branch is acknowledged and ignored. */
  readonly branch: string;
  /** Fetch now; resolves when the fetch is done (the caller does not wait for it). */
  refresh(): Promise<void>;
  readonly log?: Logger;
}

const same = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);
const digest = (s: string | Buffer) => createHash('sha256').update(s).digest();

/** Who sent it, if the request proves it knows the secret; undefined otherwise. */
export function authenticate(headers: http.IncomingHttpHeaders, body: Buffer, secret: string): 'github' | 'gitlab' | undefined {
  const signature = headers['x-hub-signature-256'];
  if (typeof signature === 'string') {
    const m = /^sha256=([0-9a-f]{64})$/i.exec(signature.trim());
    return m && same(Buffer.from(m[1]!.toLowerCase(), 'hex'), createHmac('sha256', secret).update(body).digest()) ? 'github' : undefined;
  }
  const token = headers['x-gitlab-token'];
  if (typeof token === 'string') return same(digest(token), digest(secret)) ? 'gitlab' : undefined;
  return undefined;
}

/** The ref a push event names (GitHub's and GitLab's `ref`), if the body says. */
function pushedRef(body: Buffer): string | undefined {
  try {
    const ref = (JSON.parse(body.toString('utf8')) as { ref?: unknown }).ref;
    return typeof ref === 'string' ? ref : undefined;
  } catch {
    return undefined;
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > WEBHOOK_MAX_BYTES) {
        resolve(undefined);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Answers one webhook call: status and a short text body. */
export async function handleWebhook(target: WebhookTarget | undefined, req: http.IncomingMessage): Promise<{ status: number; body: string }> {
  if (!target) return { status: 404, body: 'no webhook secret is configured (--webhook-secret-file)\n' };
  const body = await readBody(req);
  const from = req.socket.remoteAddress ?? 'unknown';
  if (!body) return { status: 413, body: 'too large\n' };
  const sender = authenticate(req.headers, body, target.secret);
  if (!sender) {
    target.log?.({ level: 'warn', msg: `webhook from ${from} refused: ${req.headers['x-hub-signature-256'] || req.headers['x-gitlab-token'] ? 'bad signature' : 'no signature'} (${body.length} bytes, not logged)`, action: 'webhook' });
    return { status: 401, body: 'bad or missing signature\n' };
  }
  const event = String(req.headers['x-github-event'] ?? req.headers['x-gitlab-event'] ?? 'push');
  if (event === 'ping') return { status: 200, body: 'pong\n' };
  const ref = pushedRef(body);
  if (ref !== undefined && ref !== `refs/heads/${target.branch}`) {
    target.log?.({ level: 'info', msg: `webhook (${sender}) for ${ref}: not ${target.branch}, ignored`, action: 'webhook' });
    return { status: 202, body: `ignored: ${ref} is not refs/heads/${target.branch}\n` };
  }
  target.log?.({ level: 'info', msg: `webhook (${sender} ${event}${ref ? ` ${ref}` : ''}): fetching now`, action: 'webhook' });
  target.refresh().catch((err: unknown) => target.log?.({ level: 'warn', msg: `fetch after a webhook failed: ${(err as Error).message}`, action: 'webhook' }));
  return { status: 202, body: 'fetching\n' };
}
