/**
 * Several fleets on one real member, as users run several Argo CD or Flux applications per
 * cluster: each fleet repo is made, rendered and applied the way a new user would (git init,
 * gitfed's publish, apply), with no fleet name set, so each goes by its default. Each fleet
 * applies and prunes only its own objects, in either order; an object another fleet owns is
 * neither applied over nor pruned unless a takeOver rule says so; and a member holding the
 * single inventory of an earlier gitfed is migrated by the fleet whose history it is, with
 * nothing lost.
 */
import { describe, expect, it } from 'vitest';
import { fleetIdentity, LEGACY_INVENTORY_NAME, type FleetIdentity } from '../../../src/apply/fleet.js';
import { decodeInventory, inventoryRef } from '../../../src/apply/member/inventory.js';
import { refKey } from '../../../src/object.js';
import { DIGEST_ANNOTATION, FLEET_LABEL, MANAGED_BY_LABEL, PART_OF_LABEL } from '../../../src/apply/member/ownership.js';
import { prepare } from '../../../src/apply/plan/plan.js';
import type { KubeObject } from '../../../src/object.js';
import { admin, apply, configMap, dataOf, deployment, fleetRepo, inventoryKeys, live, member, memberNames, namespace, objectLine, ref, uniq } from './fixtures.js';

const target = memberNames()[1] ?? memberNames()[0]!;

function partOf(o: KubeObject | undefined): string | undefined {
  return o?.metadata.labels?.[PART_OF_LABEL];
}

async function expectOwned(objects: readonly KubeObject[], fleet: FleetIdentity): Promise<void> {
  for (const o of objects) {
    const l = await live(target, o);
    expect(l, `${refKey(ref(o))} is on ${target}`).toBeDefined();
    expect(partOf(l), `${refKey(ref(o))} belongs to ${fleet.name}`).toBe(fleet.id);
    expect(l?.metadata.labels?.[FLEET_LABEL]).toBe(fleet.name);
  }
}

describe.each([
  ['A first', 'a', 'b'],
  ['B first', 'b', 'a'],
])('two fleets on one member, %s', (_label, first, second) => {
  const prefix = uniq('fleets');
  const nsOf = (f: string) => `${prefix}-${f}`;
  const objectsOf = (f: string): KubeObject[] => [namespace(nsOf(f)), configMap(nsOf(f), 'keep', { fleet: f }), configMap(nsOf(f), 'drop', { fleet: f }), deployment(nsOf(f), 'web')];
  const repos = { a: fleetRepo([target]), b: fleetRepo([target]) };
  const names: Record<string, FleetIdentity> = {};

  it('applies each fleet without touching the other', async () => {
    for (const f of [first, second]) {
      const { fleet } = await repos[f as 'a' | 'b'].commit(objectsOf(f), `fleet ${f}`);
      names[f] = fleetIdentity(fleet);
      const report = await apply(repos[f as 'a' | 'b'].dir);
      expect(member(report, target)).toMatchObject({ state: 'Synced', fleet, counts: { created: 4, pruned: 0, failed: 0 } });
    }
    expect(names.a!.id).not.toBe(names.b!.id);
    // The first fleet's Deployment survived the second fleet's apply: the bug this fixes.
    await expectOwned(objectsOf('a'), names.a!);
    await expectOwned(objectsOf('b'), names.b!);
    expect((await inventoryKeys(target, names.a!)).sort()).toEqual(objectsOf('a').map((o) => refKey(ref(o))).sort());
    expect((await inventoryKeys(target, names.b!)).sort()).toEqual(objectsOf('b').map((o) => refKey(ref(o))).sort());
  });

  it('prunes only its own objects, whichever fleet removes one', async () => {
    for (const f of [first, second]) {
      const kept = objectsOf(f).filter((o) => o.metadata.name !== 'drop');
      await repos[f as 'a' | 'b'].commit(kept, `fleet ${f} without drop`);
      const report = await apply(repos[f as 'a' | 'b'].dir);
      const m = member(report, target);
      expect(m).toMatchObject({ state: 'Synced', counts: { pruned: 1, created: 0, failed: 0 } });
      expect(objectLine(report, target, `ConfigMap/${nsOf(f)}/drop`).action).toBe('pruned');
      // Only this fleet's objects appear in its report at all.
      expect(m.objects.every((o) => o.object.includes(nsOf(f)))).toBe(true);
      expect(await live(target, configMap(nsOf(f), 'drop', {}))).toBeUndefined();
      await expectOwned(kept, names[f]!);
    }
    // Both fleets' remaining objects are there, each with its owner.
    await expectOwned(objectsOf('a').filter((o) => o.metadata.name !== 'drop'), names.a!);
    await expectOwned(objectsOf('b').filter((o) => o.metadata.name !== 'drop'), names.b!);
  });
});

describe('an object another fleet owns', () => {
  const prefix = uniq('owned');
  const shared = (owner: string) => configMap('default', `${prefix}-shared`, { owner });
  const own = (f: string) => configMap('default', `${prefix}-${f}`, { f });
  const a = fleetRepo([target]);
  const b = fleetRepo([target]);
  let fa: FleetIdentity;
  let fb: FleetIdentity;

  it('is not applied over: the report names the owner and the setting, the member is Failed', async () => {
    fa = fleetIdentity((await a.commit([shared('a'), own('a')], 'a')).fleet);
    expect(member(await apply(a.dir), target).state).toBe('Synced');
    fb = fleetIdentity((await b.commit([shared('b'), own('b')], 'b')).fleet);
    const report = await apply(b.dir);
    const m = member(report, target);
    expect(m.state).toBe('Failed');
    expect(m.message).toContain(`owned by fleet ${fa.name}`);
    const line = objectLine(report, target, `ConfigMap/default/${prefix}-shared`);
    expect(line.action).toBe('failed');
    expect(line.message).toBe(`owned by fleet ${fa.name}; not applied. To take it over, add {fleet: ${fa.name}, kind: ConfigMap, namespace: default, name: ${prefix}-shared} under takeOver in gitfed-apply.yaml`);
    expect(objectLine(report, target, `ConfigMap/default/${prefix}-b`).action).toBe('created');
    const l = await live(target, shared(''));
    expect(dataOf(l)).toEqual({ owner: 'a' });
    expect(partOf(l)).toBe(fa.id);
    expect(await inventoryKeys(target, fb)).not.toContain(`/ConfigMap/default/${prefix}-shared`);
  });

  it('is taken over with a takeOver rule, and then the first fleet neither applies over it nor prunes it', async () => {
    const takeOver = [{ fleet: fa.name, kind: 'ConfigMap', name: `${prefix}-shared` }];
    const report = await apply(b.dir, { takeOver });
    expect(member(report, target).state).toBe('Synced');
    expect(objectLine(report, target, `ConfigMap/default/${prefix}-shared`)).toMatchObject({ action: 'configured', message: `taken over from fleet ${fa.name} (takeOver)` });
    expect(dataOf(await live(target, shared('')))).toEqual({ owner: 'b' });
    expect(partOf(await live(target, shared('')))).toBe(fb.id);

    // Fleet a lets it go: its inventory still lists it, but prune leaves b's object in place.
    await a.commit([own('a')], 'a without shared');
    const after = await apply(a.dir);
    expect(member(after, target).state).toBe('Synced');
    expect(objectLine(after, target, `ConfigMap/default/${prefix}-shared`)).toMatchObject({ action: 'skipped', message: `left in place: owned by fleet ${fb.name}` });
    expect(dataOf(await live(target, shared('')))).toEqual({ owner: 'b' });
    expect(await inventoryKeys(target, fa)).not.toContain(`/ConfigMap/default/${prefix}-shared`);

    // Fleet a wants it again: refused, and the live object keeps b's data.
    await a.commit([shared('a'), own('a')], 'a with shared again');
    const again = await apply(a.dir);
    expect(member(again, target).state).toBe('Failed');
    expect(objectLine(again, target, `ConfigMap/default/${prefix}-shared`).message).toContain(`owned by fleet ${fb.name}; not applied`);
    expect(dataOf(await live(target, shared('')))).toEqual({ owner: 'b' });
    expect(partOf(await live(target, shared('')))).toBe(fb.id);
  });
});

describe('a member holding the single inventory of an earlier gitfed', () => {
  const ns = uniq('legacy');
  const v1 = [namespace(ns), configMap(ns, 'keep', { k: '1' }), configMap(ns, 'gone', { g: '1' }), deployment(ns, 'web')];
  const v2 = v1.filter((o) => o.metadata.name !== 'gone');
  const repo = fleetRepo([target]);
  const other = fleetRepo([target]);
  const legacyRef = inventoryRef(LEGACY_INVENTORY_NAME);
  let firstHead = '';
  const uids = new Map<string, string>();

  it('is left alone by another fleet: nothing pruned, nothing claimed', async () => {
    // What gitfed before fleet names did for this fleet's branch at its first commit: objects
    // with its labels (no part-of), applied by field manager gitfed, and one inventory naming them.
    const { head } = await repo.commit(v1, 'v1');
    firstHead = head;
    const client = await admin(target);
    const legacyFleet = fleetIdentity('unused');
    for (const p of prepare(v1.map((o) => ({ ref: ref(o), obj: o, file: 'x' })), target, [], (r) => r.kind !== 'Namespace', legacyFleet)) {
      const payload = structuredClone(p.payload);
      delete payload.metadata.labels![PART_OF_LABEL];
      delete payload.metadata.labels![FLEET_LABEL];
      const created = (await client.apply(p.ref, payload, { force: true })).body;
      uids.set(p.key, String(created.metadata.uid));
    }
    const lines = v1.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? '-'} ${o.metadata.name}`).join('\n');
    await client.apply({ group: '', version: 'v1', kind: 'Namespace', namespace: '', name: 'gitfed-system' }, namespace('gitfed-system'), { force: true });
    await client.apply(legacyRef, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: LEGACY_INVENTORY_NAME, namespace: 'gitfed-system', labels: { [MANAGED_BY_LABEL]: 'gitfed-inventory', 'gitfed.io/cluster': target } },
      data: { format: 'v1', objects: lines, branchCommit: firstHead, sourceCommit: '0'.repeat(40) },
    }, { force: true });

    // An unrelated fleet that wants one of those objects: not its history, so not its inventory.
    await other.commit([namespace(ns), configMap(ns, 'keep', { k: 'other' }), configMap('default', `${ns}-other`, { o: '1' })], 'other');
    const report = await apply(other.dir);
    expect(objectLine(report, target, `ConfigMap/${ns}/keep`).message).toMatch(/^owned by the unnamed fleet of an earlier gitfed/);
    expect(member(report, target).counts.pruned).toBe(0);
    for (const o of v1) expect((await live(target, o))?.metadata.uid).toBe(uids.get(refKey(ref(o))));
    expect(dataOf(await live(target, configMap(ns, 'keep', {})))).toEqual({ k: '1' });
    expect(await client.get(legacyRef)).toBeDefined();
  });

  it('is migrated by the first apply of the fleet it belongs to, with nothing lost', async () => {
    const { fleet } = await repo.commit(v2, 'v2 without gone');
    const id = fleetIdentity(fleet);
    const report = await apply(repo.dir);
    const m = member(report, target);
    expect(m, JSON.stringify(m.objects)).toMatchObject({ state: 'Synced', counts: { failed: 0, pruned: 1, created: 0 } });
    expect(objectLine(report, target, `ConfigMap/${ns}/gone`).action).toBe('pruned');
    expect(objectLine(report, target, `ConfigMap/${ns}/keep`).message).toBe('moved from the unnamed fleet of an earlier gitfed (inventory gitfed-system/gitfed-inventory), an earlier name of this fleet');
    // The same objects (same uids), now labelled with the fleet, and the data untouched.
    for (const o of v2) {
      const l = await live(target, o);
      expect(l?.metadata.uid).toBe(uids.get(refKey(ref(o))));
      expect(partOf(l)).toBe(id.id);
      expect(l?.metadata.annotations?.[DIGEST_ANNOTATION]).toBeDefined();
    }
    expect(dataOf(await live(target, configMap(ns, 'keep', {})))).toEqual({ k: '1' });
    const client = await admin(target);
    expect(await client.get(legacyRef)).toBeUndefined();
    const inv = decodeInventory((await client.get(inventoryRef(id.inventory)))!, target);
    expect(inv.objects.map(refKey).sort()).toEqual(v2.map((o) => refKey(ref(o))).sort());
    expect(inv.branchCommit).not.toBe(firstHead);

    // Settled: the next apply is a no-op.
    const again = member(await apply(repo.dir), target);
    expect(again).toMatchObject({ state: 'Synced', counts: { unchanged: v2.length, created: 0, configured: 0, pruned: 0 } });
  });

  it('moves everything again, pruning nothing, when gitfed.yaml names the fleet', async () => {
    const before = fleetIdentity((await repo.commit(v2, 'same')).fleet);
    const named = uniq('shop');
    const { fleet } = await repo.commit(v2, 'name the fleet', `fleet: ${named}\n`);
    expect(fleet).toBe(named);
    const report = await apply(repo.dir);
    const m = member(report, target);
    expect(m).toMatchObject({ state: 'Synced', fleet: named, counts: { failed: 0, pruned: 0, created: 0, configured: v2.length } });
    expect(objectLine(report, target, `ConfigMap/${ns}/keep`).message).toBe(`moved from fleet ${before.name}, an earlier name of this fleet`);
    for (const o of v2) {
      const l = await live(target, o);
      expect(l?.metadata.uid).toBe(uids.get(refKey(ref(o))));
      expect(partOf(l)).toBe(fleetIdentity(named).id);
    }
    const client = await admin(target);
    expect(await client.get(inventoryRef(before.inventory))).toBeUndefined();
    expect((await inventoryKeys(target, fleetIdentity(named))).sort()).toEqual(v2.map((o) => refKey(ref(o))).sort());
  });
});
