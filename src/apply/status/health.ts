/**
 * @module health
 * Health of one live object, computed from the object alone (no requests), after kstatus and
 * Argo CD: rules per kind, generic conditions otherwise. An object whose controller has not yet
 * seen its latest generation is Progressing, whatever its status says.
 */
import type { KubeObject } from '../../object.js';

export type HealthStatus = 'Ready' | 'Progressing' | 'Failed';

export interface Health {
  readonly status: HealthStatus;
  readonly message?: string;
}

const ORDER: Record<HealthStatus, number> = { Ready: 0, Progressing: 1, Failed: 2 };

/** The worse of two health states; the health of a set is the worst of its members. */
export function worse(a: HealthStatus, b: HealthStatus): HealthStatus {
  return ORDER[a] >= ORDER[b] ? a : b;
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

type Status = Record<string, unknown> & { conditions?: Condition[]; observedGeneration?: number };

function statusOf(obj: KubeObject): Status {
  return (obj.status && typeof obj.status === 'object' ? obj.status : {}) as Status;
}

function condition(obj: KubeObject, type: string): Condition | undefined {
  return statusOf(obj).conditions?.find((c) => c.type === type);
}

function num(v: unknown, dflt = 0): number {
  return typeof v === 'number' ? v : dflt;
}

const ready = (message?: string): Health => (message ? { status: 'Ready', message } : { status: 'Ready' });
const progressing = (message: string): Health => ({ status: 'Progressing', message });
const failed = (message: string): Health => ({ status: 'Failed', message });

function generationSeen(obj: KubeObject): Health | undefined {
  const generation = obj.metadata.generation;
  const observed = statusOf(obj).observedGeneration;
  if (typeof generation === 'number' && typeof observed === 'number' && observed < generation) {
    return progressing(`controller has seen generation ${observed} of ${generation}`);
  }
  return undefined;
}

function deployment(obj: KubeObject): Health {
  const seen = generationSeen(obj);
  if (seen) return seen;
  const progressingCond = condition(obj, 'Progressing');
  if (progressingCond?.reason === 'ProgressDeadlineExceeded') return failed(progressingCond.message ?? 'progress deadline exceeded');
  const s = statusOf(obj);
  if (statusOf(obj).observedGeneration === undefined) return progressing('waiting for the controller to observe the deployment');
  const want = num((obj.spec as Record<string, unknown> | undefined)?.replicas, 1);
  const updated = num(s.updatedReplicas);
  if (updated < want) return progressing(`${updated} of ${want} replicas updated`);
  if (num(s.replicas) > updated) return progressing(`${num(s.replicas) - updated} old replicas pending termination`);
  if (num(s.availableReplicas) < updated) return progressing(`${num(s.availableReplicas)} of ${updated} updated replicas available`);
  return ready();
}

function statefulSet(obj: KubeObject): Health {
  const seen = generationSeen(obj);
  if (seen) return seen;
  const s = statusOf(obj);
  if (s.observedGeneration === undefined) return progressing('waiting for the controller to observe the statefulset');
  const want = num((obj.spec as Record<string, unknown> | undefined)?.replicas, 1);
  if (num(s.readyReplicas) < want) return progressing(`${num(s.readyReplicas)} of ${want} replicas ready`);
  if (s.updateRevision !== undefined && s.currentRevision !== s.updateRevision) return progressing(`rolling out revision ${String(s.updateRevision)}`);
  return ready();
}

function daemonSet(obj: KubeObject): Health {
  const seen = generationSeen(obj);
  if (seen) return seen;
  const s = statusOf(obj);
  const want = num(s.desiredNumberScheduled);
  if (num(s.updatedNumberScheduled) < want) return progressing(`${num(s.updatedNumberScheduled)} of ${want} pods updated`);
  if (num(s.numberAvailable) < want) return progressing(`${num(s.numberAvailable)} of ${want} pods available`);
  return ready();
}

function job(obj: KubeObject): Health {
  const failedCond = condition(obj, 'Failed');
  if (failedCond?.status === 'True') return failed(failedCond.message ?? failedCond.reason ?? 'job failed');
  if (condition(obj, 'Complete')?.status === 'True') return ready('complete');
  const suspended = condition(obj, 'Suspended');
  if (suspended?.status === 'True') return ready('suspended');
  return progressing('job has not completed');
}

function crd(obj: KubeObject): Health {
  const names = condition(obj, 'NamesAccepted');
  if (names?.status === 'False') return failed(names.message ?? 'names not accepted');
  if (condition(obj, 'Established')?.status === 'True') return ready();
  return progressing('waiting for the CRD to be established');
}

function service(obj: KubeObject): Health {
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  if (spec.type !== 'LoadBalancer') return ready();
  const ingress = ((statusOf(obj).loadBalancer ?? {}) as { ingress?: unknown[] }).ingress;
  return ingress && ingress.length > 0 ? ready() : progressing('waiting for a load balancer address');
}

function pvc(obj: KubeObject): Health {
  const phase = statusOf(obj).phase;
  if (phase === 'Bound') return ready();
  if (phase === 'Lost') return failed('claim lost its volume');
  return progressing(`claim is ${String(phase ?? 'Pending')}`);
}

function pod(obj: KubeObject): Health {
  const phase = statusOf(obj).phase;
  if (phase === 'Succeeded') return ready('succeeded');
  if (phase === 'Failed') return failed(String(statusOf(obj).message ?? 'pod failed'));
  if (phase === 'Running' && condition(obj, 'Ready')?.status === 'True') return ready();
  return progressing(`pod is ${String(phase ?? 'Pending')}`);
}

function namespace(obj: KubeObject): Health {
  return statusOf(obj).phase === 'Terminating' ? progressing('namespace is terminating') : ready();
}

/** Conditions as kstatus reads them on any kind: Stalled fails, Reconciling and Ready=False wait. */
function generic(obj: KubeObject): Health {
  const seen = generationSeen(obj);
  if (seen) return seen;
  const stalled = condition(obj, 'Stalled');
  if (stalled?.status === 'True') return failed(stalled.message ?? stalled.reason ?? 'stalled');
  const reconciling = condition(obj, 'Reconciling');
  if (reconciling?.status === 'True') return progressing(reconciling.message ?? reconciling.reason ?? 'reconciling');
  const readyCond = condition(obj, 'Ready');
  if (readyCond?.status === 'False') return progressing(readyCond.message ?? readyCond.reason ?? 'not ready');
  return ready();
}

const BY_KIND: Record<string, (obj: KubeObject) => Health> = {
  'apps/Deployment': deployment,
  'apps/StatefulSet': statefulSet,
  'apps/DaemonSet': daemonSet,
  'batch/Job': job,
  'apiextensions.k8s.io/CustomResourceDefinition': crd,
  '/Service': service,
  '/PersistentVolumeClaim': pvc,
  '/Pod': pod,
  '/Namespace': namespace,
};

export function healthOf(obj: KubeObject): Health {
  const slash = obj.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : obj.apiVersion.slice(0, slash);
  if (obj.metadata.deletionTimestamp) return progressing('being deleted');
  return (BY_KIND[`${group}/${obj.kind}`] ?? generic)(obj);
}
