/**
 * Fleet identity and ownership as pure decisions: the ApplySet id, which fleet a live object
 * belongs to, what apply and prune may do with it, and which inventories are the fleet's own.
 * The same rules against real members are in test/e2e/apply/fleets.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/apply/config.js';
import { applySetId, DEFAULT_FLEET, fleetIdentity, fleetOfBranch, LEGACY_FLEET } from '../../../src/apply/fleet.js';
import { fleetInventories, type Inventory } from '../../../src/apply/member/inventory.js';
import type { ObjectRef } from '../../../src/object.js';
import { FLEET_LABEL, MANAGED_BY_LABEL, ORPHAN_ANNOTATION, PART_OF_LABEL, pruneBlocker, withOwnership } from '../../../src/apply/member/ownership.js';
import { decide, prepare, takeOverAllowed, type Claim, type PreparedObject } from '../../../src/apply/plan/plan.js';
import { foreignMessage } from '../../../src/apply/plan/member-plan.js';
import { ApplyError } from '../../../src/errors.js';
import type { KubeObject } from '../../../src/object.js';

const shop = fleetIdentity('shop');
const payments = fleetIdentity('payments');
const ref: ObjectRef = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'team-a', name: 'web' };
const desired: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'team-a' }, spec: { replicas: 2 } };
const [p] = prepare([{ ref, obj: desired, file: 'clusters/m1/web.yaml' }], 'm1', [], () => true, shop) as [PreparedObject];

/** The live object as fleet `owner` applied it (undefined: as gitfed before fleets had names). */
function liveOf(owner: typeof shop | undefined): KubeObject {
  const obj = structuredClone(withOwnership(desired, 'm1', p.digest, owner ?? shop));
  obj.metadata.resourceVersion = '5';
  if (!owner) {
    delete obj.metadata.labels![PART_OF_LABEL];
    delete obj.metadata.labels![FLEET_LABEL];
  }
  return obj;
}

const claim = (over: Partial<Claim> = {}): Claim => ({ fleet: shop, predecessors: new Set(), takeOver: [], ...over });

describe('fleet identity', () => {
  it("computes kubectl's ApplySet id (upstream vector: Secret my-set in namespace test)", () => {
    expect(applySetId({ name: 'my-set', namespace: 'test', kind: 'Secret', group: '' })).toBe('applyset-0eFHV8ySqp7XoShsGvyWFQD3s96yqwHmzc4e0HR1dsY-v1');
  });

  it('names the inventory after the fleet and derives the id from that ConfigMap', () => {
    expect(shop).toEqual({ name: 'shop', inventory: 'gitfed-inventory-shop', id: applySetId({ name: 'gitfed-inventory-shop', namespace: 'gitfed-system', kind: 'ConfigMap', group: '' }) });
    expect(shop.id).not.toBe(payments.id);
    // A label value: at most 63 characters, alphanumeric at both ends.
    expect(shop.id).toMatch(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/);
  });

  it('takes the fleet from the metadata; an older branch from its repository, else the default', () => {
    expect(fleetOfBranch({ fleet: 'shop', sourceRepo: 'https://git.example.com/x.git' }).name).toBe('shop');
    expect(fleetOfBranch({ sourceRepo: 'https://git.example.com/platform/fleet.git' }).name).toMatch(/^fleet-[0-9a-f]{10}$/);
    expect(fleetOfBranch({ sourceRepo: '.' }).name).toBe(DEFAULT_FLEET);
    expect(fleetOfBranch({}).name).toBe(DEFAULT_FLEET);
  });
});

describe('decide, with other fleets on the member', () => {
  it('acts as before on its own objects', () => {
    expect(decide(p, liveOf(shop), claim())).toEqual({ kind: 'in-sync' });
    expect(decide(p, undefined, claim())).toEqual({ kind: 'create' });
  });

  it("leaves another fleet's object alone, naming the fleet", () => {
    expect(decide(p, liveOf(payments), claim())).toEqual({ kind: 'foreign', owner: { id: payments.id, name: 'payments' } });
    expect(decide(p, liveOf(undefined), claim())).toEqual({ kind: 'foreign', owner: LEGACY_FLEET });
  });

  it('adopts the objects of its earlier names', () => {
    expect(decide(p, liveOf(payments), claim({ predecessors: new Set([payments.id]) }))).toMatchObject({ kind: 'adopt', reason: 'earlier-name' });
    expect(decide(p, liveOf(undefined), claim({ predecessors: new Set([LEGACY_FLEET.id]) }))).toMatchObject({ kind: 'adopt', reason: 'earlier-name', from: LEGACY_FLEET });
  });

  it('takes over only what a takeOver rule names', () => {
    const rules = parseConfig('takeOver:\n  - fleet: payments\n    kind: Deployment\n    namespace: "team-*"\n').takeOver;
    expect(decide(p, liveOf(payments), claim({ takeOver: rules }))).toMatchObject({ kind: 'adopt', reason: 'take-over', from: { name: 'payments' } });
    const other = fleetIdentity('other');
    expect(decide(p, liveOf(other), claim({ takeOver: rules })).kind).toBe('foreign');
    expect(takeOverAllowed(rules, { ...ref, namespace: 'prod' }, payments)).toBe(false);
    expect(takeOverAllowed(rules, { ...ref, kind: 'Service', group: '' }, payments)).toBe(false);
  });

  it('matches the unnamed fleet of an earlier gitfed only with "*" or a rule without fleet', () => {
    expect(takeOverAllowed([{ fleet: '*' }], ref, LEGACY_FLEET)).toBe(true);
    expect(takeOverAllowed([{ kind: 'Deployment', name: 'web' }], ref, LEGACY_FLEET)).toBe(true);
    expect(takeOverAllowed([{ fleet: '' }], ref, LEGACY_FLEET)).toBe(false);
    expect(takeOverAllowed([{ fleet: 'payments' }], ref, LEGACY_FLEET)).toBe(false);
  });

  it('creates over an object that carries no gitfed label (server-side apply merges into it)', () => {
    const unmanaged = liveOf(shop);
    delete unmanaged.metadata.labels![MANAGED_BY_LABEL];
    expect(decide(p, unmanaged, claim({ takeOver: [] })).kind).toBe('create');
  });

  it('says in the report whose object it is and which setting takes it', () => {
    expect(foreignMessage({ id: payments.id, name: 'payments' }, ref)).toBe(
      'owned by fleet payments; not applied. To take it over, add {fleet: payments, kind: Deployment, namespace: team-a, name: web} under takeOver in gitfed-apply.yaml',
    );
    expect(foreignMessage(LEGACY_FLEET, { ...ref, namespace: '' })).toMatch(/^owned by the unnamed fleet of an earlier gitfed \(inventory gitfed-system\/gitfed-inventory\); not applied\. .*\{fleet: "\*", kind: Deployment, name: web\}/);
  });
});

describe('pruneBlocker, with other fleets on the member', () => {
  it("never prunes another fleet's object; prunes its own and its earlier names'", () => {
    expect(pruneBlocker(liveOf(shop), claim())).toBeUndefined();
    expect(pruneBlocker(liveOf(payments), claim())).toBe('owned by fleet payments');
    expect(pruneBlocker(liveOf(undefined), claim())).toMatch(/^owned by the unnamed fleet/);
    expect(pruneBlocker(liveOf(payments), claim({ predecessors: new Set([payments.id]) }))).toBeUndefined();
    // takeOver is about applying: it never lets a fleet prune what another one owns.
    expect(pruneBlocker(liveOf(payments), claim({ takeOver: [{ fleet: '*' }] }))).toBe('owned by fleet payments');
  });
  it('still honours the opt-outs on its own objects', () => {
    const orphan = liveOf(shop);
    orphan.metadata.annotations = { ...orphan.metadata.annotations, [ORPHAN_ANNOTATION]: 'true' };
    expect(pruneBlocker(orphan, claim())).toMatch(/orphaned/);
  });
});

describe('fleetInventories', () => {
  const r = (name: string): ObjectRef => ({ group: '', version: 'v1', kind: 'ConfigMap', namespace: 'team-a', name });
  const legacy: Inventory = { fleet: LEGACY_FLEET, objects: [r('old')], branchCommit: 'a'.repeat(40) };
  const own: Inventory = { fleet: shop, objects: [r('mine')], branchCommit: 'b'.repeat(40) };
  const other: Inventory = { fleet: payments, objects: [r('theirs')], branchCommit: 'c'.repeat(40) };
  const unfinished: Inventory = { fleet: fleetIdentity('renamed'), objects: [r('half')] };
  const history = new Set(['a'.repeat(40), 'b'.repeat(40)]);
  const inHistory = async (c: string) => history.has(c);

  it("claims the inventories whose last commit is in the branch's history, and only those", async () => {
    const v = await fleetInventories([legacy, own, other, unfinished], shop, inHistory);
    expect(v.own).toBe(own);
    expect(v.earlier).toEqual([legacy]);
    expect(v.tracked.map((x) => x.name).sort()).toEqual(['mine', 'old']);
  });
  it('claims nothing without a history to look in, and starts empty on a new member', async () => {
    expect((await fleetInventories([legacy, other], shop)).earlier).toEqual([]);
    expect((await fleetInventories([legacy, other], shop)).own.objects).toEqual([]);
  });
});

describe('takeOver in gitfed-apply.yaml', () => {
  it('reads rules of fleet, group, kind, namespace and name', () => {
    expect(parseConfig('takeOver:\n  - fleet: "*"\n  - {fleet: payments, group: apps, kind: Deployment, namespace: shop, name: "web-*"}\n').takeOver).toEqual([
      { fleet: '*' },
      { fleet: 'payments', group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web-*' },
    ]);
  });
  it.each([
    ['conflicts: force\ntakeOver: payments\n', /takeOver must be a list/],
    ['conflicts: force\ntakeOver:\n  - {}\n', /takeOver\[0\] is empty/],
    ['conflicts: force\ntakeOver:\n  - {fleet: a, colour: b}\n', /takeOver\[0\]: unknown key colour/],
    ['conflicts: force\ntakeOver:\n  - {kind: 3}\n', /takeOver\[0\]\.kind must be a string/],
  ])('rejects %j naming the file and line', (text, msg) => {
    expect(() => parseConfig(text, 'gitfed-apply.yaml')).toThrow(msg);
    try {
      parseConfig(text, 'gitfed-apply.yaml');
    } catch (err) {
      expect(err).toBeInstanceOf(ApplyError);
      expect((err as ApplyError).format()).toMatch(/^gitfed-apply\.yaml:2: /);
    }
  });
});
