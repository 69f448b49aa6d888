/**
 * `gitfed get` against the real members: one table over all of them with a CLUSTER column, a
 * CRD served by one member only, a member that does not answer, a name found on one member,
 * and -o json keeping each object with its member.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiextensionsV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGitfed } from '../../support/cli.js';
import { memberKubeConfig, memberKubeconfig, memberNames } from '../support/members.js';
import { createNamespace, deleteNamespace } from '../support/namespaces.js';
import { eventually } from '../support/wait.js';

const members = memberNames();
const [m1, m2, m3] = members as [string, string, string];
const CRD = 'gadgets.get.e2e.gitfed.io';
let ns = '';

/** The table's rows as cells; columns are split on two or more spaces, as textTable aligns them. */
function rows(stdout: string): string[][] {
  return stdout.trimEnd().split('\n').map((l) => l.split(/\s{2,}/));
}

beforeAll(async () => {
  ns = await createNamespace(memberKubeConfig(m1), 'get');
  for (const [i, m] of members.entries()) {
    const core = memberKubeConfig(m).makeApiClient(CoreV1Api);
    if (i > 0) await core.createNamespace({ body: { metadata: { name: ns } } });
    // member i holds i+1 config maps besides kube-root-ca.crt.
    for (let j = 0; j <= i; j++) await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: `cm-${j}`, labels: { idx: String(j) } }, data: { k: 'v' } } });
  }
  const ext = memberKubeConfig(m1).makeApiClient(ApiextensionsV1Api);
  await ext.createCustomResourceDefinition({
    body: {
      metadata: { name: CRD },
      spec: {
        group: 'get.e2e.gitfed.io', scope: 'Namespaced',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', shortNames: ['gdg'] },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      },
    },
  });
  const custom = memberKubeConfig(m1).makeApiClient(CustomObjectsApi);
  // The CRD serves only once Established: create until it is accepted.
  await eventually('gadget created', async () => {
    await custom.createNamespacedCustomObject({ group: 'get.e2e.gitfed.io', version: 'v1', namespace: ns, plural: 'gadgets', body: { apiVersion: 'get.e2e.gitfed.io/v1', kind: 'Gadget', metadata: { name: 'g1' }, spec: { size: 1 } } });
    return true;
  });
});

afterAll(async () => {
  for (const m of members) await deleteNamespace(memberKubeConfig(m), ns);
  await memberKubeConfig(m1).makeApiClient(ApiextensionsV1Api).deleteCustomResourceDefinition({ name: CRD }).catch(() => undefined);
});

describe('gitfed get', () => {
  it('lists one type on every member in one table, CLUSTER first', async () => {
    const r = await runGitfed(['get', 'configmaps', '-n', ns, '-l', 'idx', '--kubeconfig', memberKubeconfig()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [head, ...body] = rows(r.stdout);
    expect(head).toEqual(['CLUSTER', 'NAME', 'DATA', 'AGE']);
    expect(body.map((c) => `${c[0]} ${c[1]} ${c[2]}`)).toEqual([`${m1} cm-0 1`, `${m2} cm-0 1`, `${m2} cm-1 1`, `${m3} cm-0 1`, `${m3} cm-1 1`, `${m3} cm-2 1`]);
  });

  it('takes short names and a label selector, and narrows to --cluster', async () => {
    const r = await runGitfed(['get', 'cm', '-n', ns, '-l', 'idx=1', '--cluster', `${m2},${m3}`, '--kubeconfig', memberKubeconfig()]);
    expect(r.code).toBe(0);
    expect(rows(r.stdout).slice(1).map((c) => c.slice(0, 2))).toEqual([[m2, 'cm-1'], [m3, 'cm-1']]);
  });

  it('adds NAMESPACE with -A', async () => {
    const r = await runGitfed(['get', 'configmaps', '-A', '-l', 'idx=2', '--kubeconfig', memberKubeconfig()]);
    expect(r.code).toBe(0);
    const [head, ...body] = rows(r.stdout);
    expect(head?.slice(0, 3)).toEqual(['CLUSTER', 'NAMESPACE', 'NAME']);
    expect(body.map((c) => c.slice(0, 3))).toEqual([[m3, ns, 'cm-2']]);
  });

  it('lists a member that does not serve a CRD as such, and still the others', async () => {
    const short = await runGitfed(['get', 'gdg', '-n', ns, '--kubeconfig', memberKubeconfig()]);
    expect(short.code).toBe(0);
    expect(short.stderr).toContain(`warning: cluster ${m2}: the server doesn't have a resource type "gdg"`);
    const r = await runGitfed(['get', 'gadgets.get.e2e.gitfed.io', '-n', ns, '--kubeconfig', memberKubeconfig()]);
    expect(r.code).toBe(0);
    expect(rows(r.stdout).map((c) => c.slice(0, 2))).toEqual([['CLUSTER', 'NAME'], [m1, 'g1'], [m2, '<type not served>'], [m3, '<type not served>']]);
    expect(rows(short.stdout).map((c) => c.slice(0, 2))).toEqual(rows(r.stdout).map((c) => c.slice(0, 2)));
  });

  it('lists a member that does not answer, exits 1, and still shows the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitfed-get-'));
    const doc = yaml.load(readFileSync(memberKubeconfig(), 'utf8')) as { clusters: { name: string; cluster: Record<string, unknown> }[]; contexts: { name: string; context: Record<string, unknown> }[] };
    doc.clusters.push({ name: 'gone', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } });
    doc.contexts.push({ name: 'gone', context: { ...doc.contexts[0]!.context, cluster: 'gone' } });
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, yaml.dump(doc));
    const r = await runGitfed(['get', 'configmaps', '-n', ns, '-l', 'idx=0', '--kubeconfig', kubeconfig, '--request-timeout', '3']);
    expect(r.code).toBe(1);
    expect(rows(r.stdout).map((c) => c.slice(0, 2))).toEqual([['CLUSTER', 'NAME'], [m1, 'cm-0'], [m2, 'cm-0'], [m3, 'cm-0'], ['gone', '<MemberUnreachable>']]);
    expect(r.stderr).toMatch(/^warning: cluster gone: .*ECONNREFUSED.*\[MemberUnreachable\]$/m);
  });

  it('finds a name on the members that hold it, and -o json keeps each object with its member', async () => {
    const r = await runGitfed(['get', 'configmap', 'cm-2', '-n', ns, '-o', 'json', '--kubeconfig', memberKubeconfig()]);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout) as { clusters: { cluster: string; items?: { kind: string; metadata: { name: string } }[]; error?: { code: string } }[] };
    expect(data.clusters.map((c) => [c.cluster, c.items?.map((o) => `${o.kind}/${o.metadata.name}`) ?? c.error?.code])).toEqual([[m1, 'NotFound'], [m2, 'NotFound'], [m3, ['ConfigMap/cm-2']]]);
    const none = await runGitfed(['get', 'configmap', 'nothing-here', '-n', ns, '--kubeconfig', memberKubeconfig()]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('[NotFound]');
  });

  it('refuses a type no member serves', async () => {
    const r = await runGitfed(['get', 'nosuchthings', '--kubeconfig', memberKubeconfig()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[NoKindMatch]');
  });
});
