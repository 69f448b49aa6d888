/** Another field manager owns a field the branch sets: stop reports and keeps theirs; force takes it and says so. */
import { describe, expect, it } from 'vitest';
import { apply, admin, configMap, everywhere, live, member, memberNames, namespace, objectLine, ref, tmpDir, uniq, writeBranchDir } from './fixtures.js';

describe('conflicts with another field manager', () => {
  const ns = uniq('conflict');
  const cm = configMap(ns, 'shared', { owner: 'gitfed', other: 'x' });
  const dir = writeBranchDir(tmpDir('conflict'), everywhere([namespace(ns), cm]));
  const m = memberNames()[0]!;

  async function otherTakes(value: string) {
    // What `kubectl apply --server-side --force-conflicts --field-manager=other` sends.
    const client = await admin(m);
    await client.request('PATCH', `/api/v1/namespaces/${ns}/configmaps/shared`, {
      query: { fieldManager: 'other', force: true },
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', namespace: ns }, data: { owner: value } },
      contentType: 'application/apply-patch+yaml',
    });
  }

  it('under policy stop, fails the object with the conflict and leaves the other manager’s value', async () => {
    await apply(dir);
    await otherTakes('them');
    writeBranchDir(dir, everywhere([namespace(ns), configMap(ns, 'shared', { owner: 'gitfed', other: 'y' })]));
    const report = await apply(dir, { conflicts: 'stop' });
    const line = objectLine(report, m, `ConfigMap/${ns}/shared`);
    expect(line.action).toBe('failed');
    expect(line.message).toMatch(/conflict/i);
    expect(line.message).toContain('other');
    expect(member(report, m).state).toBe('Failed');
    expect((await live(m, cm))?.data).toMatchObject({ owner: 'them', other: 'x' });
    // The members without the conflict went on.
    expect(member(report, memberNames()[1]!).state).toBe('Synced');
  });

  it('under policy force, takes the field and reports what it took and from whom', async () => {
    const report = await apply(dir, { conflicts: 'force' });
    const line = objectLine(report, m, `ConfigMap/${ns}/shared`);
    expect(line, line.message).toMatchObject({ action: "configured" });
    expect(line.taken).toEqual([expect.stringMatching(/^\.data\.owner from "other"/)]);
    expect(member(report, m).state).toBe('Synced');
    const obj = await live(m, cm);
    expect(obj?.data).toMatchObject({ owner: 'gitfed', other: 'y' });
    const managers = (obj?.metadata.managedFields as { manager: string }[]).map((f) => f.manager);
    expect(managers).not.toContain('other');
    expect(ref(cm).name).toBe('shared');
  });
});
