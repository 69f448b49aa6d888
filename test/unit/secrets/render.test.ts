/**
 * Secrets through render: readable values refused (or allowed and warned about), SOPS-encrypted
 * documents placed like any object and written to the branch exactly as committed, and whatever
 * would change them refused, naming the override and the cluster.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { RenderErrors, type GitfedError } from '../../../src/errors.js';
import { renderFleet, type RenderResult } from '../../../src/render/render.js';
import { newAgeKey, sopsEncrypt, type AgeKey } from '../../support/sops.js';

const CLUSTERS = ['eu', 'us', 'dc']
  .map((n) => `apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata: {name: ${n}, labels: {site: ${n}}}\n`)
  .join('---\n');
const NAMESPACE = `apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: policy.karmada.io/v1alpha1\nkind: ClusterPropagationPolicy\nmetadata: {name: namespaces}\nspec:\n  resourceSelectors: [{apiVersion: v1, kind: Namespace}]\n  placement: {clusterAffinity: {clusterNames: [eu, us, dc]}}\n`;
const FED_NAMESPACE = `apiVersion: types.kubefed.io/v1beta1\nkind: FederatedNamespace\nmetadata: {name: shop, namespace: shop}\nspec:\n  placement: {clusters: [{name: eu}, {name: us}, {name: dc}]}\n`;

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
type: Opaque
stringData:
  password: correct-horse
`;
const policy = (clusters: string, extra = '') => `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: db, namespace: shop}
spec:
  resourceSelectors: [{apiVersion: v1, kind: Secret, name: db}]
  placement: {clusterAffinity: {clusterNames: [${clusters}]}}
${extra}`;

function render(files: Record<string, string>): RenderResult {
  return renderFleet(new Map(Object.entries({ 'clusters.yaml': CLUSTERS, 'ns.yaml': NAMESPACE, ...files })));
}

function errorsOf(files: Record<string, string>): readonly GitfedError[] {
  try {
    render(files);
  } catch (e) {
    if (e instanceof RenderErrors) return e.errors;
    throw e;
  }
  throw new Error('render succeeded');
}

/** Branch path -> text, over every branch. */
function branchFiles(r: RenderResult): Map<string, string> {
  return new Map(r.branches.flatMap((b) => b.clusters.flatMap((c) => [...c.files])));
}

let key: AgeKey;
let sealed: string;
beforeAll(async () => {
  key = await newAgeKey();
  sealed = sopsEncrypt(SECRET, [key.recipient]);
});

describe('readable Secret values', () => {
  it('fail render at the value, with the way out', () => {
    const [e, ...rest] = errorsOf({ 'db.yaml': SECRET, 'p.yaml': policy('eu') });
    expect(rest).toEqual([]);
    expect([e!.code, e!.file, e!.line, e!.object]).toEqual(['PlaintextSecret', 'db.yaml', 8, 'Secret/shop/db']);
    expect(e!.message).toBe('stringData.password is readable by anyone who can read the repository and every output branch');
    expect(e!.hint).toContain("sops encrypt --in-place --age <recipient> --encrypted-regex '^(data|stringData)$'");
  });

  it('fail a FederatedSecret template, pointing at the encrypted-Secret form', () => {
    const fed = `apiVersion: types.kubefed.io/v1beta1\nkind: FederatedSecret\nmetadata: {name: db, namespace: shop}\nspec:\n  template:\n    data: {password: aHVudGVyMg==, user: YWRtaW4=}\n  placement: {clusters: [{name: eu}]}\n`;
    const [e, ...rest] = errorsOf({ 'ns.yaml': FED_NAMESPACE, 'fed.yaml': fed });
    expect(rest).toEqual([]);
    expect([e!.code, e!.file, e!.line]).toEqual(['PlaintextSecret', 'fed.yaml', 6]);
    expect(e!.message).toMatch(/^spec\.template\.data\.password, spec\.template\.data\.user are readable|^data\.password, data\.user are readable/);
    expect(e!.hint).toMatch(/leave spec\.template out of the FederatedSecret/);
  });

  it('fail a value an override writes into an otherwise empty Secret', () => {
    const fed = `apiVersion: types.kubefed.io/v1beta1\nkind: FederatedSecret\nmetadata: {name: db, namespace: shop}\nspec:\n  template: {type: Opaque}\n  placement: {clusters: [{name: eu}, {name: us}]}\n  overrides:\n  - clusterName: us\n    clusterOverrides:\n    - {path: /stringData, value: {password: hunter2}}\n`;
    const [e, ...rest] = errorsOf({ 'ns.yaml': FED_NAMESPACE, 'fed.yaml': fed });
    expect(rest).toEqual([]);
    expect(e!.code).toBe('PlaintextSecret');
    expect(e!.message).toContain('stringData.password is readable on cluster us');
  });

  it('are allowed per namespace or per name in gitfed.yaml, and then warned about on every render', () => {
    for (const rule of ['{namespace: shop}', '{name: db}', '{namespace: shop, name: db}']) {
      const r = render({ 'gitfed.yaml': `secrets:\n  allowPlaintext: [${rule}]\n`, 'db.yaml': SECRET, 'p.yaml': policy('eu') });
      expect(r.warnings.map((w) => [w.code, w.file, w.line])).toEqual([['PlaintextSecret', 'db.yaml', 8]]);
      expect(r.warnings[0]!.message).toMatch(/^stringData\.password is readable in git: allowed by gitfed.yaml secrets.allowPlaintext/);
    }
    expect(errorsOf({ 'gitfed.yaml': 'secrets:\n  allowPlaintext: [{namespace: other}]\n', 'db.yaml': SECRET, 'p.yaml': policy('eu') }).map((e) => e.code)).toEqual(['PlaintextSecret']);
  });

  it('refuse a rule that would allow everything, or an unknown field', () => {
    expect(() => render({ 'gitfed.yaml': 'secrets:\n  allowPlaintext: [{}]\n' })).toThrow(/secrets.allowPlaintext\[0\]: names neither a namespace nor a name/);
    expect(() => render({ 'gitfed.yaml': 'secrets:\n  allow: []\n' })).toThrow(/unknown field "secrets.allow"/);
  });

  it('leave SealedSecrets, ExternalSecrets and Secrets without values alone', () => {
    const others = `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: db, namespace: shop}\nspec:\n  encryptedData: {password: AgBy3i4OJSWK}\n---\napiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: api, namespace: shop}\nspec:\n  data: [{secretKey: token, remoteRef: {key: prod/api}}]\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: empty, namespace: shop}\ntype: Opaque\n`;
    const r = render({ 'others.yaml': others, 'p.yaml': policy('eu').replace('[{apiVersion: v1, kind: Secret, name: db}]', '[{apiVersion: bitnami.com/v1alpha1, kind: SealedSecret}, {apiVersion: external-secrets.io/v1, kind: ExternalSecret}, {apiVersion: v1, kind: Secret}]') });
    // Nothing about their values; their CRDs are not in the fleet, so each kind is named once.
    expect(r.warnings.map((w) => [w.code, w.object])).toEqual([
      ['NoSchema', 'bitnami.com/SealedSecret/shop/db'],
      ['NoSchema', 'external-secrets.io/ExternalSecret/shop/api'],
    ]);
    expect([...branchFiles(r).keys()].filter((p) => p.startsWith('clusters/eu/')).length).toBe(4);
  });
});

describe('SOPS-encrypted documents', () => {
  it('go to the branch byte for byte on every cluster a policy places them', () => {
    const r = render({ 'db.yaml': sealed, 'p.yaml': policy('eu, us') });
    const files = [...branchFiles(r)].filter(([p]) => p.includes('secret'));
    expect(files.map(([p]) => p.split('/')[1])).toEqual(['eu', 'us']);
    for (const [, text] of files) expect(text).toBe(sealed);
    expect(r.warnings).toEqual([]);
  });

  it('follow a workload with propagateDeps', () => {
    const deploy = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app, namespace: shop}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec:\n      containers: [{name: a, image: a, envFrom: [{secretRef: {name: db}}]}]\n---\napiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: app, namespace: shop}\nspec:\n  propagateDeps: true\n  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: app}]\n  placement: {clusterAffinity: {clusterNames: [dc]}}\n`;
    const files = branchFiles(render({ 'db.yaml': sealed, 'app.yaml': deploy }));
    const secrets = [...files].filter(([p]) => p.includes('secret'));
    expect(secrets.map(([p, t]) => [p.split('/')[1], t === sealed])).toEqual([['dc', true]]);
  });

  it('are placed by a FederatedSecret without a template, and by nothing else', () => {
    const fed = `apiVersion: types.kubefed.io/v1beta1\nkind: FederatedSecret\nmetadata: {name: db, namespace: shop}\nspec:\n  placement:\n    clusterSelector: {matchLabels: {site: us}}\n`;
    const r = render({ 'db.yaml': sealed, 'ns.yaml': FED_NAMESPACE, 'fed.yaml': fed });
    const secrets = [...branchFiles(r)].filter(([p]) => p.includes('secret'));
    expect(secrets.map(([p, t]) => [p.split('/')[1], t === sealed])).toEqual([['us', true]]);
    // Consumed by KubeFed, so not a Karmada template that no policy selects.
    expect(r.warnings).toEqual([]);
  });

  it('refuse an override policy that would change them, naming the policy, rule and cluster', () => {
    const op = `apiVersion: policy.karmada.io/v1alpha1\nkind: OverridePolicy\nmetadata: {name: label-us, namespace: shop}\nspec:\n  resourceSelectors: [{apiVersion: v1, kind: Secret, name: db}]\n  overrideRules:\n  - targetCluster: {clusterNames: [us]}\n    overriders:\n      labelsOverrider: [{operator: add, value: {region: us}}]\n`;
    const [e, ...rest] = errorsOf({ 'db.yaml': sealed, 'p.yaml': policy('eu, us'), 'op.yaml': op });
    expect(rest).toEqual([]);
    expect([e!.code, e!.file, e!.cluster, e!.object]).toEqual(['EncryptedObjectChanged', 'db.yaml', 'us', 'Secret/shop/db']);
    expect(e!.message).toMatch(/^the overrides \(OverridePolicy\/shop\/label-us rule 0: .*\) would change metadata\.labels of this SOPS-encrypted document/);
  });

  it('refuse a FederatedSecret override on one, naming it and the cluster', () => {
    const fed = `apiVersion: types.kubefed.io/v1beta1\nkind: FederatedSecret\nmetadata: {name: db, namespace: shop}\nspec:\n  placement: {clusters: [{name: eu}, {name: dc}]}\n  overrides:\n  - clusterName: dc\n    clusterOverrides:\n    - {path: /type, value: kubernetes.io/basic-auth}\n`;
    const errors = errorsOf({ 'db.yaml': sealed, 'ns.yaml': FED_NAMESPACE, 'fed.yaml': fed });
    expect(errors.map((e) => [e.code, e.cluster])).toEqual([['EncryptedObjectChanged', 'dc']]);
    expect(errors[0]!.message).toMatch(/^the overrides \(.*\/type.*\) would change type of this SOPS-encrypted document/);
  });

  it('cannot be a FederatedSecret template (as federating an encrypted file would make one)', () => {
    const body = sealed.replace(/^/gm, '    ').replace(/^    apiVersion: v1\n    kind: Secret\n    metadata:\n(.*\n)*?(?=    type:)/m, '');
    const fed = `apiVersion: types.kubefed.io/v1beta1\nkind: FederatedSecret\nmetadata: {name: db, namespace: shop}\nspec:\n  placement: {clusters: [{name: eu}]}\n  template:\n${body}`;
    const errors = errorsOf({ 'ns.yaml': FED_NAMESPACE, 'fed.yaml': fed });
    expect(errors.map((e) => [e.code, e.file])).toEqual([['SopsInvalid', 'fed.yaml']]);
    expect(errors[0]!.message).toMatch(/^spec.template holds SOPS metadata/);
  });

  it('must name their namespace: render cannot fill it in', () => {
    const noNamespace = sopsEncrypt(SECRET.replace('  namespace: shop\n', ''), [key.recipient]);
    const errors = errorsOf({ 'db.yaml': noNamespace, 'p.yaml': policy('eu').replace('name: db}]', 'name: db, namespace: default}]').replace('namespace: shop}', 'namespace: default}') });
    expect(errors.map((e) => e.code)).toEqual(['EncryptedObjectChanged']);
    expect(errors[0]!.message).toContain('would set metadata.namespace, which the document leaves out (write it in before encrypting)');
  });

  it('stand alone in their file, with readable identity and values all encrypted', () => {
    expect(errorsOf({ 'db.yaml': sealed + '---\n' + NAMESPACE.split('---\n')[0] }).map((e) => [e.code, e.file])).toEqual([['SopsInvalid', 'db.yaml']]);
    const whole = sopsEncrypt(SECRET, [key.recipient], { regex: '^(metadata|data|stringData)$' });
    const [e] = errorsOf({ 'db.yaml': whole });
    expect([e!.code, e!.message]).toEqual(['SopsInvalid', 'metadata.name is encrypted, so nothing can place or apply this object']);
    const partly = sopsEncrypt(SECRET.replace('stringData:', 'data:\n  extra: ""\nstringData:'), [key.recipient], { regex: '^data$' });
    expect(errorsOf({ 'db.yaml': partly, 'p.yaml': policy('eu') }).map((x) => [x.code, x.message])).toEqual([['PlaintextSecret', 'stringData.password is readable by anyone who can read the repository and every output branch']]);
  });
});
