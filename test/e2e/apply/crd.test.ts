/** A CRD and its custom resources in one branch: applied in one run, CRs after the CRD is established. */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/object.js';
import { apply, everywhere, inventoryKeys, live, member, memberNames, namespace, objectLine, tmpDir, uniq, writeBranchDir } from './fixtures.js';

describe('a CRD with its custom resources', () => {
  const ns = uniq('crd');
  const group = `${uniq('g')}.example.com`;
  const crd: KubeObject = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `gadgets.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { kind: 'Gadget', plural: 'gadgets', singular: 'gadget', listKind: 'GadgetList' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
    },
  };
  const gadget = (name: string, size: number): KubeObject => ({ apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name, namespace: ns }, spec: { size } });

  it('applies both in one run and reports the CRD established', async () => {
    const dir = writeBranchDir(tmpDir('crd'), everywhere([crd, namespace(ns), gadget('g1', 1), gadget('g2', 2)]));
    const report = await apply(dir);
    for (const m of memberNames()) {
      expect(member(report, m)).toMatchObject({ state: 'Synced', counts: { failed: 0, created: 4 } });
      expect(objectLine(report, m, `CustomResourceDefinition/gadgets.${group}`).health).toBe('Ready');
      expect(((await live(m, gadget('g2', 0)))?.spec as { size: number }).size).toBe(2);
      expect(await inventoryKeys(m)).toContain(`${group}/Gadget/${ns}/g1`);
    }
    // Removing the CRD and its CRs: the CRs go first (reverse order), then the definition.
    writeBranchDir(dir, everywhere([namespace(ns)]));
    const pruned = await apply(dir);
    for (const m of memberNames()) {
      expect(member(pruned, m).state).toBe('Synced');
      expect(objectLine(pruned, m, `Gadget/${ns}/g1`).action).toBe('pruned');
      expect(objectLine(pruned, m, `CustomResourceDefinition/gadgets.${group}`).action).toBe('pruned');
      expect(await inventoryKeys(m)).not.toContain(`${group}/Gadget/${ns}/g1`);
    }
  });
});
