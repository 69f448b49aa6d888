/**
 * The simulated node kwok keeps Ready on a workloads member. No taint: any pod may land on
 * it, so tests need no tolerations for a Deployment to become Available.
 */
import { DevError } from '../errors.js';
import { sleep } from './duration.js';
import { KWOK_NODE_ANNOTATION } from './args.js';
import { call, type Endpoint } from './http.js';

export const KWOK_NODE_NAME = 'kwok-node-0';

export function kwokNode(name: string = KWOK_NODE_NAME): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [KWOK_NODE_ANNOTATION]: 'fake' },
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok' },
    },
    status: {
      capacity: { cpu: '32', memory: '256Gi', pods: '110' },
      allocatable: { cpu: '32', memory: '256Gi', pods: '110' },
    },
  };
}


export async function createKwokNode(e: Endpoint, member: string, deadline: number): Promise<void> {
  const res = await call(e, 'POST', '/api/v1/nodes', kwokNode());
  if (res.status !== 201 && res.status !== 409) {
    throw new DevError('StartFailed', `creating node ${KWOK_NODE_NAME}: ${res.status} ${res.body}`, { cluster: member });
  }
  // kwok's node-initialize stage marks it Ready; before that the scheduler would skip it.
  for (;;) {
    const got = await call(e, 'GET', `/api/v1/nodes/${KWOK_NODE_NAME}`);
    const node = got.status === 200 ? (JSON.parse(got.body) as { status?: { conditions?: { type: string; status: string }[] } }) : undefined;
    if (node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return;
    if (Date.now() > deadline) {
      throw new DevError('StartTimeout', `node ${KWOK_NODE_NAME} never became Ready: is kwok running?`, { cluster: member });
    }
    await sleep(250);
  }
}
