import { describe, expect, it } from 'vitest';
import type { PropagationPolicy, ResourceSelector } from '../../../src/render/karmada/model.js';
import { compareCandidates, PropagationIndex, type Candidate } from '../../../src/render/karmada/policy-match.js';
import { selectorPriority, selectorsPriority } from '../../../src/render/karmada/resource-selector.js';
import { validatePropagationPolicy } from '../../../src/render/karmada/validate.js';
import type { Diagnostic, SourceObject } from '../../../src/render/types.js';
import type { KubeObject } from '../../../src/object.js';

const nginx: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', namespace: 'test', labels: { app: 'nginx' } } };
const byName: ResourceSelector = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx' };
const byLabel: ResourceSelector = { apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { app: 'nginx' } } };
const byKind: ResourceSelector = { apiVersion: 'apps/v1', kind: 'Deployment' };

function policy(kind: 'PropagationPolicy' | 'ClusterPropagationPolicy', name: string, sel: ResourceSelector, priority?: number, namespace = 'test'): PropagationPolicy {
  const obj: KubeObject = {
    apiVersion: 'policy.karmada.io/v1alpha1',
    kind,
    metadata: { name, ...(kind === 'PropagationPolicy' ? { namespace } : {}) },
    spec: { resourceSelectors: [sel], ...(priority === undefined ? {} : { priority }) },
  };
  const src: SourceObject = { obj, pos: { file: 'p.yaml', line: 1 }, lineOf: () => 1 };
  const diags: Diagnostic[] = [];
  const p = validatePropagationPolicy(src, diags);
  expect(diags).toEqual([]);
  return p!;
}
const pp = (name: string, sel: ResourceSelector, priority?: number, ns?: string) => policy('PropagationPolicy', name, sel, priority, ns);

function winner(policies: PropagationPolicy[], obj: KubeObject = nginx): string | undefined {
  return new PropagationIndex(policies).choose(obj, obj.metadata.namespace ?? '').winner?.policy.name;
}

// Table T1: pkg/detector/compare_test.go, resource Deployment test/nginx with app=nginx.
describe('T1 policy selection', () => {
  it.each([
    ['1 no policies', [], undefined, nginx],
    ['2 selectors pinned to namespace test, resource in test01', [pp('match-with-name', byName), pp('match-with-label', byLabel)], undefined, { ...nginx, metadata: { ...nginx.metadata, namespace: 'test01' } }],
    ['3 name beats label beats kind at equal priority', [pp('match-with-label', byLabel), pp('match-all', byKind), pp('match-with-name', byName)], 'match-with-name', nginx],
    ['4 equal everything: smaller name', [pp('b-pp', byName), pp('a-pp', byName)], 'a-pp', nginx],
    ['5 explicit priority 1 beats unset', [pp('a-pp', byName), pp('b-pp', byName, 1)], 'b-pp', nginx],
    ['6 explicit beats implicit', [pp('a-pp', byName, 1), pp('b-pp', byLabel, 2)], 'b-pp', nginx],
    ['7 same explicit and implicit: name', [pp('a-pp', byName, 1), pp('b-pp', byName, 1)], 'a-pp', nginx],
    ['8 same explicit: name selector beats label', [pp('a-pp', byLabel, 1), pp('b-pp', byName, 1)], 'b-pp', nginx],
    ['9 negative explicit priority loses to unset', [pp('a-pp', byLabel), pp('b-pp', byName, -1)], 'a-pp', nginx],
  ] as const)('%s', (_n, policies, want, obj) => {
    expect(winner([...policies], obj)).toBe(want);
  });

  it.each([
    [['A', 'B'], 'A'],
    [['abc', 'ab'], 'ab'],
    [['', 'ab'], ''],
    [['a', 'B'], 'B'],
  ])('10 name tie-break is byte order: %j -> %j', (names, want) => {
    const base = pp('x', byName);
    const cands: Candidate[] = names.map((n) => ({ policy: { ...base, name: n }, explicit: 0, implicit: 3 }));
    expect(cands.sort(compareCandidates)[0]!.policy.name).toBe(want);
  });

  it('a matching PropagationPolicy beats a ClusterPropagationPolicy of any priority', () => {
    const cpp = policy('ClusterPropagationPolicy', 'cpp', byName, 1000);
    const choice = new PropagationIndex([cpp, pp('low', byKind, -5)]).choose(nginx, 'test');
    expect(choice.winner?.policy.name).toBe('low');
    expect(choice.lines.join('\n')).toMatch(/ClusterPropagationPolicy\/cpp .* loses: a matching PropagationPolicy/);
  });

  it('a cluster-scoped template only sees ClusterPropagationPolicies', () => {
    const role: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' } };
    const sel = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' };
    expect(new PropagationIndex([pp('pp', sel), policy('ClusterPropagationPolicy', 'cpp', sel)]).choose(role, '').winner?.policy.name).toBe('cpp');
  });

  it('explains why the losers lost', () => {
    const lines = new PropagationIndex([pp('a-pp', byName, 1), pp('b-pp', byLabel, 2), pp('c-pp', byLabel, 2)]).choose(nginx, 'test').lines;
    expect(lines[0]).toMatch(/PropagationPolicy\/test\/b-pp .* wins/);
    expect(lines).toContainEqual(expect.stringMatching(/c-pp .*name "c-pp" sorts after "b-pp"/));
    expect(lines).toContainEqual(expect.stringMatching(/a-pp .*explicit priority 1 is below 2/));
  });

  it('rejects a PropagationPolicy selector naming another namespace', () => {
    const diags: Diagnostic[] = [];
    const src: SourceObject = {
      obj: { apiVersion: 'policy.karmada.io/v1alpha1', kind: 'PropagationPolicy', metadata: { name: 'x', namespace: 'a' }, spec: { resourceSelectors: [{ ...byName, namespace: 'b' }] } },
      pos: { file: 'p.yaml', line: 3 },
      lineOf: (path) => 3 + path.length,
    };
    expect(validatePropagationPolicy(src, diags)).toBeUndefined();
    expect(diags[0]).toMatchObject({ severity: 'error', code: 'InvalidPolicy', file: 'p.yaml', line: 7 });
  });
});

// Table T2: pkg/util/selector_test.go TestResourceSelectorPriority.
describe('T2 selector priority', () => {
  const res: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', namespace: 'test', labels: { app: 'nginx' } } };
  it.each([
    ['apiVersion differs', { ...byKind, apiVersion: 'apps/v2' }, 0],
    ['kind differs', { ...byKind, kind: 'StatefulSet' }, 0],
    ['namespace set and differs', { ...byKind, namespace: 'other' }, 0],
    ['namespace unset, name equal', byName, 3],
    ['name differs although labels match', { ...byLabel, name: 'other' }, 0],
    ['name equal, labelSelector not matching', { ...byName, labelSelector: { matchLabels: { app: 'other' } } }, 3],
    ['labels match', byLabel, 2],
    ['labels do not match', { ...byKind, labelSelector: { matchLabels: { app: 'other' } } }, 0],
    ['name and labelSelector unset', byKind, 1],
    ['invalid labelSelector', { ...byKind, labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] } }, 0],
  ] as const)('%s -> %d', (_n, sel, want) => {
    expect(selectorPriority(res, 'test', sel as ResourceSelector)).toBe(want);
  });

  it.each([
    [[byKind, byName], 3],
    [[byName, byKind], 3],
  ])('the best of several selectors: %#', (sels, want) => {
    expect(selectorsPriority(res, 'test', sels)).toBe(want);
  });
});
