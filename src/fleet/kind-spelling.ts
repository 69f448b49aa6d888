/**
 * @module fleet/kind-spelling
 * The spellings kubefedctl and kubectl users type for a type: Kind, plural, short name, or a
 * group-qualified plural (`Deployment`, `deployments`, `deploy`, `deployments.apps`), and the
 * federated Kind. One resolver, so `enable`, `explain` and `status` take the same words.
 */
import type { TypeSpec } from './type-configs.js';

/** kubectl's short names of the built-in federated types (`kubectl api-resources`). */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  Namespace: 'ns',
  ConfigMap: 'cm',
  ServiceAccount: 'sa',
  Service: 'svc',
  Ingress: 'ing',
  Deployment: 'deploy',
  ReplicaSet: 'rs',
  StatefulSet: 'sts',
  DaemonSet: 'ds',
  CronJob: 'cj',
  HorizontalPodAutoscaler: 'hpa',
};

/** Every lower-case spelling that names `t`; short names only for the core Kubernetes groups. */
export function spellingsOf(t: Pick<TypeSpec, 'kind' | 'group' | 'pluralName' | 'federatedKind'>): string[] {
  const kind = t.kind.toLowerCase();
  const short = SHORT_NAMES[t.kind];
  const group = t.group === '' ? [] : [`${t.pluralName}.${t.group}`, `${kind}.${t.group}`, ...(short ? [`${short}.${t.group}`] : [])];
  return [kind, t.pluralName, t.federatedKind.toLowerCase(), ...(short ? [short] : []), ...group];
}

/** The type `spelling` names among `types` (case-insensitive), or undefined. */
export function typeNamed<T extends Pick<TypeSpec, 'kind' | 'group' | 'pluralName' | 'federatedKind'>>(types: Iterable<T>, spelling: string): T | undefined {
  const q = spelling.toLowerCase();
  for (const t of types) if (spellingsOf(t).includes(q)) return t;
  return undefined;
}
