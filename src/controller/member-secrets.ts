/**
 * @module controller/member-secrets
 * How an in-cluster controller reaches its members: one Secret per member in its own namespace,
 * labelled `gitfed.io/member: <cluster name>`, holding a kubeconfig under `kubeconfig` (or Flux's
 * `value` / `value.yaml`). Credentials never come from git. Each Secret's current context becomes
 * a context named after the member in one kubeconfig, which the apply side reads as it reads a
 * file. The kubeconfig must carry its credentials inline (data, token): a pod has no files of
 * the machine it was written on.
 */
import yaml from 'js-yaml';
import type { KubeObject } from '../object.js';

export const MEMBER_SECRET_LABEL = 'gitfed.io/member';
const KEYS = ['kubeconfig', 'value', 'value.yaml'];

interface NamedEntry {
  name: string;
  [k: string]: unknown;
}

interface KubeconfigDoc {
  clusters?: NamedEntry[];
  users?: NamedEntry[];
  contexts?: { name: string; context?: { cluster?: string; user?: string; namespace?: string } }[];
  'current-context'?: string;
}

export interface MemberCredentials {
  /** One kubeconfig, a context per member named after it (YAML). */
  readonly kubeconfig: string;
  readonly members: readonly string[];
  /** Secrets that could not be used, and why; reported, never fatal for the others. */
  readonly problems: readonly string[];
}

/** The kubeconfig of every usable member Secret, in member order. */
export function kubeconfigFromSecrets(secrets: readonly KubeObject[]): MemberCredentials {
  const clusters: NamedEntry[] = [];
  const users: NamedEntry[] = [];
  const contexts: { name: string; context: { cluster: string; user: string; namespace?: string } }[] = [];
  const problems: string[] = [];
  const sorted = [...secrets].sort((a, b) => (memberOf(a) < memberOf(b) ? -1 : 1));
  for (const s of sorted) {
    const member = memberOf(s);
    const where = `Secret ${s.metadata.name}`;
    if (contexts.some((c) => c.name === member)) {
      problems.push(`${where}: member ${member} has another Secret already; skipped`);
      continue;
    }
    const data = (s.data ?? {}) as Record<string, string>;
    const key = KEYS.find((k) => typeof data[k] === 'string');
    if (!key) {
      problems.push(`${where}: no kubeconfig under ${KEYS.join(', ')}`);
      continue;
    }
    let doc: KubeconfigDoc;
    try {
      doc = yaml.load(Buffer.from(data[key]!, 'base64').toString('utf8')) as KubeconfigDoc;
    } catch (err) {
      problems.push(`${where}: ${key} is not YAML: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    const ctx = doc?.contexts?.find((c) => c.name === doc['current-context']) ?? (doc?.contexts?.length === 1 ? doc.contexts[0] : undefined);
    const cluster = doc?.clusters?.find((c) => c.name === ctx?.context?.cluster);
    const user = doc?.users?.find((u) => u.name === ctx?.context?.user);
    if (!ctx || !cluster || !user) {
      problems.push(`${where}: its kubeconfig names no current context with a cluster and a user`);
      continue;
    }
    clusters.push({ ...cluster, name: member });
    users.push({ ...user, name: member });
    contexts.push({ name: member, context: { cluster: member, user: member, ...(ctx.context?.namespace ? { namespace: ctx.context.namespace } : {}) } });
  }
  const doc = { apiVersion: 'v1', kind: 'Config', clusters, users, contexts, 'current-context': contexts[0]?.name ?? '' };
  return { kubeconfig: yaml.dump(doc, { lineWidth: -1, noRefs: true }), members: contexts.map((c) => c.name), problems };
}

function memberOf(s: KubeObject): string {
  return s.metadata.labels?.[MEMBER_SECRET_LABEL] || s.metadata.name;
}
