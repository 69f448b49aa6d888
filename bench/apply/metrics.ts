/**
 * Requests as the members counted them: apiserver_request_total from each member's /metrics,
 * read before and after a phase. Only the resources the benchmark applies are counted, and no
 * subresource, so the controllers' status writes and lease renewals stay out of the numbers.
 */
import type { MemberClient } from '../../src/apply/kube-client.js';

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

export async function scrape(clients: readonly MemberClient[]): Promise<Counts[]> {
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
