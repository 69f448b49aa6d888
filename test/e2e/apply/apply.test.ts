/**
 * First apply, no-op re-sync, update and prune against the real members, with the inventory
 * and the ownership labels checked on the members themselves.
 */
import { describe, expect, it } from 'vitest';
import type { MemberSession } from '../../../src/apply/member/member-session.js';
import { DIGEST_ANNOTATION, MANAGED_BY_LABEL, ORPHAN_ANNOTATION, PRUNE_ANNOTATION } from '../../../src/apply/member/ownership.js';
import { admin, apply, configMap, deployment, everywhere, inventoryKeys, live, member, memberNames, namespace, objectLine, tmpDir, uniq, writeBranchDir } from './fixtures.js';

describe('gitfed apply against three members', () => {
  const ns = uniq('apply');
  const dir = tmpDir('apply');
  const members = memberNames();
  const objects = [
    namespace(ns),
    configMap(ns, 'cfg', { a: '1' }),
    configMap(ns, 'orphan-me', { x: '1' }, { [ORPHAN_ANNOTATION]: 'true' }),
    configMap(ns, 'keep-me', { x: '1' }, { [PRUNE_ANNOTATION]: 'disabled' }),
    deployment(ns, 'web', 2),
  ];

  it('creates every object on every member, labelled, and lists them in the inventory', async () => {
    writeBranchDir(dir, everywhere(objects));
    const report = await apply(dir);
    for (const m of members) {
      expect(member(report, m)).toMatchObject({ state: 'Synced', counts: { failed: 0 } });
      expect(objectLine(report, m, `ConfigMap/${ns}/cfg`).action).toBe('created');
      const cm = await live(m, configMap(ns, 'cfg', {}));
      expect(cm?.data).toEqual({ a: '1' });
      expect(cm?.metadata.labels?.[MANAGED_BY_LABEL]).toBe('gitfed');
      expect(cm?.metadata.annotations?.[DIGEST_ANNOTATION]).toMatch(/^[0-9a-f]{20}$/);
      const managers = (cm?.metadata.managedFields as { manager: string; operation: string }[]).map((f) => `${f.manager}/${f.operation}`);
      expect(managers).toContain('gitfed/Apply');
      const inv = await inventoryKeys(m);
      expect(inv).toEqual(expect.arrayContaining([`/Namespace//${ns}`, `/ConfigMap/${ns}/cfg`, `apps/Deployment/${ns}/web`]));
    }
    expect(report.federated.find((f) => f.object === `ConfigMap/${ns}/cfg`)?.conditions[0]).toEqual({ type: 'Propagation', status: 'True', reason: '' });
  });

  it('re-syncs a member already in sync with no write and no request per object', async () => {
    const before = await live(members[0]!, configMap(ns, 'cfg', {}));
    const sessions = new Map<string, MemberSession>();
    try {
      const report = await apply(dir, {}, { sessions });
      for (const m of members) {
        const r = member(report, m);
        expect(r.state).toBe('Synced');
        expect(r.counts.unchanged).toBe(objects.length);
        const stats = sessions.get(m)!.client.stats;
        expect(stats.byVerb.PATCH ?? 0).toBe(0);
        expect(stats.byVerb.DELETE ?? 0).toBe(0);
        // One inventory read, discovery and one LIST per kind: far below one per object.
        expect(r.requests).toBeLessThanOrEqual(1 + 3 + 3);
        // Keep-alive: never more connections than requests in flight at once.
        expect(stats.connections).toBeLessThan(stats.requests);
      }
    } finally {
      for (const s of sessions.values()) s.close();
    }
    const after = await live(members[0]!, configMap(ns, 'cfg', {}));
    expect(after?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
  });

  it('updates only the member whose directory changed', async () => {
    const [m1, m2] = members as [string, string];
    const fleet = everywhere(objects);
    fleet[m2] = objects.map((o) => (o.metadata.name === 'cfg' && o.kind === 'ConfigMap' ? configMap(ns, 'cfg', { a: '2', b: 'new' }) : o));
    writeBranchDir(dir, fleet);
    const report = await apply(dir);
    expect(objectLine(report, m2, `ConfigMap/${ns}/cfg`).action).toBe('configured');
    expect(objectLine(report, m1, `ConfigMap/${ns}/cfg`).action).toBe('unchanged');
    expect((await live(m2, configMap(ns, 'cfg', {})))?.data).toEqual({ a: '2', b: 'new' });
    expect((await live(m1, configMap(ns, 'cfg', {})))?.data).toEqual({ a: '1' });
  });

  it('prunes what left the branch, honouring orphaning and prune-disabled, and narrows the inventory', async () => {
    writeBranchDir(dir, everywhere([namespace(ns), deployment(ns, 'web', 2)]));
    const report = await apply(dir);
    for (const m of members) {
      expect(member(report, m).state).toBe('Synced');
      expect(objectLine(report, m, `ConfigMap/${ns}/cfg`).action).toBe('pruned');
      expect(objectLine(report, m, `ConfigMap/${ns}/orphan-me`)).toMatchObject({ action: 'skipped', message: expect.stringContaining('orphaned') });
      expect(objectLine(report, m, `ConfigMap/${ns}/keep-me`)).toMatchObject({ action: 'skipped', message: expect.stringContaining('prune disabled') });
      expect(await live(m, configMap(ns, 'cfg', {}))).toBeUndefined();
      expect(await live(m, configMap(ns, 'orphan-me', {}))).toBeDefined();
      expect(await live(m, configMap(ns, 'keep-me', {}))).toBeDefined();
      const inv = await inventoryKeys(m);
      expect(inv).not.toContain(`/ConfigMap/${ns}/cfg`);
      expect(inv).not.toContain(`/ConfigMap/${ns}/orphan-me`);
      expect(inv).toContain(`apps/Deployment/${ns}/web`);
    }
  });

  it('never deletes an object that lost gitfed’s ownership label', async () => {
    const m = members[0]!;
    writeBranchDir(dir, everywhere([namespace(ns), deployment(ns, 'web', 2), configMap(ns, 'adopted', { a: '1' })]));
    await apply(dir);
    // Someone takes the object over: the label goes, so it is not gitfed's to delete any more.
    const client = await admin(m);
    await client.request('PATCH', `/api/v1/namespaces/${ns}/configmaps/adopted`, {
      query: { fieldManager: 'someone' },
      body: [{ op: 'remove', path: `/metadata/labels/${MANAGED_BY_LABEL.replace('/', '~1')}` }],
      contentType: 'application/json-patch+json',
    });
    writeBranchDir(dir, everywhere([namespace(ns), deployment(ns, 'web', 2)]));
    const report = await apply(dir);
    expect(objectLine(report, m, `ConfigMap/${ns}/adopted`).action).toBe('skipped');
    expect(await live(m, configMap(ns, 'adopted', {}))).toBeDefined();
    expect(await live(members[1]!, configMap(ns, 'adopted', {}))).toBeUndefined();
  });
});
