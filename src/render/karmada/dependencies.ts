/**
 * @module karmada/dependencies
 * propagateDeps: the objects a workload needs follow it to its clusters (upstream native
 * `dependencies.go`, `helper/pod.go`, `lifted/visitpod.go`). Found from the pod spec: ConfigMaps,
 * Secrets (pull secrets, env, volumes incl. azureFile secretName and the secretRef of cephfs,
 * cinder, flexVolume, rbd, scaleIO, iscsi, storageos and csi), the ServiceAccount (unless `default`) and PVCs (not a StatefulSet's own claim
 * templates); from an Ingress: its TLS Secrets. Services are not dependencies upstream, nor here.
 */
import type { KubeObject } from '../types.js';

export interface DependencyRef {
  readonly apiVersion: 'v1';
  readonly kind: 'ConfigMap' | 'Secret' | 'ServiceAccount' | 'PersistentVolumeClaim';
  readonly name: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

const SECRET_REF_VOLUMES = ['cephfs', 'cinder', 'flexVolume', 'rbd', 'scaleIO', 'iscsi', 'storageos'];

function podSpecOf(o: KubeObject): Obj | undefined {
  const spec = obj(o.spec);
  switch (`${o.apiVersion}/${o.kind}`) {
    case 'v1/Pod':
      return spec;
    case 'apps/v1/Deployment':
    case 'apps/v1/ReplicaSet':
    case 'apps/v1/DaemonSet':
    case 'apps/v1/StatefulSet':
    case 'batch/v1/Job':
      return obj(obj(spec?.template)?.spec);
    case 'batch/v1/CronJob':
      return obj(obj(obj(obj(spec?.jobTemplate)?.spec)?.template)?.spec);
    default:
      return undefined;
  }
}

/** The template's dependencies, each once, in a stable order. Unknown kinds have none. */
export function dependenciesOf(o: KubeObject): DependencyRef[] {
  const found = new Map<string, DependencyRef>();
  const add = (kind: DependencyRef['kind'], name: string | undefined): void => {
    if (name) found.set(`${kind}/${name}`, { apiVersion: 'v1', kind, name });
  };
  if (o.apiVersion === 'networking.k8s.io/v1' && o.kind === 'Ingress') {
    for (const t of list(obj(o.spec)?.tls)) add('Secret', str(obj(t)?.secretName));
  }
  const pod = podSpecOf(o);
  if (!pod) return [...found.values()];

  for (const s of list(pod.imagePullSecrets)) add('Secret', str(obj(s)?.name));
  for (const c of [...list(pod.initContainers), ...list(pod.containers), ...list(pod.ephemeralContainers)]) {
    for (const ef of list(obj(c)?.envFrom)) {
      add('ConfigMap', str(obj(obj(ef)?.configMapRef)?.name));
      add('Secret', str(obj(obj(ef)?.secretRef)?.name));
    }
    for (const e of list(obj(c)?.env)) {
      const from = obj(obj(e)?.valueFrom);
      add('ConfigMap', str(obj(from?.configMapKeyRef)?.name));
      add('Secret', str(obj(from?.secretKeyRef)?.name));
    }
  }
  const claimTemplates = new Set(
    o.kind === 'StatefulSet' ? list(obj(o.spec)?.volumeClaimTemplates).map((t) => str(obj(obj(t)?.metadata)?.name)) : [],
  );
  for (const v of list(pod.volumes).map(obj)) {
    if (!v) continue;
    add('ConfigMap', str(obj(v.configMap)?.name));
    add('Secret', str(obj(v.secret)?.secretName));
    for (const src of list(obj(v.projected)?.sources)) {
      add('ConfigMap', str(obj(obj(src)?.configMap)?.name));
      add('Secret', str(obj(obj(src)?.secret)?.name));
    }
    for (const k of SECRET_REF_VOLUMES) add('Secret', str(obj(obj(v[k])?.secretRef)?.name));
    add('Secret', str(obj(v.azureFile)?.secretName));
    add('Secret', str(obj(obj(v.csi)?.nodePublishSecretRef)?.name));
    const claim = str(obj(v.persistentVolumeClaim)?.claimName);
    if (claim && !claimTemplates.has(claim)) add('PersistentVolumeClaim', claim);
  }
  const sa = str(pod.serviceAccountName);
  if (sa !== 'default') add('ServiceAccount', sa);
  return [...found.values()];
}
