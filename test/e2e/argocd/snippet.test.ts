/**
 * The README's Argo CD snippet is accepted by a real API server with Argo CD's own CRDs
 * (v3.5.1, test/fixtures/upstream-crds/argocd): the ApplicationSet as written, and the
 * Application its template generates for a member, each created with strict field validation
 * (an unknown or misspelt field is refused, as `kubectl apply` would refuse it). The server is a
 * kube-apiserver of its own, so the shared members never serve Argo CD's kinds.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../src/apply/member/kube-client.js';
import type { KubeObject } from '../../../src/object.js';
import { readmeYaml, snippetObjects } from '../../support/readme-snippets.js';
import { installCrdFiles } from '../support/crds.js';
import { clientFor, startExtraClusters, type ExtraClusters } from '../support/management.js';

const CRDS = ['application-crd.yaml', 'applicationset-crd.yaml'].map((f) => path.resolve('test/fixtures/upstream-crds/argocd', f));
const NAMESPACE = 'argocd';

describe("the README's Argo CD snippet", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitfed-argocd-'));
  let clusters: ExtraClusters | undefined;
  let api: KubeClient;
  const snippet = readmeYaml('Argo CD');

  beforeAll(async () => {
    clusters = await startExtraClusters(dir, 'argocd', []);
    api = await clientFor(clusters.management, 'argocd');
    expect(await installCrdFiles(api, CRDS)).toEqual(['applications.argoproj.io', 'applicationsets.argoproj.io']);
    await api.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } } });
  });

  afterAll(async () => {
    await clusters?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Created for real, with unknown fields refused; returns what the server stored. */
  const create = async (o: KubeObject): Promise<KubeObject> => {
    const plural = `${o.kind.toLowerCase()}s`;
    const { body } = await api.request('POST', `/apis/${o.apiVersion}/namespaces/${o.metadata.namespace}/${plural}`, { body: o, query: { fieldValidation: 'Strict' } });
    return body;
  };

  it('is one ApplicationSet, accepted field for field', async () => {
    const objects = snippetObjects(snippet);
    expect(objects.map((o) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['argoproj.io/v1alpha1/ApplicationSet/argocd/fleet']);
    const stored = await create(objects[0]!);
    expect(stored.spec).toEqual(objects[0]!.spec);
  });

  it("generates, for a member, an Application that is accepted and reads the member's directory of the rendered branch", async () => {
    // What the clusters generator does with goTemplate: fill in each cluster's name and server.
    const [set] = snippetObjects(snippet);
    const template = JSON.stringify((set!.spec as { template: unknown }).template)
      .split('{{.name}}').join('member1')
      .split('{{.server}}').join('https://127.0.0.1:6443');
    expect(template).not.toContain('{{');
    const { metadata, spec } = JSON.parse(template) as { metadata: { name: string }; spec: Record<string, unknown> };
    const app: KubeObject = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { ...metadata, namespace: NAMESPACE }, spec };
    const stored = await create(app);
    expect(stored.metadata.name).toBe('fleet-member1');
    expect(stored.spec).toMatchObject({ source: { targetRevision: 'rendered', path: 'clusters/member1', directory: { recurse: true } }, destination: { server: 'https://127.0.0.1:6443' } });
  });

  it('is checked for real: a misspelt field is refused by the same server', async () => {
    const [set] = snippetObjects(snippet.replace('syncPolicy:', 'syncPolicies:'));
    set!.metadata.name = 'misspelt';
    await expect(create(set!)).rejects.toThrow(/unknown field "spec.template.spec.syncPolicies"/);
  });
});
