/**
 * @module karmada/namespaces
 * Namespaces Karmada leaves alone. Templates in Karmada's own namespaces, or in a namespace that
 * matches `config.reservedNamespaces` (upstream `--skipped-propagating-namespaces`, default
 * `kube-.*`), are never propagated. A Namespace template goes to every cluster by itself
 * (namespace sync controller) unless it is reserved, is `default`, or carries
 * `namespace.karmada.io/skip-auto-propagation: "true"`.
 */
import { Minimatch } from 'minimatch';
import type { KubeObject } from '../types.js';

const KARMADA_OWN = ['karmada-system', 'karmada-cluster', 'karmada-es-*'];
export const SKIP_AUTO_PROPAGATION_LABEL = 'namespace.karmada.io/skip-auto-propagation';

const KARMADA_OWN_MATCHERS = KARMADA_OWN.map((g) => new Minimatch(g));

export class NamespaceRules {
  // Compiled once: the rules are asked once per template, and compiling a glob dwarfs matching it.
  private readonly reserved: readonly { glob: string; m: Minimatch }[];
  constructor(reserved: readonly string[]) {
    this.reserved = reserved.map((glob) => ({ glob, m: new Minimatch(glob) }));
  }

  /** Why templates in `namespace` are never propagated, or undefined. */
  skipReason(namespace: string): string | undefined {
    if (!namespace) return undefined;
    if (KARMADA_OWN_MATCHERS.some((m) => m.match(namespace))) return `namespace ${namespace} belongs to Karmada itself`;
    // `default` in the list only keeps the default Namespace object home (upstream hard-codes that);
    // upstream never skips templates in it.
    const hit = this.reserved.find((r) => r.glob !== 'default' && r.m.match(namespace));
    return hit ? `namespace ${namespace} matches reservedNamespaces entry ${JSON.stringify(hit.glob)}` : undefined;
  }

  /** Why this Namespace template is not sent to every cluster automatically, or undefined when it is. */
  autoPropagationSkip(ns: KubeObject): string | undefined {
    const name = ns.metadata.name;
    if (name === 'default') return 'the default namespace exists in every cluster and is never propagated automatically';
    const reason = this.skipReason(name);
    if (reason) return reason;
    if (this.reserved.some((r) => r.m.match(name))) return `namespace ${name} is listed in reservedNamespaces`;
    if (ns.metadata.labels?.[SKIP_AUTO_PROPAGATION_LABEL] === 'true') return `it is labelled ${SKIP_AUTO_PROPAGATION_LABEL}=true`;
    return undefined;
  }
}
