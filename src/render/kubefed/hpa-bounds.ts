/**
 * @module kubefed/hpa-bounds
 * The bounds of a FederatedHorizontalPodAutoscaler on a cluster that runs replicas for another
 * cluster's HPA (kubefed/hpa-overflow.ts). A receiving cluster's `minReplicas` and `maxReplicas`
 * are raised by the replicas it runs for the overflow, as Karmada's are (karmada/plan.ts), so its
 * own HPA does not scale them away while they are needed. The raise is a `/spec/minReplicas` and
 * `/spec/maxReplicas` override on top of whatever the cluster had: the user's override there, else
 * its divided share (kubefed/hpa-division.ts; 0..0 where the RSP gave the workload nothing), else
 * the template's bounds.
 */
import type { HpaBounds } from '../karmada/hpa.js';
import type { FederatedDoc } from './federated.js';
import type { Override } from './overrides.js';
import { RSP_KIND, type Rsp } from './rsp.js';

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined);

/**
 * The FederatedHorizontalPodAutoscalers whose template scales a given workload, by workload. Built
 * once per render: every RSP's target asks, and a fleet may hold thousands of federated objects.
 */
export function hpasByTarget(federated: readonly FederatedDoc[]): (target: FederatedDoc) => readonly FederatedDoc[] {
  const index = new Map<string, FederatedDoc[]>();
  for (const f of federated) {
    if (f.type.kind !== 'HorizontalPodAutoscaler' || f.type.group !== 'autoscaling') continue;
    const ref = asObj(asObj(f.base.spec).scaleTargetRef);
    if (ref.apiVersion !== 'apps/v1' || typeof ref.kind !== 'string' || typeof ref.name !== 'string') continue;
    const k = `${f.namespace ?? ''}/${ref.kind}/${ref.name}`;
    (index.get(k) ?? index.set(k, []).get(k)!).push(f);
  }
  return (target) => index.get(`${target.namespace ?? ''}/${target.type.kind}/${target.base.metadata.name}`) ?? [];
}

/** Where a cluster's bounds start when no override sets them: its divided share, or 0..0 where the division gave it none. */
export type StartBounds = (cluster: string) => HpaBounds | undefined;

/** Raises each receiving cluster's bounds on `hpa`; returns the line for explain. */
export function raiseHpaBounds(hpa: FederatedDoc, added: ReadonlyMap<string, number>, rsp: Rsp, start?: StartBounds): string {
  const from = `${RSP_KIND} ${rsp.src.obj.metadata.namespace ?? ''}/${rsp.src.obj.metadata.name}`;
  const spec = asObj(hpa.base.spec);
  const raised: string[] = [];
  for (const [cluster, n] of [...added].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const ops = [...(hpa.overrides.get(cluster) ?? [])];
    const share = start?.(cluster);
    const bound = (field: 'minReplicas' | 'maxReplicas', fallback: number | undefined) => {
      const path = `/spec/${field}`;
      const i = ops.findIndex((o) => o.path === path && o.op !== 'remove');
      const was = i >= 0 ? count(ops[i]!.value) : share ? share[field === 'minReplicas' ? 'min' : 'max'] : (count(spec[field]) ?? fallback);
      if (was === undefined) return undefined;
      const o: Override = { op: i >= 0 ? ops[i]!.op : 'replace', path, value: was + n, src: rsp.src, field: ['spec', 'targetKind'], note: `raised by the ${n} replica(s) ${cluster} runs for another cluster's HPA, scheduled by ${from}` };
      if (i >= 0) ops[i] = o;
      else ops.push(o);
      return was + n;
    };
    const min = bound('minReplicas', 1);
    const max = bound('maxReplicas', undefined);
    hpa.overrides.set(cluster, ops);
    raised.push(`${cluster} ${min}..${max ?? '?'}`);
  }
  return `${hpa.key}: bounds raised on the clusters that run the overflow, by what each runs: ${raised.join(', ')}.`;
}
