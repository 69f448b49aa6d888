import { describe, expect, it } from 'vitest';
import { CopyMemo } from '../../../src/render/copy-memo.js';
import { renderKarmada } from '../../../src/render/karmada/index.js';
import { byCluster, cluster, codes, render, sources } from './fixtures.js';

const fleet = [
  cluster('onprem', { labels: { location: 'onprem' }, provider: 'metal', region: 'eu-west', zones: ['dc1'] }),
  cluster('cloud-eu', { labels: { location: 'cloud' }, provider: 'aws', region: 'eu-west', zones: ['eu-west-1a'] }),
  cluster('cloud-us', { labels: { location: 'cloud' }, provider: 'aws', region: 'us-east', zones: ['us-east-1a'] }),
  cluster('burst', { labels: { location: 'cloud', burst: 'true' }, provider: 'gcp', region: 'us-east', taints: [{ key: 'burst', effect: 'NoSchedule' }] }),
];

const deployment = (name: string, replicas: number | undefined, extra = '') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: web, labels: {app: ${name}}}
spec:
  ${replicas === undefined ? '' : `replicas: ${replicas}`}
  template:
    spec:
      containers:
      - name: app
        image: registry.example.com/${name}:1.0
${extra}`;

const pp = (name: string, placement: string, more = '') => `
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: ${name}, namespace: web}
spec:
  resourceSelectors:
  - {apiVersion: apps/v1, kind: Deployment}
  ${more}
  placement:
${placement}`;

const replicasOf = (o: unknown) => (o as { spec: { replicas?: number } }).spec.replicas;

describe('Karmada engine end to end', () => {
  it('divides 15 replicas by static weights, skips the tainted cluster, overrides per cluster', () => {
    const out = render(
      [
        deployment('shop', 15),
        pp(
          'shop',
          `    clusterAffinity: {labelSelector: {matchLabels: {location: cloud}}}
    replicaScheduling:
      replicaSchedulingType: Divided
      weightPreference:
        staticWeightList:
        - {targetCluster: {clusterNames: [cloud-eu]}, weight: 2}
        - {targetCluster: {clusterNames: [cloud-us]}, weight: 3}`,
        ),
        `
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: mirror, namespace: web}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: shop}]
  overrideRules:
  - targetCluster: {clusterNames: [cloud-us]}
    overriders:
      imageOverrider: [{component: Registry, operator: replace, value: mirror.us.example.com}]
      annotationsOverrider: [{operator: add, value: {team: us}}]`,
      ].join('\n---\n'),
      fleet,
    );
    expect(out.diagnostics).toEqual([]);
    const got = byCluster(out);
    const key = 'apps/Deployment/web/shop';
    expect(Object.keys(got).sort()).toEqual(['cloud-eu', 'cloud-us']);
    expect(replicasOf(got['cloud-eu']![key])).toBe(6);
    expect(replicasOf(got['cloud-us']![key])).toBe(9);
    expect(got['cloud-us']![key]!.metadata.annotations).toEqual({ team: 'us' });
    expect(JSON.stringify(got['cloud-us']![key])).toContain('mirror.us.example.com/shop:1.0');
    expect(JSON.stringify(got['cloud-eu']![key])).toContain('registry.example.com/shop:1.0');

    const ex = out.explanations.find((e) => e.object === key)!;
    expect(ex.clusters).toEqual(['cloud-eu', 'cloud-us']);
    expect(ex.replicas).toEqual({ 'cloud-eu': 6, 'cloud-us': 9 });
    expect(ex.placement).toContainEqual(expect.stringMatching(/^PropagationPolicy\/web\/shop .* wins/));
    expect(ex.placement).toContain('burst: excluded, taint burst:NoSchedule is not tolerated by clusterTolerations.');
    expect(ex.placement).toContain('onprem: excluded, labels do not match the labelSelector.');
    expect(ex.scheduling).toContain('cloud-us: weight 3 of 5 -> 9 replica(s).');
    expect(ex.overrides['cloud-us']).toContainEqual(expect.stringMatching(/OverridePolicy\/web\/mirror rule 0: image .* -> mirror.us.example.com\/shop:1.0/));
    expect(ex.overrides['cloud-eu']).toBeUndefined();
  });

  it('duplicates by default, with the default of 1 replica written out', () => {
    const out = render([deployment('api', undefined), pp('api', '    clusterTolerations: [{key: burst, operator: Exists}]')].join('\n---\n'), fleet);
    const got = byCluster(out);
    expect(Object.keys(got).sort()).toEqual(['burst', 'cloud-eu', 'cloud-us', 'onprem']);
    for (const c of Object.values(got)) expect(replicasOf(c['apps/Deployment/web/api'])).toBe(1);
  });

  it('falls back through ordered clusterAffinities', () => {
    const out = render(
      [
        deployment('app', 2),
        pp(
          'app',
          `    clusterAffinities:
    - affinityName: gpu
      labelSelector: {matchLabels: {gpu: 'true'}}
    - affinityName: onprem
      clusterNames: [onprem]`,
        ),
      ].join('\n---\n'),
      fleet,
    );
    expect(Object.keys(byCluster(out))).toEqual(['onprem']);
    const ex = out.explanations[0]!;
    expect(ex.placement).toContainEqual(expect.stringMatching(/^Term gpu fails \(no cluster passes the filters\)/));
    expect(ex.placement).toContainEqual(expect.stringMatching(/^Term onprem schedules/));
  });

  it('field selectors on region and zone', () => {
    const out = render([deployment('eu', 1), pp('eu', `    clusterAffinity:\n      fieldSelector:\n        matchExpressions:\n        - {key: region, operator: In, values: [eu-west]}\n        - {key: zone, operator: NotIn, values: [dc1]}`)].join('\n---\n'), fleet);
    expect(Object.keys(byCluster(out))).toEqual(['cloud-eu']);
  });

  it('cluster spread constraints pick maxGroups clusters by name', () => {
    const out = render([deployment('s', 3), pp('s', '    spreadConstraints: [{spreadByField: cluster, minGroups: 1, maxGroups: 2}]')].join('\n---\n'), fleet);
    expect(Object.keys(byCluster(out)).sort()).toEqual(['cloud-eu', 'cloud-us']);
  });

  it('propagates Namespaces to every cluster except reserved ones; only ClusterOverridePolicies touch them', () => {
    const out = render(
      `
apiVersion: v1
kind: Namespace
metadata: {name: web}
---
apiVersion: v1
kind: Namespace
metadata: {name: kube-extra}
---
apiVersion: v1
kind: Namespace
metadata: {name: quiet, labels: {namespace.karmada.io/skip-auto-propagation: 'true'}}
---
apiVersion: policy.karmada.io/v1alpha1
kind: ClusterOverridePolicy
metadata: {name: tag-ns}
spec:
  resourceSelectors: [{apiVersion: v1, kind: Namespace}]
  overrideRules:
  - targetCluster: {clusterNames: [onprem]}
    overriders: {labelsOverrider: [{operator: add, value: {site: onprem}}]}
`,
      fleet,
    );
    const got = byCluster(out);
    for (const c of fleet) expect(Object.keys(got[c.name]!)).toEqual(['/Namespace//web']);
    expect(got.onprem!['/Namespace//web']!.metadata.labels).toEqual({ site: 'onprem' });
    expect(got.burst!['/Namespace//web']!.metadata.labels).toBeUndefined();
    expect(codes(out)).toEqual(['warning:NotPropagated', 'warning:NotPropagated']);
  });

  it('reports a template no policy selects, and one in a reserved namespace', () => {
    const out = render(
      `
apiVersion: v1
kind: ConfigMap
metadata: {name: lonely, namespace: web}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: sys, namespace: kube-system}
---
apiVersion: policy.karmada.io/v1alpha1
kind: ClusterPropagationPolicy
metadata: {name: all-cm}
spec:
  resourceSelectors: [{apiVersion: v1, kind: ConfigMap, namespace: kube-system}]
`,
      fleet,
    );
    expect(out.rendered).toEqual([]);
    expect(out.diagnostics.map((d) => [d.code, d.object, d.file, d.line])).toEqual([
      ['NotPropagated', '/ConfigMap/web/lonely', 'fleet.yaml', 1],
      ['NotPropagated', '/ConfigMap/kube-system/sys', 'fleet.yaml', 101],
    ]);
    expect(out.diagnostics[1]!.message).toMatch(/matches reservedNamespaces entry "kube-\*"/);
    expect(out.consumed.size).toBe(3);
  });

  it('propagateDeps sends referenced ConfigMaps, Secrets and ServiceAccounts along', () => {
    const out = render(
      [
        deployment(
          'app',
          1,
          `      serviceAccountName: app-sa
      volumes:
      - {name: cfg, configMap: {name: app-config}}
      - {name: tls, secret: {secretName: app-tls}}`,
        ).replace('      containers:', '      containers:').replace(/\n$/, ''),
        pp('app', '    clusterAffinity: {clusterNames: [onprem, cloud-eu]}', 'propagateDeps: true'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-config, namespace: web}',
        'apiVersion: v1\nkind: Secret\nmetadata: {name: app-tls, namespace: web}',
        'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app-sa, namespace: web}',
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: unrelated, namespace: web}',
      ].join('\n---\n'),
      fleet,
    );
    const got = byCluster(out);
    for (const c of ['onprem', 'cloud-eu']) {
      expect(Object.keys(got[c]!).sort()).toEqual(['/ConfigMap/web/app-config', '/Secret/web/app-tls', '/ServiceAccount/web/app-sa', 'apps/Deployment/web/app']);
    }
    expect(got['cloud-us']).toBeUndefined();
    expect(out.diagnostics.map((d) => d.object)).toEqual(['/ConfigMap/web/unrelated']);
    const ex = out.explanations.find((e) => e.object === '/ConfigMap/web/app-config')!;
    expect(ex.placement).toContain('propagateDeps: apps/Deployment/web/app needs it on cloud-eu, onprem.');
  });

  it('a workload with 0 replicas and no requests goes everywhere unchanged; with requests nowhere', () => {
    const noReq = render([deployment('idle', 0), pp('p', '    clusterAffinity: {clusterNames: [onprem, cloud-eu]}')].join('\n---\n'), fleet);
    expect(noReq.rendered.map((r) => [r.cluster, replicasOf(r.obj)])).toEqual([['cloud-eu', 0], ['onprem', 0]]);
    const withReq = render(
      [deployment('idle', 0).replace('image: registry.example.com/idle:1.0', 'image: registry.example.com/idle:1.0\n        resources: {requests: {cpu: 100m}}'), pp('p', '    clusterAffinity: {clusterNames: [onprem, cloud-eu]}')].join('\n---\n'),
      fleet,
    );
    expect(withReq.rendered).toEqual([]);
    expect(codes(withReq)).toEqual(['warning:ZeroReplicas']);
  });

  it('splits a divided Job’s parallelism and completions', () => {
    const out = render(
      `
apiVersion: batch/v1
kind: Job
metadata: {name: batch, namespace: web}
spec: {parallelism: 4, completions: 10, template: {spec: {containers: [{name: c, image: busybox}]}}}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: batch, namespace: web}
spec:
  resourceSelectors: [{apiVersion: batch/v1, kind: Job}]
  placement:
    clusterAffinity: {clusterNames: [onprem, cloud-eu, cloud-us]}
    replicaScheduling: {replicaSchedulingType: Divided}
`,
      fleet,
    );
    const specs = Object.fromEntries(out.rendered.map((r) => [r.cluster, r.obj.spec as { parallelism: number; completions: number }]));
    expect(Object.fromEntries(Object.entries(specs).map(([c, s]) => [c, [s.parallelism, s.completions]]))).toEqual({ 'cloud-eu': [2, 5], 'cloud-us': [1, 3], onprem: [1, 2] });
  });

  it('renders the same bytes whatever the input order', () => {
    const docs = [deployment('a', 5), deployment('b', 7), pp('all', '    replicaScheduling: {replicaSchedulingType: Divided}\n    clusterTolerations: [{operator: Exists}]')];
    const one = render(docs.join('\n---\n'), fleet);
    const two = render([...docs].reverse().join('\n---\n'), [...fleet].reverse());
    const norm = (o: typeof one) => JSON.stringify(o.rendered.map((r) => [r.cluster, r.origin, r.obj]).sort());
    expect(norm(two)).toBe(norm(one));
    expect(one.rendered.filter((r) => r.origin.endsWith('/a')).map((r) => [r.cluster, replicasOf(r.obj)])).toEqual([
      ['burst', 2],
      ['cloud-eu', 1],
      ['cloud-us', 1],
      ['onprem', 1],
    ]);
  });

  it('never changes the templates it reads', () => {
    const yaml = [
      deployment('shop', 4),
      pp('shop', '    replicaScheduling: {replicaSchedulingType: Divided}'),
      'apiVersion: policy.karmada.io/v1alpha1\nkind: OverridePolicy\nmetadata: {name: o, namespace: web}\nspec:\n  overrideRules: [{targetCluster: {clusterNames: [onprem]}, overriders: {plaintext: [{path: /spec/template/spec/containers/0/image, operator: replace, value: x}]}}]',
    ].join('\n---\n');
    const objects = sources(yaml);
    const before = JSON.stringify(objects.map((o) => o.obj));
    const out = renderKarmada({ objects, clusters: fleet, config: { exclude: [], missingPlacement: 'none', outputs: [], reservedNamespaces: [] } });
    expect(JSON.stringify(objects.map((o) => o.obj))).toBe(before);
    const images = Object.fromEntries(out.rendered.map((r) => [r.cluster, JSON.stringify(r.obj).includes('"image":"x"')]));
    expect(images).toEqual({ 'cloud-eu': false, 'cloud-us': false, onprem: true });
  });

  // T12 manager-level case: an OP labels and annotates Deployment default/test1 on cluster test1;
  // a COP does the same for ClusterRole test2.
  it('T12 override policies add a label and an annotation', () => {
    const add = 'overriders: {labelsOverrider: [{operator: add, value: {testAddLabel: x}}], annotationsOverrider: [{operator: add, value: {testAddAnnotation: x}}]}';
    const out = render(
      `
apiVersion: apps/v1
kind: Deployment
metadata: {name: test1, namespace: default}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: test2}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: p, namespace: default}
spec: {resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]}
---
apiVersion: policy.karmada.io/v1alpha1
kind: ClusterPropagationPolicy
metadata: {name: c}
spec: {resourceSelectors: [{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole}]}
---
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: o, namespace: default}
spec: {overrideRules: [{targetCluster: {clusterNames: [test1]}, ${add}}]}
---
apiVersion: policy.karmada.io/v1alpha1
kind: ClusterOverridePolicy
metadata: {name: co}
spec: {resourceSelectors: [{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole}], overrideRules: [{targetCluster: {clusterNames: [test1]}, ${add}}]}
`,
      [cluster('test1')],
    );
    expect(out.diagnostics).toEqual([]);
    for (const key of ['apps/Deployment/default/test1', 'rbac.authorization.k8s.io/ClusterRole//test2']) {
      const o = byCluster(out).test1![key]!;
      expect([o.metadata.labels, o.metadata.annotations]).toEqual([{ testAddLabel: 'x' }, { testAddAnnotation: 'x' }]);
    }
  });

  it('reads the scope of custom kinds from their CRD', () => {
    const out = render(
      `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: quotas.example.com}
spec: {group: example.com, scope: Cluster, names: {kind: Quota, plural: quotas}}
---
apiVersion: example.com/v1
kind: Quota
metadata: {name: q, namespace: web}
---
apiVersion: policy.karmada.io/v1alpha1
kind: ClusterPropagationPolicy
metadata: {name: crds}
spec:
  resourceSelectors:
  - {apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition}
  - {apiVersion: example.com/v1, kind: Quota}
  placement: {clusterAffinity: {clusterNames: [onprem]}}
`,
      fleet,
    );
    expect(Object.keys(byCluster(out).onprem!).sort()).toEqual(['apiextensions.k8s.io/CustomResourceDefinition//quotas.example.com', 'example.com/Quota//q']);
    expect(out.rendered.find((r) => r.origin === 'example.com/Quota//q')!.obj.metadata.namespace).toBeUndefined();
  });
});

describe('Karmada engine errors', () => {
  const policyLine = (out: ReturnType<typeof render>, code: string) => out.diagnostics.filter((d) => d.code === code).map((d) => [d.severity, d.file, d.line, d.object]);

  it.each([
    ['Aggregated', '    replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Aggregated}', 'UnsupportedLiveState'],
    ['dynamicWeight', '    replicaScheduling: {replicaSchedulingType: Divided, weightPreference: {dynamicWeight: AvailableReplicas}}', 'UnsupportedLiveState'],
  ])('%s cannot be honoured without live capacity', (_n, placement, code) => {
    const out = render([deployment('x', 3), pp('x', placement)].join('\n---\n'), fleet);
    expect(out.rendered).toEqual([]);
    // The policy is the second document (line 101); lineOf adds the path depth.
    expect(policyLine(out, code)).toEqual([['error', 'fleet.yaml', expect.any(Number), 'apps/Deployment/web/x']]);
    expect(out.diagnostics[0]!.line).toBeGreaterThan(101);
    expect(out.diagnostics[0]!.message).toMatch(/PropagationPolicy\/web\/x/);
  });

  it('overflowAffinities cannot be honoured without live capacity either (upstream allows them only with capacity division)', () => {
    const placement = '    replicaScheduling: {replicaSchedulingType: Divided, weightPreference: {dynamicWeight: AvailableReplicas}}\n    clusterAffinities: [{affinityName: a, clusterNames: [onprem], overflowAffinities: [{affinityName: b, clusterNames: [cloud-eu]}]}]';
    const out = render([deployment('x', 3), pp('x', placement)].join('\n---\n'), fleet);
    expect(out.rendered).toEqual([]);
    expect(out.diagnostics.filter((d) => d.code === 'UnsupportedLiveState').map((d) => d.message.replace(/^.*: /, ''))).toEqual([
      'dynamicWeight AvailableReplicas weighs clusters by their free capacity, which a render does not know; use staticWeightList instead',
      'overflowAffinities of a overflow by capacity, which a render does not know',
    ]);
  });

  it('suspension and a foreign scheduler are errors', () => {
    const out = render([deployment('x', 1), pp('x', '    clusterAffinity: {}', 'suspension: {dispatching: true}\n  schedulerName: other')].join('\n---\n'), fleet);
    expect(codes(out)).toEqual(['error:UnsupportedLiveState', 'error:UnsupportedScheduler']);
  });

  it('an override path that does not exist names the object, the cluster and the policy', () => {
    const out = render(
      [
        deployment('x', 1),
        pp('x', '    clusterAffinity: {clusterNames: [onprem, cloud-eu]}'),
        `
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: bad, namespace: web}
spec:
  overrideRules:
  - targetCluster: {clusterNames: [onprem]}
    overriders: {plaintext: [{path: /spec/nothing/here, operator: replace, value: 1}]}`,
      ].join('\n---\n'),
      fleet,
    );
    expect(out.rendered.map((r) => r.cluster)).toEqual(['cloud-eu']);
    expect(out.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'OverrideFailed',
        message: 'apps/Deployment/web/x on cluster onprem: OverridePolicy/web/bad rule 0: replace /spec/nothing/here: the path does not exist',
        file: 'fleet.yaml',
        line: 204,
        object: 'apps/Deployment/web/x',
        cluster: 'onprem',
      },
    ]);
  });

  it('names each cluster\'s overrides when asked, up to a rule that fails, and alike when a watch kept the copies', () => {
    const yaml = [
      deployment('x', 1),
      pp('x', '    clusterAffinity: {clusterNames: [onprem, cloud-eu, cloud-us]}'),
      `
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: two, namespace: web}
spec:
  overrideRules:
  - targetCluster: {clusterNames: [onprem, cloud-eu]}
    overriders:
      labelsOverrider: [{operator: add, value: {tier: gold}}]
      imageOverrider: [{component: Tag, operator: replace, value: '2.0'}]
  - targetCluster: {clusterNames: [onprem]}
    overriders: {plaintext: [{path: /spec/nothing/here, operator: replace, value: 1}]}`,
    ].join('\n---\n');
    const expected = {
      onprem: ['OverridePolicy/web/two rule 0: image /spec/template/spec/containers/0/image -> registry.example.com/x:2.0', 'OverridePolicy/web/two rule 0: labels tier=gold added'],
      'cloud-eu': ['OverridePolicy/web/two rule 0: image /spec/template/spec/containers/0/image -> registry.example.com/x:2.0', 'OverridePolicy/web/two rule 0: labels tier=gold added'],
    };
    const key = 'apps/Deployment/web/x';
    const once = render(yaml, fleet);
    expect(once.rendered.map((r) => r.cluster)).toEqual(['cloud-eu', 'cloud-us']);
    expect(codes(once)).toEqual(['error:OverrideFailed']);
    expect(once.explanations.find((e) => e.object === key)!.overrides).toEqual(expected);

    const copies = new CopyMemo();
    const input = { clusters: fleet, config: { exclude: [], missingPlacement: 'none' as const, outputs: [], reservedNamespaces: ['kube-*', 'default'] }, copies };
    // The same documents, as watch's parse cache keeps them: the second render takes the kept copies.
    const objects = sources(yaml);
    const first = renderKarmada({ objects, ...input });
    const again = renderKarmada({ objects, ...input });
    expect(again.rendered.map((r) => r.obj)).toEqual(first.rendered.map((r) => r.obj));
    expect(again.rendered[0]!.obj).toBe(first.rendered[0]!.obj);
    expect(again.rendered.map((r) => r.obj)).toEqual(once.rendered.map((r) => r.obj));
    expect(again.explanations.find((e) => e.object === key)!.overrides).toEqual(expected);
  });

  it('an override that renames the object is refused', () => {
    const out = render(
      [
        deployment('x', 1),
        pp('x', '    clusterAffinity: {clusterNames: [onprem]}'),
        'apiVersion: policy.karmada.io/v1alpha1\nkind: OverridePolicy\nmetadata: {name: rename, namespace: web}\nspec:\n  overrideRules: [{overriders: {plaintext: [{path: /metadata/name, operator: replace, value: y}]}}]',
      ].join('\n---\n'),
      fleet,
    );
    expect(codes(out)).toEqual(['error:OverrideChangesIdentity']);
    expect(out.diagnostics[0]!.cluster).toBe('onprem');
  });

  it('unsatisfiable spread constraints are an error, no feasible cluster a warning', () => {
    const spread = render([deployment('x', 1), pp('x', '    spreadConstraints: [{spreadByField: cluster, minGroups: 7, maxGroups: 7}]')].join('\n---\n'), fleet);
    expect(codes(spread)).toEqual(['error:SchedulingFailed']);
    expect(spread.diagnostics[0]!.message).toMatch(/less than spreadConstraint.MinGroups/);
    const none = render([deployment('x', 1), pp('x', "    clusterAffinity: {labelSelector: {matchLabels: {gpu: 'true'}}}")].join('\n---\n'), fleet);
    expect(codes(none)).toEqual(['warning:NoClusterFit']);
  });

  it('maxGroups left unset fails scheduling, as upstream', () => {
    const out = render([deployment('x', 1), pp('x', '    spreadConstraints: [{spreadByField: cluster, minGroups: 1}]')].join('\n---\n'), fleet);
    expect(out.diagnostics[0]!.message).toMatch(/no maxGroups/);
  });

  it('invalid policies are rejected with the field line', () => {
    const out = render(
      [
        deployment('x', 1),
        pp('x', '    clusterAffinity: {fieldSelector: {matchExpressions: [{key: metadata.name, operator: In, values: [a]}]}}\n    clusterAffinities: [{affinityName: a}]'),
      ].join('\n---\n'),
      fleet,
    );
    expect(out.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['NotPropagated', 1],
      ['InvalidPolicy', 104],
      ['InvalidPolicy', 108],
    ]);
  });

  it('warns about cluster names the inventory does not know', () => {
    const out = render(
      [
        deployment('x', 1),
        pp('x', '    clusterAffinity: {clusterNames: [onprem, onperm], exclude: [gone]}'),
        'apiVersion: policy.karmada.io/v1alpha1\nkind: ClusterOverridePolicy\nmetadata: {name: c}\nspec:\n  overrideRules: [{targetCluster: {clusterNames: [typo]}, overriders: {}}]',
      ].join('\n---\n'),
      fleet,
    );
    expect(out.rendered.map((r) => r.cluster)).toEqual(['onprem']);
    expect(out.diagnostics.map((d) => [d.severity, d.code, d.object, d.message.match(/"(.*)"/)![1]])).toEqual([
      ['warning', 'UnknownCluster', 'policy.karmada.io/PropagationPolicy/web/x', 'onperm'],
      ['warning', 'UnknownCluster', 'policy.karmada.io/PropagationPolicy/web/x', 'gone'],
      ['warning', 'UnknownCluster', 'policy.karmada.io/ClusterOverridePolicy//c', 'typo'],
    ]);
  });

  it('duplicate templates and policies are errors', () => {
    const out = render([deployment('x', 1), deployment('x', 2), pp('p', '    clusterAffinity: {}'), pp('p', '    clusterAffinity: {}')].join('\n---\n'), fleet);
    expect(out.diagnostics.filter((d) => d.code === 'DuplicateObject').map((d) => [d.object, d.line])).toEqual([
      ['apps/Deployment/web/x', 101],
      ['policy.karmada.io/PropagationPolicy/web/p', 301],
    ]);
  });

  it('a missing dependent override blocks the policy', () => {
    const out = render([deployment('x', 1), pp('x', '    clusterAffinity: {}', 'dependentOverrides: [not-there]')].join('\n---\n'), fleet);
    expect(codes(out)).toEqual(['error:DependentOverrideMissing']);
    expect(out.rendered).toEqual([]);
  });
});
