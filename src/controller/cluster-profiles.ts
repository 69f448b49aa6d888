/**
 * @module controller/cluster-profiles
 * SIG-Multicluster's ClusterProfile API (multicluster.x-k8s.io/v1alpha1, cluster-inventory-api)
 * as an inventory of members, beside the fleet repository's clusters. A profile is a member when
 * its ControlPlaneHealthy condition is True; its name is the member's (the cluster's directory
 * on the branch). Where the member is comes from the profile (status.accessProviders, or the
 * older credentialProviders: a kubeconfig `cluster` with server and CA). The credentials, the
 * API says, come from an exec plugin named by the provider; gitfed runs no plugins, so it takes
 * them from the Secret labelled `gitfed.io/member: <profile name>` in its namespace, as
 * --members-from-secrets does (its server too, when the profile gives none).
 */
import yaml from 'js-yaml';
import type { KubeObject } from '../object.js';
import { kubeconfigFromSecrets, MEMBER_SECRET_LABEL } from './member-secrets.js';

export const CLUSTER_PROFILE_API = 'multicluster.x-k8s.io/v1alpha1';
export const CONTROL_PLANE_HEALTHY = 'ControlPlaneHealthy';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

interface Provider {
  name: string;
  cluster?: Record<string, unknown> & { server?: string };
}

export interface ClusterProfile extends KubeObject {
  spec?: { displayName?: string; clusterManager?: { name?: string } };
  status?: { conditions?: Condition[]; accessProviders?: Provider[]; credentialProviders?: Provider[] };
}

export interface ProfileInventory {
  /** One kubeconfig, a context per usable member named after it (YAML). */
  readonly kubeconfig: string;
  /** Members with a healthy profile and credentials, sorted. */
  readonly members: readonly string[];
  /** Every profile's name, usable or not. */
  readonly profiles: readonly string[];
  /** Why a profile's member cannot be reached (unhealthy, no credentials); reported as its member's Unreachable message. */
  readonly problems: ReadonlyMap<string, string>;
}

interface KubeconfigDoc {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
}

function healthy(p: ClusterProfile): { ok: boolean; why: string } {
  const c = p.status?.conditions?.find((x) => x.type === CONTROL_PLANE_HEALTHY);
  if (!c) return { ok: false, why: `has no ${CONTROL_PLANE_HEALTHY} condition yet` };
  if (c.status === 'True') return { ok: true, why: '' };
  return { ok: false, why: `is not ${CONTROL_PLANE_HEALTHY} (${c.status}${c.reason ? `, ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''})` };
}

/** The members the profiles give, reached through the profile's cluster and the Secret's user. */
export function inventoryFromProfiles(profiles: readonly ClusterProfile[], secrets: readonly KubeObject[]): ProfileInventory {
  const fromSecrets = kubeconfigFromSecrets(secrets);
  const secretDoc = yaml.load(fromSecrets.kubeconfig) as KubeconfigDoc;
  const doc: KubeconfigDoc = { clusters: [], users: [], contexts: [] };
  const problems = new Map<string, string>();
  const sorted = [...profiles].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  for (const p of sorted) {
    const name = p.metadata.name;
    const where = `ClusterProfile ${p.metadata.namespace ? `${p.metadata.namespace}/` : ''}${name}`;
    const h = healthy(p);
    if (!h.ok) {
      problems.set(name, `${where} ${h.why}`);
      continue;
    }
    const provider = p.status?.accessProviders?.[0] ?? p.status?.credentialProviders?.[0];
    const user = secretDoc.users.find((u) => u.name === name);
    if (!user) {
      problems.set(name, `${where} is healthy, but gitfed has no credentials for it: ${provider ? `its provider ${provider.name} needs an exec plugin gitfed does not run` : 'it names no access provider'}; create a Secret labelled ${MEMBER_SECRET_LABEL}=${name} holding a kubeconfig`);
      continue;
    }
    const fromSecret = secretDoc.clusters.find((c) => c.name === name)!.cluster;
    // The profile says where the cluster is; the Secret's own server is the fallback.
    const cluster = provider?.cluster?.server ? { ...provider.cluster } : fromSecret;
    doc.clusters.push({ name, cluster });
    doc.users.push(user);
    doc.contexts.push(secretDoc.contexts.find((c) => c.name === name)!);
  }
  const kubeconfig = yaml.dump({ apiVersion: 'v1', kind: 'Config', ...doc, 'current-context': doc.contexts[0]?.name ?? '' }, { lineWidth: -1, noRefs: true });
  return { kubeconfig, members: doc.contexts.map((c) => c.name), profiles: sorted.map((p) => p.metadata.name), problems };
}

/** Why a member the branch has cannot be reached through the inventory; undefined when it can. */
export function inventoryProblem(inv: ProfileInventory, member: string, namespace: string): string | undefined {
  if (inv.members.includes(member)) return undefined;
  return inv.problems.get(member) ?? `no ClusterProfile ${member} in namespace ${namespace}: the branch has this member, the cluster inventory does not`;
}
