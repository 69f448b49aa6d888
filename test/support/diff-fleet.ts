/**
 * Two renders of a synthetic fleet of N clusters, before and after one pull request, built as
 * output branches directly (no render), so the diff's golden files change only when the diff does.
 * The PR: a new image on every cluster (the on-prem fifth pull it from their own registry),
 * replicas moved from the first cluster to the second, a log level changed everywhere, a Secret's
 * password changed, a ConfigMap added everywhere, a ConfigMap widened to the last cluster, and one
 * removed from the first.
 */
import jsyaml from 'js-yaml';
import type { BranchOutput } from '../../src/render/types.js';

const yaml = (o: unknown) => jsyaml.dump(o, { lineWidth: -1, noRefs: true });

function deployment(cluster: string, i: number, tag: string, replicas: number): string {
  const registry = i % 5 === 4 ? `harbor.${cluster}.internal/shop` : 'registry.example.com/shop';
  return yaml({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', labels: { app: 'web', cluster } },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: `${registry}/web:${tag}`, ports: [{ containerPort: 8080 }] }] } } },
  });
}

const configMap = (name: string, data: Record<string, string>) => yaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, data });
const secret = (password: string) => yaml({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, type: 'Opaque', stringData: { password, user: 'shop' } });

export const clusterName = (i: number) => `member-${String(i + 1).padStart(3, '0')}`;

export function fleetPair(n: number): { base: BranchOutput[]; head: BranchOutput[] } {
  const side = (after: boolean): BranchOutput[] => [{
    branch: 'rendered',
    clusters: Array.from({ length: n }, (_, i) => {
      const cluster = clusterName(i);
      const dir = `clusters/${cluster}`;
      const files = new Map<string, string>();
      const replicas = 3 + (after ? (i === 0 ? -2 : i === 1 ? 2 : 0) : 0);
      files.set(`${dir}/shop/deployment.apps-web.yaml`, deployment(cluster, i, after ? '1.9.0' : '1.8.2', replicas));
      files.set(`${dir}/shop/configmap-web-config.yaml`, configMap('web-config', { LOG_LEVEL: after ? 'debug' : 'info', CLUSTER: cluster }));
      files.set(`${dir}/shop/secret-db.yaml`, secret(after ? 'n3w-s3cret' : 'old-s3cret'));
      if (after) files.set(`${dir}/shop/configmap-feature-flags.yaml`, configMap('feature-flags', { checkout: 'v2' }));
      if (i < n - 1 || after) files.set(`${dir}/shop/configmap-regional.yaml`, configMap('regional', { region: 'eu' }));
      if (i > 0 || !after) files.set(`${dir}/shop/configmap-legacy.yaml`, configMap('legacy', { mode: 'old' }));
      return { cluster, dir, files: new Map([...files].sort((a, b) => (a[0] < b[0] ? -1 : 1))), objects: files.size, digest: '' };
    }),
  }];
  return { base: side(false), head: side(true) };
}
