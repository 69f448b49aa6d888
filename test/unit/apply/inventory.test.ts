import { describe, expect, it } from 'vitest';
import { fleetIdentity } from '../../../src/apply/fleet.js';
import { decodeInventory, encodeInventory, inventoryChanged, staleRefs, unionRefs } from '../../../src/apply/member/inventory.js';
import type { ObjectRef } from '../../../src/object.js';
import { ApplyError } from '../../../src/errors.js';

const r = (group: string, version: string, kind: string, namespace: string, name: string): ObjectRef => ({ group, version, kind, namespace, name });
const ns = r('', 'v1', 'Namespace', '', 'team-a');
const dep = r('apps', 'v1', 'Deployment', 'team-a', 'web');
const cm = r('', 'v1', 'ConfigMap', 'team-a', 'cfg');
const crd = r('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', '', 'widgets.example.com');
const shop = fleetIdentity('shop');

describe('inventory encoding', () => {
  it('keeps the resourceVersion it was read at (the precondition of the next write); a new version alone is no change', () => {
    const read = decodeInventory({ ...encodeInventory({ objects: [cm] }, 'member1', shop), metadata: { ...encodeInventory({ objects: [cm] }, 'member1', shop).metadata, resourceVersion: '42' } }, 'member1');
    expect(read.resourceVersion).toBe('42');
    expect(inventoryChanged(read, { ...read, resourceVersion: '43' })).toBe(false);
  });

  it('round-trips through the ConfigMap, one readable line per object in apply order', () => {
    const cmObj = encodeInventory({ objects: [dep, cm, ns, crd], branchCommit: 'b'.repeat(40), sourceCommit: 's'.repeat(40) }, 'member1', shop);
    expect(cmObj.metadata).toMatchObject({ name: 'gitfed-inventory-shop', namespace: 'gitfed-system' });
    expect((cmObj.data as Record<string, string>).objects).toBe(
      ['apiextensions.k8s.io/v1 CustomResourceDefinition - widgets.example.com', 'v1 Namespace - team-a', 'v1 ConfigMap team-a cfg', 'apps/v1 Deployment team-a web'].join('\n'),
    );
    const back = decodeInventory(cmObj, 'member1');
    expect(back.objects).toEqual([crd, ns, cm, dep]);
    expect(back.branchCommit).toBe('b'.repeat(40));
    expect(back.fleet).toEqual(shop);
  });

  it("is the fleet's ApplySet parent, with the labels and annotations kubectl reads", () => {
    const cmObj = encodeInventory({ objects: [dep, cm, ns, crd, r('', 'v1', 'ConfigMap', 'gitfed-system', 'x'), r('', 'v1', 'ConfigMap', 'team-b', 'y')] }, 'member1', shop);
    expect(cmObj.metadata.labels).toMatchObject({ 'applyset.kubernetes.io/id': shop.id, 'gitfed.io/fleet': 'shop', 'gitfed.io/managed-by': 'gitfed-inventory' });
    expect(cmObj.metadata.annotations).toMatchObject({
      'applyset.kubernetes.io/tooling': expect.stringMatching(/^gitfed\/v\d/),
      'applyset.kubernetes.io/contains-group-kinds': 'ConfigMap,CustomResourceDefinition.apiextensions.k8s.io,Deployment.apps,Namespace',
      'applyset.kubernetes.io/additional-namespaces': 'team-a,team-b',
    });
  });

  it("reads the single inventory of gitfed before fleets had names as the legacy fleet's", () => {
    const legacy = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gitfed-inventory', namespace: 'gitfed-system', uid: 'u1' }, data: { format: 'v1', objects: 'apps/v1 Deployment team-a web', branchCommit: 'c'.repeat(40) } };
    const inv = decodeInventory(legacy, 'm');
    expect(inv).toMatchObject({ objects: [dep], branchCommit: 'c'.repeat(40), uid: 'u1', fleet: { name: '', inventory: 'gitfed-inventory' } });
  });

  it('names the member and the ConfigMap when the content is corrupt', () => {
    const bad = encodeInventory({ objects: [dep] }, 'm', shop);
    (bad.data as Record<string, string>).objects = 'apps/v1 Deployment web';
    expect(() => decodeInventory(bad, 'member2')).toThrow(ApplyError);
    try {
      decodeInventory(bad, 'member2');
    } catch (err) {
      expect((err as ApplyError).cluster).toBe('member2');
      expect((err as ApplyError).object).toBe('ConfigMap/gitfed-system/gitfed-inventory-shop');
    }
    expect(() => decodeInventory({ ...bad, data: { format: 'v9' } }, 'm')).toThrow(/format/);
  });
});

describe('inventory sets', () => {
  it('finds what left the branch, in apply order', () => {
    expect(staleRefs([dep, cm, ns], [ns, r('apps', 'v1beta9', 'Deployment', 'team-a', 'web')])).toEqual([cm]);
  });
  it('unions without repeats, the newer version winning', () => {
    const dep2 = { ...dep, version: 'v2' };
    expect(unionRefs([dep, cm], [dep2, ns])).toEqual([ns, cm, dep2]);
  });
  it('changes only when the objects or the commits change', () => {
    expect(inventoryChanged({ objects: [dep, cm] }, { objects: [cm, dep] })).toBe(false);
    expect(inventoryChanged({ objects: [dep] }, { objects: [dep, cm] })).toBe(true);
    expect(inventoryChanged({ objects: [dep], branchCommit: 'a' }, { objects: [dep], branchCommit: 'b' })).toBe(true);
  });
});
