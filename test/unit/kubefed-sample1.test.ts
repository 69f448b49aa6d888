/**
 * KubeFed's own sample1 renders as it is: its plain Namespace (the host's) beside its
 * FederatedNamespace is read the KubeFed way in a fleet without Karmada policies. With a Karmada
 * policy in the fleet the plain Namespace is a Karmada template, and the collision names the fix.
 * Its FederatedIngress predates networking.k8s.io/v1 (`backend.serviceName`, no `pathType`), which
 * Kubernetes v1.36 refuses: the fixture stays upstream's byte for byte and that refusal is asserted;
 * the render test gives it the shape upstream would need today.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RenderErrors } from '../../src/errors.js';
import { renderFleet } from '../../src/render/render.js';

const dir = new URL('../fixtures/kubefed-sample1/', import.meta.url).pathname;
const CLUSTERS = 'apiVersion: core.kubefed.io/v1beta1\nkind: KubeFedCluster\nmetadata: {name: cluster1}\n---\napiVersion: core.kubefed.io/v1beta1\nkind: KubeFedCluster\nmetadata: {name: cluster2}\n';

/** sample1's Ingress as networking.k8s.io/v1 has it: `pathType`, and `backend.service`. */
const MODERN_INGRESS = readFileSync(dir + 'federatedingress.yaml', 'utf8').replace(
  '          - backend:\n              serviceName: test-service\n              servicePort: 80\n',
  '          - pathType: ImplementationSpecific\n            backend:\n              service: {name: test-service, port: {number: 80}}\n',
);

function sample1(extra: Record<string, string> = {}): Map<string, string> {
  const files = new Map(readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => [`sample1/${f}`, readFileSync(dir + f, 'utf8')]));
  files.set('clusters.yaml', CLUSTERS);
  for (const [k, v] of Object.entries(extra)) files.set(k, v);
  return files;
}

describe("KubeFed's sample1", () => {
  it('renders: the FederatedNamespace places the namespace, the plain one is the host\'s own', () => {
    // Upstream's sample carries a readable FederatedSecret: a test fleet allows it, and is warned.
    const r = renderFleet(sample1({ 'gitfed.yaml': 'secrets:\n  allowPlaintext: [{namespace: test-namespace}]\n', 'sample1/federatedingress.yaml': MODERN_INGRESS }));
    expect(r.warnings.map((w) => w.code)).toContain('PlaintextSecret');
    const namespaces = r.rendered.filter((o) => o.obj.kind === 'Namespace').map((o) => `${o.cluster} ${o.obj.metadata.name} ${o.engine}`).sort();
    expect(namespaces).toEqual(['cluster1 test-namespace kubefed', 'cluster2 test-namespace kubefed']);
    expect(r.warnings.filter((w) => w.code === 'NotPropagated' && w.object === 'Namespace/test-namespace')).toHaveLength(1);
    expect(r.rendered.filter((o) => o.obj.kind === 'Deployment').map((o) => o.cluster).sort()).toEqual(['cluster1', 'cluster2']);
  });

  it("as upstream wrote it, its pre-v1 Ingress is refused, naming file and line of each field", () => {
    expect(MODERN_INGRESS).not.toContain('serviceName');
    let err: unknown;
    try {
      renderFleet(sample1({ 'gitfed.yaml': 'secrets:\n  allowPlaintext: [{namespace: test-namespace}]\n' }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RenderErrors);
    expect((err as RenderErrors).errors.map((e) => [e.file, e.line, e.object, e.message.replace(/ \(known.*$/, '')])).toEqual([
      ['sample1/federatedingress.yaml', 13, 'FederatedIngress/test-namespace/test-ingress', 'field spec.template.spec.rules[0].http.paths[0].pathType: required value is missing'],
      ['sample1/federatedingress.yaml', 14, 'FederatedIngress/test-namespace/test-ingress', 'unknown field "spec.template.spec.rules[0].http.paths[0].backend.serviceName"'],
      ['sample1/federatedingress.yaml', 15, 'FederatedIngress/test-namespace/test-ingress', 'unknown field "spec.template.spec.rules[0].http.paths[0].backend.servicePort"'],
    ]);
  });

  it('with a Karmada policy in the fleet, the two styles collide and the error names the fix', () => {
    const policy = 'apiVersion: policy.karmada.io/v1alpha1\nkind: ClusterPropagationPolicy\nmetadata: {name: roles}\nspec:\n  resourceSelectors: [{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole}]\n  placement: {}\n';
    let err: unknown;
    try {
      renderFleet(sample1({ 'karmada.yaml': policy }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RenderErrors);
    const dup = (err as RenderErrors).errors.filter((e) => e.code === 'DuplicateObject');
    expect(dup.map((e) => e.message)).toEqual([
      expect.stringMatching(/Namespace\/test-namespace is produced twice .*keep one style for it: delete the plain template, or the Federated object/),
      expect.stringMatching(/Namespace\/test-namespace is produced twice .*keep one style/),
    ]);
  });
});
