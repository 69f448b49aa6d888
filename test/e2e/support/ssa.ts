/**
 * Server-side apply through client-node 1.x: a PATCH with content type
 * application/apply-patch+yaml and the fieldManager and force parameters.
 */
import { KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';

export interface ApplyOptions {
  readonly fieldManager: string;
  readonly force?: boolean;
  readonly dryRun?: boolean;
}

export function serverSideApply<T extends KubernetesObject>(kc: KubeConfig, obj: T, o: ApplyOptions): Promise<T> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  return api.patch(obj, undefined, o.dryRun ? 'All' : undefined, o.fieldManager, o.force ?? false, PatchStrategy.ServerSideApply);
}

/** The parsed Status of a failed API call (client-node puts the raw JSON string in body). */
export function statusOf(err: unknown): { code?: number; reason?: string; message?: string } {
  const e = err as { code?: number; body?: unknown };
  let body: Record<string, unknown> = {};
  if (typeof e.body === 'string') {
    try {
      body = JSON.parse(e.body) as Record<string, unknown>;
    } catch {
      body = { message: e.body };
    }
  } else if (e.body && typeof e.body === 'object') body = e.body as Record<string, unknown>;
  return { code: e.code, reason: body.reason as string | undefined, message: body.message as string | undefined };
}
