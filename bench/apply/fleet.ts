/**
 * The benchmark's objects: per member, 10 Namespaces and 990 Deployments, Services and
 * ConfigMaps (i % 3), the shapes of perf-anchors.md's generator. Deployments have 0 replicas so
 * the members’ controllers do not compete with the apply for the two cores, and Services are
 * headless because a dev member’s service range has room for a few hundred addresses only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import type { KubeObject } from '../../src/object.js';
import { DEFAULT_BRANCH, METADATA_SCHEMA } from '../../src/git/layout.js';

const pad = (i: number) => String(i).padStart(4, '0');

export function benchObjects(prefix: string, total: number): KubeObject[] {
  const namespaces = Array.from({ length: 10 }, (_, i) => `${prefix}-${i}`);
  const out: KubeObject[] = namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  for (let i = 0; out.length < total; i++) {
    const name = `app-${pad(i)}`;
    const namespace = namespaces[i % 10]!;
    const labels = { app: name };
    if (i % 3 === 0) {
      out.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace, labels: { ...labels, tier: 'backend' } },
        spec: {
          replicas: 0,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              containers: [{
                name: 'main',
                image: `registry.example.com/${name}:1.0.${i}`,
                ports: [{ containerPort: 8080, name: 'http' }],
                env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'CONFIG_NAME', value: `${name}-config` }],
                resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
                readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
              }],
            },
          },
        },
      });
    } else if (i % 3 === 1) {
      out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels }, spec: { clusterIP: 'None', selector: labels, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] } });
    } else {
      out.push({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace, labels },
        data: { 'settings.properties': `feature.a=true\nfeature.b=false\npool.size=${i % 50}\nendpoint=https://api.example.com/${name}\n`, LOG_FORMAT: 'json' },
      });
    }
  }
  return out;
}

/** Writes `clusters/<member>/...`, one object per file (namespaces under `_cluster`, which sorts first for kubectl -R). */
export function writeFleet(root: string, members: readonly string[], objectsOf: (member: string) => KubeObject[]): void {
  fs.rmSync(path.join(root, 'clusters'), { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  const meta = { schema: METADATA_SCHEMA, branch: DEFAULT_BRANCH, source: { repo: 'bench', commit: 'bench' }, gitfed: { version: 'bench' }, clusters: [] as { name: string; dir: string; objects: number; digest: string }[] };
  for (const m of members) {
    const objs = objectsOf(m);
    for (const o of objs) {
      const file = path.join(root, 'clusters', m, o.metadata.namespace ?? '_cluster', `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, yaml.dump(o, { sortKeys: true, lineWidth: -1 }));
    }
    meta.clusters.push({ name: m, dir: `clusters/${m}`, objects: objs.length, digest: 'bench' });
  }
  fs.writeFileSync(path.join(root, 'gitfed.metadata'), JSON.stringify(meta, null, 2) + '\n');
}
