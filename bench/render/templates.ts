/** The plain Kubernetes objects of the synthetic fleet: what a member cluster finally gets. */
import type { KubeObject } from '../../src/object.js';

export const IMAGE_REGISTRY = 'registry.example.com';

export function imageOf(name: string, i: number): string {
  return `${IMAGE_REGISTRY}/${name}:1.${i % 7}.${i}`;
}

export function namespace(name: string, labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } };
}

/** About the size of a real service's Deployment (~0.8 KB of YAML), like the perf-anchors fleet. */
export function deployment(name: string, ns: string, i: number, replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: { app: name, tier: 'backend' }, annotations: { 'fleet.example.com/owner': `team-${i % 13}` } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'main',
              image: imageOf(name, i),
              ports: [{ containerPort: 8080, name: 'http' }],
              env: [
                { name: 'LOG_LEVEL', value: 'info' },
                { name: 'CONFIG_NAME', value: `${name}-config` },
              ],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
            },
          ],
        },
      },
    },
  };
}

export function configMap(name: string, ns: string, i: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: ns, labels: { app: name } },
    data: {
      'settings.properties': `feature.a=true\nfeature.b=false\npool.size=${i % 50}\nendpoint=https://api.example.com/${name}\n`,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
    },
  };
}

export function service(name: string, ns: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
  };
}
