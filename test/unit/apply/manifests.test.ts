import { describe, expect, it } from 'vitest';
import { parseClusterFiles } from '../../../src/apply/source/manifests.js';
import { fleetIdentity } from '../../../src/apply/fleet.js';
import { prepare, decide, scopesFromCrds, settleNamespace, type Claim } from '../../../src/apply/plan/plan.js';
import { withOwnership, DIGEST_ANNOTATION, MANAGED_BY_LABEL } from '../../../src/apply/member/ownership.js';

const files = new Map([
  ['clusters/m1/team-a/configmap-cfg.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: team-a\ndata:\n  a: "1"\n'],
  ['clusters/m1/broken.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n'],
  ['clusters/m1/no-kind.yaml', 'apiVersion: v1\nmetadata:\n  name: x\n'],
  ['clusters/m1/dup.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: team-a\n'],
  ['clusters/m1/crd.yaml', 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names: {kind: Widget, plural: widgets}\n'],
  ['clusters/m1/widget.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n'],
]);

describe('parseClusterFiles', () => {
  const parsed = parseClusterFiles(files);
  it('keeps good objects and fails bad files alone, naming file and line', () => {
    expect(parsed.objects.map((o) => o.ref.name).sort()).toEqual(['cfg', 'w', 'widgets.example.com']);
    const byFile = Object.fromEntries(parsed.failures.map((f) => [f.file, f]));
    expect(byFile['clusters/m1/broken.yaml']?.line).toBe(5);
    expect(byFile['clusters/m1/broken.yaml']?.message).toMatch(/duplicated mapping key/);
    expect(byFile['clusters/m1/no-kind.yaml']?.message).toBe('kind is missing');
    expect(byFile['clusters/m1/team-a/configmap-cfg.yaml']?.message).toMatch(/also defined in clusters\/m1\/dup.yaml/);
  });

  it('learns the scope of custom kinds from the CRDs of the branch', () => {
    expect(scopesFromCrds(parsed.objects).get('example.com/Widget')).toBe(true);
    const w = parsed.objects.find((o) => o.ref.kind === 'Widget')!;
    expect(settleNamespace(w, true).ref.namespace).toBe('default');
    expect(settleNamespace({ ...w, obj: { ...w.obj, metadata: { ...w.obj.metadata, namespace: 'x' } } }, false).obj.metadata).not.toHaveProperty('namespace');
  });
});

describe('decide', () => {
  const fleet = fleetIdentity('shop');
  const claim: Claim = { fleet, predecessors: new Set(), takeOver: [] };
  const [p] = prepare(parseClusterFiles(new Map([...files].slice(0, 1))).objects, 'm1', [], () => true, fleet);
  const live = (over: Record<string, unknown> = {}) => ({ ...structuredClone(p!.payload), metadata: { ...structuredClone(p!.payload.metadata), resourceVersion: '7', uid: 'u' }, ...over });

  it('adds ownership and the digest to the payload', () => {
    expect(p!.payload.metadata.labels?.[MANAGED_BY_LABEL]).toBe('gitfed');
    expect(p!.payload.metadata.annotations?.[DIGEST_ANNOTATION]).toBe(p!.digest);
    expect(withOwnership(p!.desired, 'm1', p!.digest, fleet)).toEqual(p!.payload);
  });

  it('needs no request when live holds the applied digest and fields', () => {
    expect(decide(p!, live(), claim)).toEqual({ kind: 'in-sync' });
  });
  it('creates what is missing or not owned, updates on a new digest', () => {
    expect(decide(p!, undefined, claim).kind).toBe('create');
    const unowned = live();
    delete unowned.metadata.labels![MANAGED_BY_LABEL];
    expect(decide(p!, unowned, claim).kind).toBe('create');
    const old = live();
    old.metadata.annotations![DIGEST_ANNOTATION] = 'old';
    expect(decide(p!, old, claim).kind).toBe('update');
  });
  it('suspects drift on changed fields, unless a dry-run cleared this very version', () => {
    const drifted = live({ data: { a: '2' } });
    expect(decide(p!, drifted, claim)).toEqual({ kind: 'suspect-drift', paths: ['/data/a'] });
    expect(decide(p!, drifted, claim, `7:${p!.digest}`)).toEqual({ kind: 'in-sync' });
    expect(decide(p!, drifted, claim, `6:${p!.digest}`).kind).toBe('suspect-drift');
  });
});
