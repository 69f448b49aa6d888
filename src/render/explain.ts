/** `gitfed explain`: finding an object's explanation and putting it in words. */
import { GitfedError } from '../errors.js';
import { displayKey } from '../object.js';
import type { Explanation } from './types.js';

/**
 * Find explanations by `KIND/[NAMESPACE/]NAME`. KIND matches the source kind or the kind members
 * get (FederatedDeployment or Deployment), case-insensitively, optionally with its group (`deployment.apps`).
 */
export function findExplanations(all: readonly Explanation[], query: string): Explanation[] {
  const parts = query.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new GitfedError('BadQuery', `expected KIND/NAME or KIND/NAMESPACE/NAME, got ${JSON.stringify(query)}`);
  }
  const [kindQ, ns, name] = parts.length === 3 ? parts : [parts[0]!, undefined, parts[1]!];
  const [kindName, ...groupParts] = kindQ!.toLowerCase().split('.');
  const group = groupParts.join('.');
  const kindMatches = (kind: string, g: string) => {
    const k = kind.toLowerCase();
    return (k === kindName || k === 'federated' + kindName) && (!group || g === group);
  };
  return all.filter((e) => {
    const [g, kind, ens, ename] = e.object.split('/') as [string, string, string, string];
    return kindMatches(kind, g) && ename === name && (ns === undefined || ens === ns);
  });
}

export function formatExplanation(e: Explanation): string {
  const out: string[] = [];
  out.push(`${displayKey(e.object)}  (${e.engine}, ${e.pos.file}:${e.pos.line})`);
  out.push(`  clusters: ${e.clusters.length ? e.clusters.join(', ') : '(none)'}`);
  out.push('', 'Placement');
  for (const l of e.placement) out.push('  ' + l);
  if (e.scheduling.length || e.replicas) {
    out.push('', 'Replicas');
    for (const l of e.scheduling) out.push('  ' + l);
    if (e.replicas) {
      const w = Math.max(...Object.keys(e.replicas).map((k) => k.length), 7);
      for (const [c, n] of Object.entries(e.replicas).sort((a, b) => (a[0] < b[0] ? -1 : 1))) out.push(`  ${c.padEnd(w)}  ${n}`);
    }
  }
  const ov = Object.entries(e.overrides).filter(([, l]) => l.length > 0);
  out.push('', 'Overrides');
  if (ov.length === 0) out.push('  (none)');
  for (const [cluster, lines] of ov.sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    out.push(`  ${cluster}:`);
    for (const l of lines) out.push('    ' + l);
  }
  return out.join('\n');
}
