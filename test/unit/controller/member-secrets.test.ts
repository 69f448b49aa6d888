import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { kubeconfigFromSecrets } from '../../../src/controller/member-secrets.js';
import type { KubeObject } from '../../../src/object.js';

const kubeconfig = (server: string, ctx = 'admin@x') =>
  yaml.dump({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'x', cluster: { server, 'certificate-authority-data': 'Q0E=' } }], users: [{ name: 'admin', user: { token: 't' } }], contexts: [{ name: ctx, context: { cluster: 'x', user: 'admin', namespace: 'apps' } }], 'current-context': ctx });
const secret = (name: string, data: Record<string, string>, member?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, ...(member ? { labels: { 'gitfed.io/member': member } } : {}) },
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
});

describe('member kubeconfigs from Secrets', () => {
  it('make one kubeconfig, a context per member named after it', () => {
    const out = kubeconfigFromSecrets([secret('s-us', { kubeconfig: kubeconfig('https://us:6443') }, 'us-1'), secret('eu-1', { 'value.yaml': kubeconfig('https://eu:6443') })]);
    expect(out.members).toEqual(['eu-1', 'us-1']);
    expect(out.problems).toEqual([]);
    const doc = yaml.load(out.kubeconfig) as { clusters: { name: string; cluster: { server: string } }[]; contexts: { name: string; context: { cluster: string; user: string; namespace?: string } }[] };
    expect(doc.clusters).toEqual([{ name: 'eu-1', cluster: { server: 'https://eu:6443', 'certificate-authority-data': 'Q0E=' } }, { name: 'us-1', cluster: { server: 'https://us:6443', 'certificate-authority-data': 'Q0E=' } }]);
    expect(doc.contexts[1]).toEqual({ name: 'us-1', context: { cluster: 'us-1', user: 'us-1', namespace: 'apps' } });
  });

  it('report the Secrets they cannot use, and go on with the others', () => {
    const out = kubeconfigFromSecrets([
      secret('a', { other: 'x' }),
      secret('b', { kubeconfig: '{' }),
      secret('c', { kubeconfig: yaml.dump({ contexts: [] }) }),
      secret('d', { kubeconfig: kubeconfig('https://d') }, 'dup'),
      secret('e', { kubeconfig: kubeconfig('https://e') }, 'dup'),
    ]);
    expect(out.members).toEqual(['dup']);
    expect(out.problems).toEqual([
      'Secret a: no kubeconfig under kubeconfig, value, value.yaml',
      expect.stringMatching(/^Secret b: kubeconfig is not YAML/),
      'Secret c: its kubeconfig names no current context with a cluster and a user',
      'Secret e: member dup has another Secret already; skipped',
    ]);
  });
});
