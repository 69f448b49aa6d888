/**
 * Type errors in Karmada policies, templates and clusters: each is an error naming the field
 * and its line (through the real loader), as the API server's schema validation would refuse
 * the document; never a silent default and never a crash.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/render/config.js';
import { readInventory } from '../../../src/render/inventory.js';
import { renderKarmada } from '../../../src/render/karmada/index.js';
import { loadFile } from '../../../src/render/load.js';
import { cluster } from './fixtures.js';

const fleet = [cluster('a', { labels: { tier: 'x' } }), cluster('b')];

function run(yaml: string) {
  const { objects, errors } = loadFile('fleet.yaml', yaml);
  if (errors.length > 0) throw new Error(errors.map((e) => e.format()).join('\n'));
  return renderKarmada({ objects, clusters: fleet, config: DEFAULT_CONFIG });
}

const deployment = (spec = 'replicas: 4') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app}
spec:
  ${spec}
  template: {spec: {containers: [{name: web, image: nginx}]}}
`;

/** A PropagationPolicy whose spec continues with `spec` (two-space indented lines). */
const pp = (spec: string) => `---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: web, namespace: app}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
${spec}
`;

const op = (spec: string) => `---
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: web, namespace: app}
spec:
${spec}
`;

/** Line of the first line holding `needle`, 1-based. */
const lineOf = (yaml: string, needle: string): number => yaml.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('policy fields of the wrong type are Schema errors at their line', () => {
  it.each([
    ['a placement that is a string', pp('  placement: everywhere'), 'placement: everywhere', 'field spec.placement: must be a mapping, not the string "everywhere"'],
    ['a spec that is a list', '---\napiVersion: policy.karmada.io/v1alpha1\nkind: OverridePolicy\nmetadata: {name: web, namespace: app}\nspec: [a, b]\n', 'spec: [a, b]', 'field spec: must be a mapping, not a list'],
    ['propagateDeps in words', pp('  propagateDeps: "yes please"\n  placement: {}'), 'propagateDeps', 'field spec.propagateDeps: must be a boolean (true or false), not the string "yes please"'],
    ['a priority beyond int32', pp('  priority: 2147483648\n  placement: {}'), 'priority', 'field spec.priority: 2147483648 is out of range for an int32 (at most 2147483647)'],
    ['a priority in words', pp('  priority: very high\n  placement: {}'), 'priority', 'field spec.priority: must be an integer (int32), not the string "very high"'],
    ['clusterNames as one string', pp('  placement:\n    clusterAffinity: {clusterNames: a}'), 'clusterNames', 'field spec.placement.clusterAffinity.clusterNames: must be a list, not the string "a"'],
    ['matchLabels as a string', pp('  placement:\n    clusterAffinity:\n      labelSelector: {matchLabels: "tier=x"}'), 'matchLabels', 'field spec.placement.clusterAffinity.labelSelector.matchLabels: must be a mapping'],
    ['a label value that is a number', pp('  placement:\n    clusterAffinity:\n      labelSelector: {matchLabels: {tier: 5}}'), 'matchLabels', 'field spec.placement.clusterAffinity.labelSelector.matchLabels.tier: must be a string, not number 5'],
    ['a staticWeightList that is a string', pp('  placement:\n    replicaScheduling:\n      weightPreference: {staticWeightList: heavy}'), 'staticWeightList', 'field spec.placement.replicaScheduling.weightPreference.staticWeightList: must be a list'],
    ['a weight in words', pp('  placement:\n    replicaScheduling:\n      weightPreference:\n        staticWeightList:\n        - targetCluster: {clusterNames: [a]}\n          weight: two thirds'), 'weight: two', 'weight: must be an integer (int64), not the string "two thirds"'],
    ['a weight of 0 (the CRD says at least 1)', pp('  placement:\n    replicaScheduling:\n      weightPreference:\n        staticWeightList:\n        - targetCluster: {clusterNames: [a]}\n          weight: 0'), 'weight: 0', 'weight: must be greater than or equal to 1, not 0'],
    ['a weight beyond what gitfed reads exactly', pp('  placement:\n    replicaScheduling:\n      weightPreference:\n        staticWeightList:\n        - targetCluster: {clusterNames: [a]}\n          weight: 18446744073709551616'), 'weight: 1844', 'is beyond 9007199254740991'],
    ['maxGroups in words', pp('  placement:\n    spreadConstraints:\n    - {spreadByField: cluster, maxGroups: many}'), 'maxGroups', 'field spec.placement.spreadConstraints[0].maxGroups: must be an integer (int64), not the string "many"'],
    ['a spread constraint that is a string', pp('  placement:\n    spreadConstraints: [cluster]'), 'spreadConstraints', 'field spec.placement.spreadConstraints[0]: must be a mapping, not the string "cluster"'],
    ['clusterTolerations as a mapping', pp('  placement:\n    clusterTolerations: {key: burst}'), 'clusterTolerations', 'field spec.placement.clusterTolerations: must be a list, not a mapping'],
    ['tolerationSeconds in words', pp('  placement:\n    clusterTolerations: [{key: k, operator: Exists, tolerationSeconds: forever}]'), 'tolerationSeconds', 'tolerationSeconds: must be an integer (int64)'],
    ['dependentOverrides as a string', pp('  dependentOverrides: web\n  placement: {}'), 'dependentOverrides', 'field spec.dependentOverrides: must be a list, not the string "web"'],
    ['a resource selector name that is a number', pp('  placement: {}').replace('name: web}]', 'name: 7}]'), 'resourceSelectors', 'field spec.resourceSelectors[0].name: must be a string, not number 7'],
    ['a null list item', pp('  placement:\n    clusterAffinities:\n    -'), '    -', 'field spec.placement.clusterAffinities[0]: must be a mapping, not null'],
    ['an override rule that is null (this crashed the engine before)', op('  overrideRules:\n  -'), '  -', 'field spec.overrideRules[0]: must be a mapping, not null'],
    ['overriders as a string', op('  overrideRules:\n  - overriders: plaintext'), 'overriders', 'field spec.overrideRules[0].overriders: must be a mapping, not the string "plaintext"'],
    ['a fieldOverrider json that is a string', op('  overrideRules:\n  - overriders:\n      fieldOverrider: [{fieldPath: /data/x, json: "replace it"}]'), 'fieldOverrider', 'field spec.overrideRules[0].overriders.fieldOverrider[0].json: must be a list'],
    ['a command value that is a string', op('  overrideRules:\n  - overriders:\n      commandOverrider: [{containerName: web, operator: add, value: "--verbose"}]'), 'commandOverrider', 'commandOverrider[0].value: must be a list, not the string "--verbose"'],
    ['an image value that is a number', op('  overrideRules:\n  - overriders:\n      imageOverrider: [{component: Tag, operator: replace, value: 1.25}]'), 'imageOverrider', 'imageOverrider[0].value: must be a string, not number 1.25'],
  ])('%s', (_name, policy, needle, message) => {
    const yaml = deployment() + policy;
    const out = run(yaml);
    const errors = out.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toEqual([expect.objectContaining({ code: 'Schema', file: 'fleet.yaml', line: lineOf(yaml, needle) })]);
    expect(errors[0]!.message).toContain(message);
    expect(out.rendered).toEqual([]);
  });

  it('null fields are absent, as the API server drops them', () => {
    const out = run(deployment() + pp('  priority:\n  propagateDeps:\n  placement:\n    clusterAffinity: {clusterNames: [a]}\n    clusterTolerations:\n    spreadConstraints:'));
    expect(out.diagnostics).toEqual([]);
    expect(out.rendered.map((r) => r.cluster)).toEqual(['a']);
  });
});

describe('replica counts of templates and overrides', () => {
  const everywhere = pp('  placement: {clusterAffinity: {clusterNames: [a, b]}}');
  it.each([
    ['beyond int32', 'replicas: 2147483648', 'field spec.replicas: 2147483648 is out of range for an int32 (at most 2147483647)'],
    ['in words', 'replicas: three replicas', 'field spec.replicas: must be an integer (int32), not the string "three replicas"'],
    ['negative', 'replicas: -1', 'field spec.replicas: must be greater than or equal to 0, not -1'],
    ['a fraction', 'replicas: 2.5', 'field spec.replicas: must be an integer (int32), not 2.5'],
  ])('a template with replicas %s is an error, not a default of 1', (_name, spec, message) => {
    const yaml = deployment(spec) + everywhere;
    const out = run(yaml);
    expect(out.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'Schema', line: lineOf(yaml, 'replicas:'), object: 'apps/Deployment/app/web', message })]);
    expect(out.rendered).toEqual([]);
  });

  it('a Job parallelism beyond int32 is an error', () => {
    const yaml = `apiVersion: batch/v1
kind: Job
metadata: {name: j, namespace: app}
spec:
  parallelism: 4294967296
  template: {spec: {restartPolicy: Never, containers: [{name: j, image: busybox}]}}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: j, namespace: app}
spec:
  resourceSelectors: [{apiVersion: batch/v1, kind: Job}]
  placement: {}
`;
    const out = run(yaml);
    expect(out.diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([['Schema', 5, 'field spec.parallelism: 4294967296 is out of range for an int32 (at most 2147483647)']]);
  });

  it('an override writing replicas beyond int32 fails on its cluster, naming the rule', () => {
    const yaml = deployment() + everywhere + op('  overrideRules:\n  - targetCluster: {clusterNames: [b]}\n    overriders:\n      plaintext: [{path: /spec/replicas, operator: replace, value: 3000000000}]');
    const out = run(yaml);
    expect(out.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', code: 'OverrideFailed', cluster: 'b', line: lineOf(yaml, 'targetCluster: {clusterNames: [b]}') }),
    ]);
    expect(out.diagnostics[0]!.message).toContain('field spec.replicas: 3000000000 is out of range for an int32');
    expect(out.rendered.map((r) => r.cluster)).toEqual(['a']);
  });

  it('int32-max replicas divided by static weights', () => {
    const yaml = deployment('replicas: 2147483647') + pp('  placement:\n    replicaScheduling:\n      replicaSchedulingType: Divided\n      weightPreference:\n        staticWeightList:\n        - {targetCluster: {clusterNames: [a]}, weight: 1}\n        - {targetCluster: {clusterNames: [b]}, weight: 2147483647}');
    const out = run(yaml);
    expect(out.diagnostics).toEqual([]);
    const replicas = Object.fromEntries(out.rendered.map((r) => [r.cluster, (r.obj.spec as { replicas: number }).replicas]));
    expect(replicas).toEqual({ a: 1, b: 2147483646 });
  });
});

describe('cluster documents', () => {
  const doc = (spec: string) => loadFile('clusters.yaml', `apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata: {name: c1}\nspec:\n${spec}\n`).objects;
  it.each([
    ['zones as one string', '  zones: eu-1a', 'field spec.zones: must be a list, not the string "eu-1a"'],
    ['a zone that is a number', '  zones: [1]', 'field spec.zones[0]: must be a string, not number 1'],
    ['a region that is a list', '  region: [eu, us]', 'field spec.region: must be a string, not a list'],
    ['taints as a mapping', '  taints: {key: a, effect: NoSchedule}', 'field spec.taints: must be a list, not a mapping'],
    ['a taint value that is a boolean', '  taints: [{key: a, value: true, effect: NoSchedule}]', 'field spec.taints[0].value: must be a string, not boolean true'],
  ])('%s is a Schema error at its line', (_name, spec, message) => {
    const { clusters, errors } = readInventory(doc(spec));
    expect(clusters).toEqual([]);
    expect(errors.map((e) => [e.code, e.line, e.message, e.cluster])).toEqual([['Schema', 5, message, 'c1']]);
  });
});
