import { describe, expect, it } from 'vitest';
import { healthOf, worse } from '../../../src/apply/status/health.js';
import type { KubeObject } from '../../../src/object.js';

const obj = (apiVersion: string, kind: string, spec: unknown, status: unknown, generation?: number): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name: 'x', namespace: 'a', ...(generation ? { generation } : {}) },
  spec,
  status,
});

const dep = (status: unknown, generation = 2, replicas = 3) => obj('apps/v1', 'Deployment', { replicas }, status, generation);

describe('healthOf', () => {
  it.each<[string, KubeObject, string]>([
    ['deployment rolled out', dep({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }), 'Ready'],
    ['deployment not yet observed', dep({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }), 'Progressing'],
    ['deployment updating', dep({ observedGeneration: 2, replicas: 3, updatedReplicas: 1, availableReplicas: 3 }), 'Progressing'],
    ['deployment with old replicas left', dep({ observedGeneration: 2, replicas: 4, updatedReplicas: 3, availableReplicas: 3 }), 'Progressing'],
    ['deployment not available', dep({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 1 }), 'Progressing'],
    ['deployment past its deadline', dep({ observedGeneration: 2, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'too slow' }] }), 'Failed'],
    ['deployment without status', dep(undefined), 'Progressing'],
    ['statefulset ready', obj('apps/v1', 'StatefulSet', { replicas: 2 }, { observedGeneration: 1, readyReplicas: 2, currentRevision: 'r1', updateRevision: 'r1' }, 1), 'Ready'],
    ['statefulset rolling', obj('apps/v1', 'StatefulSet', { replicas: 2 }, { observedGeneration: 1, readyReplicas: 2, currentRevision: 'r1', updateRevision: 'r2' }, 1), 'Progressing'],
    ['job complete', obj('batch/v1', 'Job', {}, { conditions: [{ type: 'Complete', status: 'True' }] }), 'Ready'],
    ['job failed', obj('batch/v1', 'Job', {}, { conditions: [{ type: 'Failed', status: 'True', message: 'BackoffLimitExceeded' }] }), 'Failed'],
    ['job running', obj('batch/v1', 'Job', {}, { active: 1 }), 'Progressing'],
    ['crd established', obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', {}, { conditions: [{ type: 'Established', status: 'True' }] }), 'Ready'],
    ['crd names rejected', obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', {}, { conditions: [{ type: 'NamesAccepted', status: 'False' }] }), 'Failed'],
    ['crd pending', obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', {}, {}), 'Progressing'],
    ['ClusterIP service', obj('v1', 'Service', { type: 'ClusterIP' }, {}), 'Ready'],
    ['load balancer without address', obj('v1', 'Service', { type: 'LoadBalancer' }, { loadBalancer: {} }), 'Progressing'],
    ['load balancer with address', obj('v1', 'Service', { type: 'LoadBalancer' }, { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } }), 'Ready'],
    ['configmap', obj('v1', 'ConfigMap', undefined, undefined), 'Ready'],
    ['custom resource stalled', obj('example.com/v1', 'Widget', {}, { conditions: [{ type: 'Stalled', status: 'True' }] }), 'Failed'],
    ['custom resource not ready', obj('example.com/v1', 'Widget', {}, { conditions: [{ type: 'Ready', status: 'False' }] }), 'Progressing'],
    ['custom resource behind its generation', obj('example.com/v1', 'Widget', {}, { observedGeneration: 1 }, 2), 'Progressing'],
  ])('%s: %s', (_name, o, want) => expect(healthOf(o).status).toBe(want));

  it('orders Ready < Progressing < Failed', () => {
    expect(worse('Ready', 'Progressing')).toBe('Progressing');
    expect(worse('Failed', 'Progressing')).toBe('Failed');
  });
});
