/** A KubeFedCluster's apiEndpoint and secretRef are not read: render says so, and which context stands for them. */
import { describe, expect, it } from 'vitest';
import { renderFleet } from '../../../src/render/render.js';

const cluster = (extra: string) => `apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata:
  name: dc1
  namespace: kube-federation-system
${extra}`;

const warningsOf = (text: string) => renderFleet(new Map([['clusters/dc1.yaml', text]])).warnings;

describe('KubeFedCluster apiEndpoint and secretRef', () => {
  it('warn with the cluster, the line, the fields and what to do', () => {
    const w = warningsOf(cluster('spec:\n  apiEndpoint: https://dc1.example:6443\n  secretRef: {name: dc1-token}\n'));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ code: 'FieldIgnored', file: 'clusters/dc1.yaml', line: 7, cluster: 'dc1' });
    expect(w[0]!.message).toBe('spec.apiEndpoint (https://dc1.example:6443) and spec.secretRef (Secret dc1-token on the KubeFed host) not read: gitfed apply reaches cluster dc1 through the kubeconfig context "dc1", with that context\'s credentials');
    expect(w[0]!.hint).toBe('make sure a kubeconfig context named dc1 points at https://dc1.example:6443, or name the context in annotation gitfed.io/context: CONTEXT; either way the annotation silences this');
  });

  it('a secretRef alone warns too', () => {
    expect(warningsOf(cluster('spec:\n  secretRef: {name: t}\n')).map((w) => w.line)).toEqual([7]);
  });

  it('are silent once gitfed.io/context records the context, which reaches the branch', () => {
    const r = renderFleet(new Map([['clusters/dc1.yaml', cluster('  annotations: {gitfed.io/context: dc1-admin}\nspec:\n  apiEndpoint: https://dc1.example:6443\n')]]));
    expect(r.warnings).toEqual([]);
    expect(r.clusters[0]!.context).toBe('dc1-admin');
  });

  it('a cluster without them says nothing', () => {
    expect(warningsOf(cluster(''))).toEqual([]);
  });
});
