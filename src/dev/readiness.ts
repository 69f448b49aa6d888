/** Waiting until etcd and each member really serve, with the reason when they do not. */
import { DevError } from '../errors.js';
import { sleep } from './duration.js';
import { call, type Endpoint } from './http.js';


export interface WaitOptions {
  readonly deadline: number;
  /** False once the process is gone: no point waiting for a dead server. */
  readonly alive: () => boolean;
  readonly what: string;
  /** Appended to a failure: typically the last lines of the process's log. */
  readonly diagnose: () => string;
}

async function poll(o: WaitOptions, probe: () => Promise<string | undefined>): Promise<void> {
  let last = 'no answer yet';
  for (;;) {
    if (!o.alive()) throw new DevError('StartFailed', `${o.what} exited while starting:\n${o.diagnose()}`);
    try {
      const problem = await probe();
      if (problem === undefined) return;
      last = problem;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() > o.deadline) {
      throw new DevError('StartTimeout', `${o.what} not ready in time (last: ${last}):\n${o.diagnose()}`);
    }
    await sleep(200);
  }
}

export function waitEtcd(url: string, o: WaitOptions): Promise<void> {
  return poll(o, async () => {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
    const body = await res.text();
    return res.ok && body.includes('"health":"true"') ? undefined : `GET /health: ${res.status} ${body.trim()}`;
  });
}

/**
 * /readyz is 200 only once etcd is reachable and every post-start hook (RBAC bootstrap
 * included) has run; the two namespaces then prove the server answers API calls.
 */
export function waitApiserver(e: Endpoint, o: WaitOptions): Promise<void> {
  return poll(o, async () => {
    const ready = await call(e, 'GET', '/readyz');
    if (ready.status !== 200) return `GET /readyz: ${ready.status} ${ready.body.trim().slice(0, 200)}`;
    for (const ns of ['default', 'kube-system']) {
      const r = await call(e, 'GET', `/api/v1/namespaces/${ns}`);
      if (r.status !== 200) return `namespace ${ns}: ${r.status}`;
    }
    return undefined;
  });
}
