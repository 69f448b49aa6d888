/**
 * What an override writes is checked against the schema of the object's kind after it is applied,
 * per cluster, as the member's API server (kubectl apply --validate=strict) would check it: the
 * error names the override's file and line, the object and the cluster.
 */
import { describe, expect, it } from 'vitest';
import { RenderErrors, type GitfedError } from '../../src/errors.js';
import { renderFleet } from '../../src/render/render.js';

const CLUSTERS = ['a', 'b', 'c'].map((n) => `apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata: {name: ${n}, labels: {zone: z-${n}}}\n`).join('---\n');
const DEPLOY = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        image: web:1\n';
const NS = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n';
const PROPAGATE = 'apiVersion: policy.karmada.io/v1alpha1\nkind: ClusterPropagationPolicy\nmetadata: {name: all}\nspec:\n  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}, {apiVersion: v1, kind: Namespace}]\n  placement: {clusterAffinity: {clusterNames: [a, b, c]}}\n';

function errorsOf(files: Record<string, string>): GitfedError[] {
  try {
    renderFleet(new Map(Object.entries({ 'clusters.yaml': CLUSTERS, ...files })));
  } catch (err) {
    if (err instanceof RenderErrors) return [...err.errors];
    throw err;
  }
  return [];
}

const karmadaOverride = (rules: string) => `apiVersion: policy.karmada.io/v1alpha1\nkind: OverridePolicy\nmetadata: {name: tune, namespace: shop}\nspec:\n  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]\n  overrideRules:\n${rules}`;

describe('Karmada override rules', () => {
  const fleet = (rules: string) => ({ 'ns.yaml': NS, 'web.yaml': DEPLOY, 'p.yaml': PROPAGATE, 'o.yaml': karmadaOverride(rules) });

  it('an unknown field a rule adds is an error naming the rule, the object and the cluster', () => {
    const rules =
      '  - targetCluster: {clusterNames: [a]}\n    overriders:\n      labelsOverrider: [{operator: add, value: {tier: gold}}]\n' +
      '  - targetCluster: {clusterNames: [b]}\n    overriders:\n      plaintext: [{path: /spec/minReadySecond, operator: add, value: 10}]\n';
    const errs = errorsOf(fleet(rules));
    expect(errs.map((e) => [e.code, e.file, e.line, e.object, e.cluster])).toEqual([['UnknownField', 'o.yaml', 10, 'Deployment/shop/web', 'b']]);
    expect(errs[0]!.message).toBe('apps/Deployment/shop/web on cluster b: OverridePolicy/shop/tune rule 1: unknown field "spec.minReadySecond"; did you mean "minReadySeconds"?');
  });

  it('a value of the wrong type is an error; the same value as the right type is not', () => {
    const rule = (v: string) => `  - targetCluster: {clusterNames: [c]}\n    overriders:\n      plaintext: [{path: /spec/template/spec/containers/0/imagePullPolicy, operator: add, value: ${v}}, {path: /spec/minReadySeconds, operator: add, value: 10}]\n`;
    const errs = errorsOf(fleet(rule('[Always]')));
    expect(errs.map((e) => [e.code, e.file, e.line, e.cluster, e.message.replace(/^.*rule 0: /, '')])).toEqual([
      ['Schema', 'o.yaml', 7, 'c', 'field spec.template.spec.containers[0].imagePullPolicy: must be a string, not a list'],
    ]);
    expect(errorsOf(fleet(rule('Always')))).toEqual([]);
  });

  it('a field the template got wrong is named once, with the template, not again per cluster', () => {
    const rules = '  - targetCluster: {clusterNames: [a, b, c]}\n    overriders:\n      labelsOverrider: [{operator: add, value: {tier: gold}}]\n';
    const errs = errorsOf({ ...fleet(rules), 'web.yaml': DEPLOY.replace('  replicas: 2\n', '  replicas: 2\n  paused: "no"\n') });
    expect(errs.map((e) => [e.code, e.file, e.cluster])).toEqual([['Schema', 'web.yaml', undefined]]);
  });
});

describe('KubeFed overrides', () => {
  const federated = (overrides: string) =>
    'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedDeployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    spec:\n' +
    '      replicas: 2\n      selector: {matchLabels: {app: web}}\n      template:\n        metadata: {labels: {app: web}}\n        spec:\n          containers:\n          - name: web\n            image: web:1\n' +
    '  placement: {clusters: [{name: a}, {name: b}]}\n  overrides:\n' + overrides;
  const fleet = (overrides: string) => ({
    'clusters.yaml': 'apiVersion: core.kubefed.io/v1beta1\nkind: KubeFedCluster\nmetadata: {name: a}\n---\napiVersion: core.kubefed.io/v1beta1\nkind: KubeFedCluster\nmetadata: {name: b}\n',
    'ns.yaml': 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedNamespace\nmetadata: {name: shop, namespace: shop}\nspec:\n  placement: {clusters: [{name: a}, {name: b}]}\n',
    'web.yaml': federated(overrides),
  });

  it('an override that writes an unknown field or a wrong type is an error at its own line, for its cluster', () => {
    const overrides =
      '  - clusterName: a\n    clusterOverrides:\n    - path: /spec/template/spec/containers/0/imagee\n      value: web:2\n' +
      '  - clusterName: b\n    clusterOverrides:\n    - path: /spec/revisionHistoryLimit\n      value: [3]\n';
    const errs = errorsOf(fleet(overrides));
    expect(errs.map((e) => [e.code, e.file, e.line, e.object, e.cluster])).toEqual([
      ['UnknownField', 'web.yaml', 19, 'FederatedDeployment/shop/web', 'a'],
      ['Schema', 'web.yaml', 23, 'FederatedDeployment/shop/web', 'b'],
    ]);
    expect(errs[0]!.message).toBe('override replace /spec/template/spec/containers/0/imagee for cluster a: unknown field "spec.template.spec.containers[0].imagee"; did you mean "image"?');
    expect(errs[1]!.message).toBe('override replace /spec/revisionHistoryLimit for cluster b: field spec.revisionHistoryLimit: must be an integer, not a list');
  });

  it('a removed required field is an error too; valid overrides render', () => {
    const removed = errorsOf(fleet('  - clusterName: a\n    clusterOverrides:\n    - {op: remove, path: /spec/template/spec/containers/0/name}\n'));
    expect(removed.map((e) => [e.code, e.cluster, e.message])).toEqual([['Schema', 'a', 'override remove /spec/template/spec/containers/0/name for cluster a: field spec.template.spec.containers[0].name: required value is missing']]);
    expect(errorsOf(fleet('  - clusterName: a\n    clusterOverrides:\n    - path: /spec/template/spec/containers/0/image\n      value: web:2\n    - path: /spec/revisionHistoryLimit\n      value: 3\n'))).toEqual([]);
  });
});
