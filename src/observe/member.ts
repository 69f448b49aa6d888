/**
 * @module observe/member
 * Reads one member for the state: its nodes, pods and autoscaling/v2 HPAs (one list each), and
 * each federated workload's object. Read only; through the apply side's member client, so credentials, TLS and
 * retries are the ones apply uses.
 */
import type { KubeObject } from '../object.js';
import type { KubeClient } from '../apply/member/kube-client.js';
import { KubeApiError } from '../apply/member/member-client.js';
import { analyzePods, freeResources, generalEstimate, podRequest, roundFree } from '../state/estimate.js';
import type { Observation } from '../state/hysteresis.js';
import type { HpaState, WorkloadState } from '../state/model.js';
import type { FederatedWorkload } from './workloads.js';

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const count = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);

function matches(pod: KubeObject, namespace: string, labels: Obj): boolean {
  if (pod.metadata.namespace !== namespace) return false;
  const have = pod.metadata.labels ?? {};
  const want = Object.entries(labels);
  return want.length > 0 && want.every(([k, v]) => have[k] === v);
}

/**
 * The member's HPAs by the workload they scale (`Kind/namespace/name`), an apps/v1 scaleTargetRef
 * in the HPA's own namespace. Where several name one workload (the HPA controller then refuses to
 * scale it, AmbiguousSelector), the first by name is recorded.
 */
export function hpasByTarget(hpas: readonly KubeObject[]): Map<string, HpaState> {
  const out = new Map<string, HpaState>();
  for (const h of [...hpas].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))) {
    const spec = asObj(h.spec);
    const ref = asObj(spec.scaleTargetRef);
    if (ref.apiVersion !== 'apps/v1' || typeof ref.kind !== 'string' || typeof ref.name !== 'string') continue;
    const key = `${ref.kind}/${h.metadata.namespace ?? ''}/${ref.name}`;
    if (out.has(key)) continue;
    const status = asObj(h.status);
    const min = spec.minReplicas === undefined ? 1 : count(spec.minReplicas);
    out.set(key, { name: h.metadata.name, min, max: count(spec.maxReplicas), current: count(status.currentReplicas), desired: count(status.desiredReplicas) });
  }
  return out;
}

/** The member's HPAs; none where the observer may not list them (403), which is no reason to fail the member over. */
async function listHpas(client: KubeClient): Promise<KubeObject[]> {
  try {
    return (await client.list({ group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' })).items;
  } catch (err) {
    if (err instanceof KubeApiError && (err.status === 403 || err.status === 404)) return [];
    throw err;
  }
}

/** One observation of a member; a member that does not answer is not ready, its workloads unknown. */
export async function observeMember(client: KubeClient, cluster: string, workloads: readonly FederatedWorkload[], nowSeconds: number): Promise<Observation | { cluster: string; ready: false; error: string }> {
  let nodes: KubeObject[];
  let pods: KubeObject[];
  let hpas: Map<string, HpaState>;
  try {
    nodes = (await client.list({ group: '', version: 'v1', kind: 'Node' })).items;
    pods = (await client.list({ group: '', version: 'v1', kind: 'Pod' })).items;
    // One list more per member, only when the fleet federates a workload an HPA could scale.
    hpas = workloads.length === 0 ? new Map() : hpasByTarget(await listHpas(client));
  } catch (err) {
    return { cluster, ready: false, error: (err as Error).message };
  }
  const free = freeResources(nodes, pods);
  const out: Record<string, WorkloadState> = {};
  for (const w of workloads) {
    const fit = generalEstimate(free, podRequest(w.podSpec));
    const obj = await client.get({ group: 'apps', version: 'v1', kind: w.kind, namespace: w.namespace, name: w.name });
    if (!obj) {
      out[w.key] = { desired: 0, ready: 0, current: 0, pending: 0, unschedulable: 0, fit };
      continue;
    }
    const spec = asObj(obj.spec);
    const desired = count(spec.replicas);
    const ready = count(asObj(obj.status).readyReplicas);
    // KubeFed's podanalyzer looks at pods only when not every replica is ready, by matchLabels.
    const selected = pods.filter((p) => matches(p, w.namespace, asObj(asObj(spec.selector).matchLabels)));
    const pa = analyzePods(selected, nowSeconds);
    const hpa = hpas.get(`${w.kind}/${w.namespace}/${w.name}`);
    out[w.key] = { desired, ready, current: desired === ready ? ready : pa.runningAndReady, pending: pa.pending, unschedulable: pa.unschedulable, fit, ...(hpa ? { hpa } : {}) };
  }
  return { cluster, ready: true, free: roundFree(free), workloads: out };
}
