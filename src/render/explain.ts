/** `gitfed explain`: finding an object's explanation (src/format/explain.ts puts it in words). */
import { GitfedError } from '../errors.js';
import type { Explanation } from './types.js';

/** The member object's type a KIND spelling resolved to (`deploy` -> apps/Deployment): matches its templates and its Federated<Kind>. */
export interface TargetKind {
  readonly group: string;
  readonly kind: string;
}

/**
 * Find explanations by `KIND/[NAMESPACE/]NAME`. KIND matches the source kind or the kind members
 * get (FederatedDeployment or Deployment), case-insensitively, optionally with its group (`deployment.apps`);
 * or, when the caller resolved the spelling (`target`), exactly that type and its federated form.
 */
export function findExplanations(all: readonly Explanation[], query: string, target?: TargetKind): Explanation[] {
  const parts = query.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new GitfedError('BadQuery', `expected KIND/NAME or KIND/NAMESPACE/NAME, got ${JSON.stringify(query)}`);
  }
  const [kindQ, ns, name] = parts.length === 3 ? parts : [parts[0]!, undefined, parts[1]!];
  const [kindName, ...groupParts] = kindQ!.toLowerCase().split('.');
  const group = groupParts.join('.');
  const kindMatches = (kind: string, g: string) => {
    if (target) return (kind === target.kind && g === target.group) || kind === `Federated${target.kind}`;
    const k = kind.toLowerCase();
    return (k === kindName || k === 'federated' + kindName) && (!group || g === group);
  };
  return all.filter((e) => {
    const [g, kind, ens, ename] = e.object.split('/') as [string, string, string, string];
    return kindMatches(kind, g) && ename === name && (ns === undefined || ens === ns);
  });
}
