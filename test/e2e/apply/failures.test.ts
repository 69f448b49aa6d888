/**
 * Objects the member refuses: an immutable field changed (recreated only when the object opts
 * in), and a delete an admission policy denies (the object stays in the inventory and is pruned
 * by a later run once the policy is gone).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { RECREATE_ANNOTATION } from '../../../src/apply/member/ownership.js';
import type { KubeObject } from '../../../src/object.js';
import { admin, apply, configMap, inventoryKeys, live, member, memberNames, namespace, objectLine, ref, tmpDir, uniq, until, writeBranchDir } from './fixtures.js';

function selectorDeployment(ns: string, app: string, annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'imm', namespace: ns, ...(annotations ? { annotations } : {}) },
    spec: { replicas: 0, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'registry.example.com/x:1' }] } } },
  };
}

describe('an immutable field changed', () => {
  const ns = uniq('imm');
  const dir = tmpDir('imm');
  const m = memberNames()[0]!;

  it('fails with a message naming the opt-in, and recreates once the object opts in', async () => {
    writeBranchDir(dir, { [m]: [namespace(ns), selectorDeployment(ns, 'a')] });
    await apply(dir, {}, { clusters: [m] });
    const before = await live(m, selectorDeployment(ns, 'a'));

    writeBranchDir(dir, { [m]: [namespace(ns), selectorDeployment(ns, 'b')] });
    const refused = await apply(dir, {}, { clusters: [m] });
    const line = objectLine(refused, m, `Deployment/${ns}/imm`);
    expect(line.action).toBe('failed');
    expect(line.message).toMatch(/immutable/);
    expect(line.message).toContain(RECREATE_ANNOTATION);
    expect((await live(m, selectorDeployment(ns, 'a')))?.metadata.uid).toBe(before?.metadata.uid);

    writeBranchDir(dir, { [m]: [namespace(ns), selectorDeployment(ns, 'b', { [RECREATE_ANNOTATION]: 'enabled' })] });
    const recreated = await apply(dir, {}, { clusters: [m] });
    expect(objectLine(recreated, m, `Deployment/${ns}/imm`)).toMatchObject({ action: 'created', message: expect.stringContaining('immutable') });
    expect(member(recreated, m).state).toBe('Synced');
    const after = await live(m, selectorDeployment(ns, 'b'));
    expect(after?.metadata.uid).not.toBe(before?.metadata.uid);
    expect((after?.spec as { selector: unknown }).selector).toEqual({ matchLabels: { app: 'b' } });
  });
});

describe('a delete the member refuses', () => {
  const ns = uniq('stuck');
  const dir = tmpDir('stuck');
  const m = memberNames()[0]!;
  const policy = `gitfed-e2e-${ns}`;
  const vapPath = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';
  const bindingPath = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings';

  async function removePolicy() {
    const c = await admin(m);
    await c.request('DELETE', `${bindingPath}/${policy}`).catch(() => undefined);
    await c.request('DELETE', `${vapPath}/${policy}`).catch(() => undefined);
  }
  afterAll(removePolicy);

  it('keeps the object in the inventory and prunes it on a later run', async () => {
    const stuck = configMap(ns, 'stuck', { a: '1' });
    writeBranchDir(dir, { [m]: [namespace(ns), stuck, configMap(ns, 'free', { a: '1' })] });
    await apply(dir, {}, { clusters: [m] });

    const c = await admin(m);
    await c.request('POST', vapPath, {
      body: {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name: policy },
        spec: {
          failurePolicy: 'Fail',
          matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['DELETE'], resources: ['configmaps'] }] },
          matchConditions: [{ name: 'only-stuck', expression: "oldObject.metadata.name == 'stuck'" }],
          validations: [{ expression: 'false', message: 'stuck may not be deleted' }],
        },
      },
    });
    await c.request('POST', bindingPath, {
      body: {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: policy },
        spec: { policyName: policy, validationActions: ['Deny'], matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } } },
      },
    });
    // Policies take effect once the API server has loaded them.
    await until('policy active', async () => ((await c.delete(ref(stuck), { dryRun: true }).then(() => false, () => true)) ? true : undefined), 30_000);

    writeBranchDir(dir, { [m]: [namespace(ns)] });
    const refused = await apply(dir, {}, { clusters: [m] });
    expect(objectLine(refused, m, `ConfigMap/${ns}/free`).action).toBe('pruned');
    expect(objectLine(refused, m, `ConfigMap/${ns}/stuck`)).toMatchObject({ action: 'failed', message: expect.stringContaining('stuck may not be deleted') });
    expect(member(refused, m).state).toBe('Failed');
    expect(await inventoryKeys(m)).toContain(`/ConfigMap/${ns}/stuck`);
    expect(await inventoryKeys(m)).not.toContain(`/ConfigMap/${ns}/free`);

    await removePolicy();
    await until('policy gone', async () => ((await c.delete(ref(stuck), { dryRun: true }).then(() => true, () => false)) ? true : undefined), 30_000);
    const later = await apply(dir, {}, { clusters: [m] });
    expect(objectLine(later, m, `ConfigMap/${ns}/stuck`).action).toBe('pruned');
    expect(member(later, m).state).toBe('Synced');
    expect(await inventoryKeys(m)).not.toContain(`/ConfigMap/${ns}/stuck`);
    expect(await live(m, stuck)).toBeUndefined();
  });
});

