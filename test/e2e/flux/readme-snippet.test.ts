/**
 * The README's Flux snippet, run by real Flux: source-controller and kustomize-controller (the
 * pinned v1.9.6 build) on a management cluster of their own, one Kustomization per member
 * applying through the member's kubeconfig Secret, reading gitfed's rendered branch over smart
 * HTTP from git's own http-backend. The snippet is read from README.md; the test changes only
 * the repository URL and the cluster name (cloud-eu-1 becomes each member).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../src/apply/member/kube-client.js';
import { readmeYaml, snippetObjects } from '../../support/readme-snippets.js';
import { configMap, fleetRepo, live, memberNames, namespace, tmpDir, uniq, until } from '../apply/fixtures.js';
import { controlPlaneBinary, memberKubeconfig } from '../support/members.js';
import { condition, create, get, memberKubeconfigSecret, requestReconcile, startFluxSetup, type FluxSetup } from './flux.js';

const SNIPPET_URL = 'https://git.example.com/platform/fleet.git';
const SNIPPET_CLUSTER = 'cloud-eu-1';

describe("the README's Flux snippet, run by real Flux", () => {
  const dir = tmpDir('flux-readme');
  const members = memberNames();
  const ns = uniq('flux');
  const fleet = fleetRepo(members);
  let setup: FluxSetup | undefined;
  let api: KubeClient;

  beforeAll(async () => {
    setup = await startFluxSetup(dir, path.dirname(fleet.dir));
    api = setup.api;
  });

  afterAll(async () => {
    await setup?.stop();
    for (const m of members) execFileSync(controlPlaneBinary('kubectl'), ['--kubeconfig', memberKubeconfig(), '--context', m, 'delete', 'namespace', ns, '--ignore-not-found', '--wait=false']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const version = async (m: string) => ((await live(m, configMap(ns, 'app', {})))?.data as { version?: string } | undefined)?.version;
  /** Waits until every member's Kustomization applied `head` and reports Ready. */
  const applied = (head: string) =>
    until(`every Kustomization at ${head.slice(0, 7)}`, async () => {
      const all = await Promise.all(members.map((m) => get(api, 'Kustomization', `fleet-${m}`)));
      return all.every((k) => k.status?.lastAppliedRevision === `rendered@sha1:${head}` && condition(k).startsWith('True')) || undefined;
    }, 150_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${setup!.flux.logs()}`);
    });

  it("reconciles each member's directory of the rendered branch, object for object", async () => {
    const v1 = await fleet.commit([namespace(ns), configMap(ns, 'app', { version: 'v1' }), configMap(ns, 'old', { left: 'soon' })], 'v1');
    const url = setup!.url(fleet.dir);
    for (const [i, m] of members.entries()) {
      const [repository, kustomization] = snippetObjects(readmeYaml('Flux'), { [SNIPPET_URL]: url, [SNIPPET_CLUSTER]: m });
      expect([repository?.kind, kustomization?.kind]).toEqual(['GitRepository', 'Kustomization']);
      if (i === 0) await create(api, repository!);
      await create(api, memberKubeconfigSecret(`${m}-kubeconfig`, m));
      await create(api, kustomization!);
    }
    await applied(v1.head);
    expect(await Promise.all(members.map(version))).toEqual(members.map(() => 'v1'));
    const source = await get(api, 'GitRepository', 'fleet-rendered');
    expect(source.status?.artifact?.revision).toBe(`rendered@sha1:${v1.head}`);
    // Flux applied it (nothing else runs here): its own labels name the member's Kustomization.
    for (const m of members) expect((await live(m, configMap(ns, 'app', {})))?.metadata.labels?.['kustomize.toolkit.fluxcd.io/name'], m).toBe(`fleet-${m}`);
  });

  it('takes a new rendered commit to every member, and prunes what left the branch', async () => {
    const v2 = await fleet.commit([namespace(ns), configMap(ns, 'app', { version: 'v2' })], 'v2');
    // The snippet polls every minute; ask now, as `flux reconcile source git fleet-rendered` does.
    await requestReconcile(api, 'fleet-rendered');
    await applied(v2.head);
    expect(await Promise.all(members.map(version))).toEqual(members.map(() => 'v2'));
    for (const m of members) expect(await live(m, configMap(ns, 'old', {})), m).toBeUndefined();
  });
});
