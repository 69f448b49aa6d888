/** Installs CustomResourceDefinitions from YAML files on a cluster and waits until each is served. */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type { KubeClient } from '../../../src/apply/member/kube-client.js';
import { eventually } from './wait.js';

interface Crd {
  kind: string;
  metadata: { name: string };
}

type Conditions = { status?: { conditions?: { type: string; status: string }[] } };

/**
 * Creates every CRD of the files (created, not applied: Argo CD's ApplicationSet CRD is far
 * larger than the last-applied annotation allows) and waits for Established on each.
 */
export async function installCrdFiles(client: KubeClient, files: readonly string[]): Promise<string[]> {
  const crds = files.flatMap((f) => (yaml.loadAll(readFileSync(f, 'utf8')) as (Crd | null)[]).filter((d): d is Crd => d?.kind === 'CustomResourceDefinition'));
  for (const crd of crds) await client.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: crd, timeoutMs: 60_000 });
  for (const crd of crds) {
    await eventually(`${crd.metadata.name} established`, async () => {
      const { body } = await client.request<Conditions>('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
      return body.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined;
    });
  }
  return crds.map((c) => c.metadata.name);
}
