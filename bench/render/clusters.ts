/** The synthetic member clusters and their inventory documents, KubeFed and Karmada mixed. */
import type { BenchCluster } from './model.js';
import type { Rng } from './prng.js';

export const REGIONS = ['us-east', 'us-west', 'eu-west', 'eu-central', 'ap-south'] as const;
export const TIERS = ['prod', 'staging', 'edge'] as const;
export const PROVIDERS = ['aws', 'gcp', 'azure', 'onprem'] as const;

// Cloud region names per provider, so Karmada's spec.region reads like the real thing.
const CLOUD_REGION: Record<string, string> = {
  'us-east': 'us-east-1', 'us-west': 'us-west-2', 'eu-west': 'eu-west-1', 'eu-central': 'eu-central-1', 'ap-south': 'ap-south-1',
};

export function pad(i: number, width: number): string {
  return String(i).padStart(width, '0');
}

/** Half the fleet is production; every third cluster joined KubeFed-style, the rest Karmada-style. */
export function makeClusters(rng: Rng, n: number): BenchCluster[] {
  const width = Math.max(3, String(n - 1).length);
  const tiers = ['prod', 'prod', 'staging', 'edge'];
  return Array.from({ length: n }, (_, i) => ({
    name: `member-${pad(i, width)}`,
    engine: i % 3 === 0 ? ('kubefed' as const) : ('karmada' as const),
    labels: { region: rng.pick(REGIONS), tier: rng.pick(tiers), provider: rng.pick(PROVIDERS) },
  }));
}

export function inventoryDocument(c: BenchCluster): object {
  if (c.engine === 'kubefed') {
    return {
      apiVersion: 'core.kubefed.io/v1beta1',
      kind: 'KubeFedCluster',
      metadata: { name: c.name, namespace: 'kube-federation-system', labels: { ...c.labels } },
      spec: { apiEndpoint: `https://${c.name}.fleet.example:6443`, secretRef: { name: `${c.name}-token` } },
    };
  }
  const region = CLOUD_REGION[c.labels.region]!;
  return {
    apiVersion: 'cluster.karmada.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name: c.name, labels: { ...c.labels } },
    spec: { provider: c.labels.provider, region, zones: [`${region}a`, `${region}b`], syncMode: 'Push' },
  };
}
