/**
 * kubefedctl's `join NAME --cluster-context CTX`: before the cluster is written into the fleet
 * repo, its API server (the endpoint of CTX in the kubeconfig) must answer. Only the context's
 * name is recorded; the endpoint and credentials stay in the kubeconfig. Loaded by `join`.
 */
import { ApplyError } from '../../src/errors.js';

/** The endpoint that answered, and its Kubernetes version. */
export async function checkAnswers(kubeconfig: string | undefined, name: string, context: string): Promise<{ server: string; version: string }> {
  const { loadKubeConfig, KubeClient } = await import('../../src/apply/member/kube-client.js');
  const kc = loadKubeConfig(kubeconfig);
  const client = await KubeClient.connect(kc, name, context, { timeoutMs: 5000 });
  try {
    const { body } = await client.request<{ gitVersion?: string }>('GET', '/version');
    return { server: client.server, version: body.gitVersion ?? 'unknown' };
  } catch (err) {
    if (err instanceof ApplyError) throw err;
    throw new ApplyError('MemberUnreachable', `context ${context} (${client.server}): ${(err as Error).message}`, { cluster: name }, { cause: err });
  } finally {
    client.close();
  }
}
