/**
 * Requests as the members counted them: apiserver_request_total from each member's /metrics,
 * read before and after a phase. Only the resources the benchmark applies are counted, and no
 * subresource, so the controllers' status writes and lease renewals stay out of the numbers.
 */
import type { KubeClient } from '../../src/apply/member/kube-client.js';

const RESOURCES = new Set(['namespaces', 'configmaps', 'services', 'deployments']);

export type Counts = Record<string, number>;

export function parseRequestTotals(text: string): Counts {
  const out: Counts = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!RESOURCES.has(labels.resource ?? '') || (labels.subresource ?? '') !== '') continue;
    const verb = `${labels.verb}${labels.dry_run ? '(dry-run)' : ''}`;
    out[verb] = (out[verb] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return out;
}

export async function scrape(clients: readonly KubeClient[]): Promise<Counts[]> {
  return Promise.all(clients.map(async (c) => parseRequestTotals(await c.metrics())));
}

export function delta(before: Counts[], after: Counts[]): Counts {
  const out: Counts = {};
  after.forEach((a, i) => {
    for (const [verb, n] of Object.entries(a)) {
      const d = n - (before[i]?.[verb] ?? 0);
      if (d > 0) out[verb] = (out[verb] ?? 0) + d;
    }
  });
  return out;
}

export const total = (c: Counts) => Object.values(c).reduce((a, b) => a + b, 0);
export const writes = (c: Counts) => Object.entries(c).filter(([v]) => /^(PATCH|POST|PUT|DELETE|APPLY)$/.test(v)).reduce((a, [, n]) => a + n, 0);
export const format = (c: Counts) => Object.entries(c).sort().map(([v, n]) => `${v} ${n}`).join(', ') || '-';

/** Every request a member has served so far, of any resource (controllers' included). */
function allRequests(text: string): number {
  let n = 0;
  for (const line of text.split('\n')) if (line.startsWith('apiserver_request_total{')) n += Number(line.slice(line.lastIndexOf(' ') + 1));
  return n;
}

/**
 * Waits until the members are quiet: after a phase, kube-controller-manager keeps working through
 * what it applied (a ReplicaSet per Deployment, and so on), and whichever tool is measured next
 * would pay for it. Each phase starts from the same calm, whatever ran before it.
 * Returns the milliseconds waited.
 */
export async function settle(clients: readonly KubeClient[], opts: { quietPerSecond?: number; maxMs?: number } = {}): Promise<number> {
  const quiet = opts.quietPerSecond ?? 20;
  const t0 = performance.now();
  const read = async () => (await Promise.all(clients.map(async (c) => allRequests(await c.metrics())))).reduce((a, b) => a + b, 0);
  let last = await read();
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = await read();
    // The metrics requests themselves are counted too: one per member per poll.
    if (now - last - clients.length <= quiet * clients.length || performance.now() - t0 > (opts.maxMs ?? 30_000)) return performance.now() - t0;
    last = now;
  }
}
