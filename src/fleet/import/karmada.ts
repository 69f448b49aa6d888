/**
 * @module fleet/import/karmada
 * A live Karmada control plane as fleet files: Clusters, the four policy kinds, the resource
 * templates the propagation policies select (with the dependencies propagateDeps carries), and
 * the Namespaces Karmada propagates on its own. Secrets are listed as skipped, never written.
 */
import { ApplyError } from '../../errors.js';
import { displayName, type KubeObject } from '../../object.js';
import type { KubeClient } from '../../apply/member/kube-client.js';
import { listKind, splitApiVersion } from './host.js';
import { stripServerFields } from './strip.js';
import type { ImportRead, Skipped } from './types.js';

const POLICY = { group: 'policy.karmada.io', version: 'v1alpha1' };
const CLUSTER_CONNECTION = ['id', 'secretRef', 'impersonatorSecretRef', 'insecureSkipTLSVerification', 'proxyURL', 'proxyHeader', 'resourceModels'];
/** Taints Karmada's cluster controller sets by itself. */
const CONTROLLER_TAINT = /^cluster\.karmada\.io\/(not-ready|unreachable|terminating)$/;
const RESERVED_NAMESPACE = /^(karmada-|kube-)|^default$/;

interface Selector {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  labelSelector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
}

/** A metav1.LabelSelector in the query syntax the API server takes. */
export function selectorString(sel: Selector['labelSelector']): string | undefined {
  if (!sel) return undefined;
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${(e.values ?? []).join(',')})`);
  }
  return parts.length ? parts.join(',') : undefined;
}

function karmadaCluster(obj: KubeObject, notes: string[]): KubeObject {
  const out = stripServerFields(obj) as KubeObject & { spec?: Record<string, unknown> };
  const spec = out.spec ?? {};
  const dropped = CLUSTER_CONNECTION.filter((k) => spec[k] !== undefined);
  for (const k of dropped) delete spec[k];
  if (Array.isArray(spec.taints)) {
    spec.taints = (spec.taints as { key?: string }[]).filter((t) => !CONTROLLER_TAINT.test(t.key ?? ''));
    if ((spec.taints as unknown[]).length === 0) delete spec.taints;
  }
  const pull = spec.syncMode === 'Pull' ? '; it is a Pull-mode cluster: gitfed pushes, so run gitfed apply or gitfed daemon where that context reaches it' : '';
  notes.push(`Cluster ${obj.metadata.name}: gitfed reaches it through the kubeconfig context ${obj.metadata.name}${dropped.length ? `; ${dropped.join(', ')} stay in Karmada` : ''}${pull}`);
  return out;
}

/** ConfigMaps, Secrets, ServiceAccounts and PVCs a workload's pod template refers to, as Karmada's propagateDeps finds them. */
export function dependenciesOf(obj: KubeObject): { kind: string; name: string }[] {
  const spec = (obj as { spec?: Record<string, unknown> }).spec ?? {};
  const podSpec = (obj.kind === 'Pod' ? spec : obj.kind === 'CronJob' ? (spec.jobTemplate as { spec?: { template?: { spec?: unknown } } })?.spec?.template?.spec : (spec.template as { spec?: unknown })?.spec) as Record<string, unknown> | undefined;
  if (!podSpec) return [];
  const out: { kind: string; name: string }[] = [];
  const add = (kind: string, name: unknown) => {
    if (typeof name === 'string' && name && !out.some((d) => d.kind === kind && d.name === name)) out.push({ kind, name });
  };
  add('ServiceAccount', podSpec.serviceAccountName);
  for (const v of (podSpec.volumes ?? []) as Record<string, { name?: string; secretName?: string; claimName?: string; sources?: Record<string, { name?: string }>[] }>[]) {
    add('ConfigMap', v.configMap?.name);
    add('Secret', v.secret?.secretName);
    add('PersistentVolumeClaim', v.persistentVolumeClaim?.claimName);
    for (const s of v.projected?.sources ?? []) {
      add('ConfigMap', s.configMap?.name);
      add('Secret', s.secret?.name);
    }
  }
  const containers = [...((podSpec.containers ?? []) as unknown[]), ...((podSpec.initContainers ?? []) as unknown[])] as { env?: { valueFrom?: { configMapKeyRef?: { name?: string }; secretKeyRef?: { name?: string } } }[]; envFrom?: { configMapRef?: { name?: string }; secretRef?: { name?: string } }[] }[];
  for (const c of containers) {
    for (const e of c.env ?? []) {
      add('ConfigMap', e.valueFrom?.configMapKeyRef?.name);
      add('Secret', e.valueFrom?.secretKeyRef?.name);
    }
    for (const e of c.envFrom ?? []) {
      add('ConfigMap', e.configMapRef?.name);
      add('Secret', e.secretRef?.name);
    }
  }
  for (const s of (podSpec.imagePullSecrets ?? []) as { name?: string }[]) add('Secret', s.name);
  return out;
}

const DEPENDENCY_VERSION: Record<string, string> = { ConfigMap: 'v1', Secret: 'v1', ServiceAccount: 'v1', PersistentVolumeClaim: 'v1' };

export async function readKarmada(client: KubeClient): Promise<ImportRead> {
  const objects = new Map<string, KubeObject>();
  const skipped = new Map<string, Skipped>();
  const notes: string[] = [];
  const keep = (o: KubeObject) => {
    const key = `${o.apiVersion}/${displayName(o)}`;
    if (o.kind === 'Secret' && o.apiVersion === 'v1') skipped.set(key, { object: displayName(o), reason: 'secret data never goes into git; create the Secret on the members out of band, or keep it encrypted with SOPS' });
    else if (!objects.has(key)) objects.set(key, stripServerFields(o));
  };

  const clusters = await listKind(client, { group: 'cluster.karmada.io', version: 'v1alpha1', kind: 'Cluster' });
  if (!clusters) {
    throw new ApplyError('NoKindMatch', `context ${client.context} serves no Cluster (cluster.karmada.io/v1alpha1): it is not a karmada-apiserver`, { cluster: client.cluster, hint: 'name the context of the karmada-apiserver (karmadactl --kubeconfig karmada-apiserver.config)' });
  }
  for (const c of clusters) {
    const out = karmadaCluster(c, notes);
    objects.set(`cluster/${c.metadata.name}`, out);
  }

  const policies: { policy: KubeObject; namespaced: boolean }[] = [];
  for (const [kind, namespaced] of [['PropagationPolicy', true], ['ClusterPropagationPolicy', false], ['OverridePolicy', true], ['ClusterOverridePolicy', false]] as const) {
    for (const p of (await listKind(client, { ...POLICY, kind })) ?? []) {
      keep(p);
      if (kind.endsWith('PropagationPolicy')) policies.push({ policy: p, namespaced });
    }
  }

  for (const { policy, namespaced } of policies) {
    const spec = (policy as { spec?: { resourceSelectors?: Selector[]; propagateDeps?: boolean } }).spec ?? {};
    for (const sel of spec.resourceSelectors ?? []) {
      if (!sel.apiVersion || !sel.kind) continue;
      const { group, version } = splitApiVersion(sel.apiVersion);
      const ns = namespaced ? policy.metadata.namespace ?? '' : sel.namespace ?? '';
      const found = await listKind(client, { group, version, kind: sel.kind }, ns, selectorString(sel.labelSelector));
      if (!found) {
        skipped.set(`selector/${displayName(policy)}/${sel.kind}`, { object: displayName(policy), reason: `selects ${sel.kind} (${sel.apiVersion}), which the control plane does not serve; the policy is imported, the templates cannot be` });
        continue;
      }
      for (const t of found.filter((o) => sel.name === undefined || o.metadata.name === sel.name)) {
        keep(t);
        if (!spec.propagateDeps) continue;
        for (const d of dependenciesOf(t)) {
          const dep = await client.get({ group: '', version: DEPENDENCY_VERSION[d.kind]!, kind: d.kind, namespace: t.metadata.namespace ?? '', name: d.name });
          if (dep) keep(dep);
        }
      }
    }
  }

  // Karmada propagates every Namespace that is not reserved, with no policy: so must the fleet.
  const used = new Set([...objects.values()].map((o) => o.metadata.namespace).filter((n): n is string => !!n));
  for (const ns of (await listKind(client, { group: '', version: 'v1', kind: 'Namespace' })) ?? []) {
    if (RESERVED_NAMESPACE.test(ns.metadata.name)) continue;
    if (used.has(ns.metadata.name) || !ns.metadata.labels?.['namespace.karmada.io/skip-auto-propagation']) {
      const out = stripServerFields(ns) as KubeObject & { spec?: unknown };
      delete out.spec; // finalizers: [kubernetes], set by the server
      keep(out);
    }
  }
  return { objects: [...objects.values()], skipped: [...skipped.values()], notes };
}
