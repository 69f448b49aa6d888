/**
 * `gitfed apply --dry-run` and `gitfed diff --live` carry out one plan of the member, so on a
 * member that holds every case at once (in sync, changed, new, there without gitfed's label,
 * another fleet's, left the branch, orphaned) they say the same thing of every object, and
 * neither changes anything.
 */
import { describe, expect, it } from 'vitest';
import { applyBranch } from '../../../src/apply/apply-branch.js';
import { fleetIdentity } from '../../../src/apply/fleet.js';
import { liveDiff, liveDiffExitCode, type ChangeKind } from '../../../src/apply/live-diff.js';
import { FLEET_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE, ORPHAN_ANNOTATION, PART_OF_LABEL } from '../../../src/apply/member/ownership.js';
import type { Action } from '../../../src/apply/status/report.js';
import { admin, apply, config, configMap, inventoryKeys, live, member, memberKubeconfig, memberNames, namespace, objectLine, tmpDir, uniq, writeBranchDir } from './fixtures.js';

/** What the live diff says of an object, for each line of a dry-run report; absent: no change. */
const DIFF_OF: Record<Action, ChangeKind | undefined> = { created: 'create', configured: 'update', pruned: 'prune', failed: 'conflict', unchanged: undefined, skipped: undefined };

describe('apply --dry-run and diff --live', () => {
  const ns = uniq('dry');
  const dir = tmpDir('dry');
  const m = memberNames()[0]!;
  const other = fleetIdentity('someone-else');

  it('agree on every object, and change nothing', async () => {
    writeBranchDir(dir, { [m]: [namespace(ns), configMap(ns, 'same', { a: '1' }), configMap(ns, 'changed', { a: '1' }), configMap(ns, 'gone', { a: '1' }), configMap(ns, 'orphan', { a: '1' }, { [ORPHAN_ANNOTATION]: 'true' })] });
    expect(member(await apply(dir, {}, { clusters: [m] }), m).state).toBe('Synced');
    const c = await admin(m);
    // Put there by kubectl, and by another fleet.
    await c.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: configMap(ns, 'bare', { a: 'kubectl' }) });
    const theirs = configMap(ns, 'theirs', { a: 'other' });
    theirs.metadata.labels = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [PART_OF_LABEL]: other.id, [FLEET_LABEL]: other.name };
    await c.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: theirs });
    const inventoryBefore = await inventoryKeys(m);

    writeBranchDir(dir, { [m]: [namespace(ns), configMap(ns, 'same', { a: '1' }), configMap(ns, 'changed', { a: '2' }), configMap(ns, 'fresh', { a: '1' }), configMap(ns, 'bare', { a: 'gitfed' }), configMap(ns, 'theirs', { a: 'mine' })] });
    const report = await applyBranch({ repo: dir, kubeconfig: memberKubeconfig(), config: config(), clusters: [m], dryRun: true, stateFile: null });
    const diff = await liveDiff({ repo: dir, kubeconfig: memberKubeconfig(), config: config(), clusters: [m] });

    const line = (name: string) => objectLine(report, m, `ConfigMap/${ns}/${name}`);
    expect(line('same').action).toBe('unchanged');
    expect(line('changed').action).toBe('configured');
    expect(line('fresh').action).toBe('created');
    // There already: the apply would update it (and label it), not create it.
    expect(line('bare').action).toBe('configured');
    expect(line('theirs')).toMatchObject({ action: 'failed', message: expect.stringContaining(`owned by fleet ${other.name}`) });
    expect(line('gone')).toMatchObject({ action: 'pruned', message: 'would be deleted' });
    expect(line('orphan')).toMatchObject({ action: 'skipped', message: expect.stringMatching(/^left in place: orphaned/) });

    const changes = diff.members[0]!.objects;
    const fromDiff = Object.fromEntries(changes.map((o) => [o.object, o.change]));
    const fromReport = Object.fromEntries(member(report, m).objects.flatMap((o) => (DIFF_OF[o.action] ? [[o.object, DIFF_OF[o.action]]] : [])));
    expect(fromDiff).toEqual(fromReport);
    expect(changes.find((o) => o.object === `ConfigMap/${ns}/bare`)?.fields).toContainEqual({ path: '/data/a', op: 'replace', from: 'kubectl', to: 'gitfed' });
    expect(changes.find((o) => o.object === `ConfigMap/${ns}/theirs`)?.message).toBe(line('theirs').message);
    expect(liveDiffExitCode(diff)).toBe(1);

    // Neither wrote anything.
    expect(await inventoryKeys(m)).toEqual(inventoryBefore);
    expect(await live(m, configMap(ns, 'fresh', {}))).toBeUndefined();
    expect((await live(m, configMap(ns, 'changed', {})))?.data).toEqual({ a: '1' });
    expect((await live(m, configMap(ns, 'gone', {})))?.metadata.name).toBe('gone');
    expect((await live(m, configMap(ns, 'bare', {})))?.metadata.labels?.[MANAGED_BY_LABEL]).toBeUndefined();
  });
});
