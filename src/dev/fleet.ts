/**
 * Registers members as clusters of a fleet repo: one inventory document per member in
 * DIR/clusters/<name>.yaml. Only names, labels and where the member is, never credentials:
 * the apply side reaches a member through the kubeconfig context of the same name.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';

export type FleetKind = 'karmada' | 'kubefed';

export interface FleetMember {
  readonly name: string;
  readonly server: string;
  readonly workloads: boolean;
}

/**
 * Labels a placement can select on: every dev member is `environment: dev`; the ones with
 * simulated nodes say so, because only there do workloads become Available.
 */
export function memberLabels(m: FleetMember): Record<string, string> {
  return { environment: 'dev', 'gitfed.io/nodes': m.workloads ? 'kwok' : 'none' };
}

export function clusterDocument(m: FleetMember, kind: FleetKind): Record<string, unknown> {
  const labels = memberLabels(m);
  if (kind === 'kubefed') {
    // KubeFed requires apiEndpoint and secretRef; the secret is the joining tool's business. The
    // annotation records which kubeconfig context stands for them (dev up names it after the member).
    return {
      apiVersion: 'core.kubefed.io/v1beta1',
      kind: 'KubeFedCluster',
      metadata: { name: m.name, namespace: 'kube-federation-system', labels, annotations: { 'gitfed.io/context': m.name } },
      spec: { apiEndpoint: m.server, secretRef: { name: `${m.name}-credentials` } },
    };
  }
  return {
    apiVersion: 'cluster.karmada.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name: m.name, labels },
    spec: { syncMode: 'Push', apiEndpoint: m.server, provider: 'gitfed-dev', region: 'local' },
  };
}

/** Writes the documents; returns the files written, repo-relative to dir. */
export function registerFleet(dir: string, members: readonly FleetMember[], kind: FleetKind): string[] {
  mkdirSync(join(dir, 'clusters'), { recursive: true });
  return members.map((m) => {
    const rel = join('clusters', `${m.name}.yaml`);
    writeFileSync(join(dir, rel), yaml.dump(clusterDocument(m, kind), { lineWidth: -1 }));
    return rel;
  });
}
