/** Kubeconfig files for members: one context per member, named after it. */
import yaml from 'js-yaml';

export interface MemberAccess {
  readonly name: string;
  readonly server: string;
  readonly token: string;
  /** Base64 PEM bundle that signs the server's certificate. */
  readonly caData: string;
}

/**
 * One cluster, user and context per member. The current context is the first member, so tools
 * that ignore contexts still reach a member.
 */
export function kubeconfigYaml(members: readonly MemberAccess[], namespace = 'default'): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: members.map((m) => ({
      name: m.name,
      cluster: { server: m.server, 'certificate-authority-data': m.caData },
    })),
    users: members.map((m) => ({ name: `${m.name}-admin`, user: { token: m.token } })),
    contexts: members.map((m) => ({
      name: m.name,
      context: { cluster: m.name, user: `${m.name}-admin`, namespace },
    })),
    'current-context': members[0]?.name ?? '',
  };
  return yaml.dump(doc, { lineWidth: -1, noRefs: true });
}
