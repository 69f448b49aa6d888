/**
 * `federate --in-place` rewrites only the documents it means to change: every other document keeps
 * its bytes (comments, quoting styles, `0755`, `yes`, CRLF, a byte order mark), and the documents it
 * does change still mean to kubectl what they meant before.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { federate } from '../../../src/fleet/federate.js';
import { readDocuments } from '../../../src/yaml/documents.js';
import { CLUSTERS, makeFleet } from './fixtures.js';

/** Already federated, a policy, and inventory-like documents: federate keeps them as written. */
const KEPT = [
  `# kept: a federated object, written by hand
apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata: {name: modes,   namespace: shop}   # odd spacing stays
spec:
  template:
    data:
      mode: 0755          # octal: 493 to kubectl
      flag: yes           # YAML 1.1: true
      quoted: 'yes'
      double: "0755"
      folded: >-
        one
        two
  placement:
    clusters: [{name: eu}]
`,
  `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: p
  namespace: shop
spec:
  resourceSelectors: [ {apiVersion: v1, kind: ConfigMap, name: c} ]
  placement: {clusterAffinity: {clusterNames: [eu]}}
`,
];

const PLAIN = `apiVersion: v1
kind: ConfigMap
metadata:
  name: plain
  namespace: shop
data:
  mode: 0755
  on: On
  big: 1_000
  hex: 0x1F
  when: 2001-12-14
  tilde: ~
`;

function splitDocs(text: string): string[] {
  return text.split(/^---\r?\n/m);
}

describe('federate --in-place', () => {
  for (const [name, eol, bom] of [['LF', '\n', ''], ['CRLF', '\r\n', ''], ['a byte order mark', '\n', '\ufeff']] as const) {
    it(`keeps every byte of the documents it does not change (${name})`, async () => {
      const docs = [...KEPT, PLAIN].map((d) => d.replaceAll('\n', eol));
      const text = bom + docs.join(`---${eol}`);
      const dir = await makeFleet({ ...CLUSTERS, 'mixed.yaml': text });
      const file = join(dir, 'mixed.yaml');
      const r = await federate({ repo: dir, files: [file], inPlace: true });
      expect(r.files[0]!.objects.map((o) => o.to)).toEqual(['FederatedConfigMap/shop/plain']);

      const after = readFileSync(file, 'utf8');
      const parts = splitDocs(after);
      expect(parts.slice(0, 2).join(`---${eol}`) + `---${eol}`).toBe(bom + KEPT.map((d) => d.replaceAll('\n', eol)).join(`---${eol}`) + `---${eol}`);
      expect(after.startsWith(bom + '# kept')).toBe(true);
    });
  }

  it('writes the changed document so that kubectl reads the same values in it', async () => {
    const dir = await makeFleet({ ...CLUSTERS, 'plain.yaml': PLAIN });
    const file = join(dir, 'plain.yaml');
    const before = readDocuments('plain.yaml', PLAIN).docs[0]!.value as { data: unknown };
    await federate({ repo: dir, files: [file], inPlace: true });
    const text = readFileSync(file, 'utf8');
    const after = readDocuments('plain.yaml', text).docs[0]!.value as { spec: { template: { data: unknown } } };
    expect(after.spec.template.data).toEqual(before.data);
    expect(before.data).toEqual({ mode: 493, true: true, big: 1000, hex: 31, when: '2001-12-14', tilde: null });
    // The scalars are printed as they were written, not as their values.
    expect(text).toContain('mode: 0755');
    expect(text).toContain('on: On');
    expect(text).toContain('big: 1_000');
  });
});
