import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { tokenFileLine } from '../../../src/dev/credentials.js';
import { registerFleet } from '../../../src/dev/fleet.js';
import { kubeconfigYaml } from '../../../src/dev/kubeconfig.js';

describe('kubeconfigYaml', () => {
  const members = [
    { name: 'member1', server: 'https://127.0.0.1:1111', token: 't1', caData: Buffer.from('ca1').toString('base64') },
    { name: 'member2', server: 'https://127.0.0.1:2222', token: 't2', caData: Buffer.from('ca2').toString('base64') },
  ];

  it('gives client-node one context per member, named after it', () => {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfigYaml(members));
    expect(kc.getContexts().map((c) => c.name)).toEqual(['member1', 'member2']);
    expect(kc.getCurrentContext()).toBe('member1');
    kc.setCurrentContext('member2');
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:2222');
    expect(kc.getCurrentCluster()?.caData).toBe(members[1]!.caData);
    expect(kc.getCurrentUser()?.token).toBe('t2');
  });
});

describe('token file', () => {
  it('puts the admin in system:masters, quoted as the format wants', () => {
    expect(tokenFileLine('abc', 'admin')).toBe('abc,admin,admin,"system:masters"\n');
  });
});

describe('registerFleet', () => {
  const members = [
    { name: 'member1', server: 'https://127.0.0.1:1111', workloads: true },
    { name: 'member2', server: 'https://127.0.0.1:2222', workloads: false },
  ];

  it('writes a Karmada Cluster per member, with labels and without credentials', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitfed-fleet-'));
    try {
      expect(registerFleet(dir, members, 'karmada')).toEqual(['clusters/member1.yaml', 'clusters/member2.yaml']);
      expect(readdirSync(join(dir, 'clusters')).sort()).toEqual(['member1.yaml', 'member2.yaml']);
      const doc = yaml.load(readFileSync(join(dir, 'clusters/member1.yaml'), 'utf8')) as Record<string, any>;
      expect(doc).toMatchObject({
        apiVersion: 'cluster.karmada.io/v1alpha1',
        kind: 'Cluster',
        metadata: { name: 'member1', labels: { environment: 'dev', 'gitfed.io/nodes': 'kwok' } },
        spec: { apiEndpoint: 'https://127.0.0.1:1111' },
      });
      const other = yaml.load(readFileSync(join(dir, 'clusters/member2.yaml'), 'utf8')) as Record<string, any>;
      expect(other.metadata.labels['gitfed.io/nodes']).toBe('none');
      expect(JSON.stringify(doc)).not.toMatch(/token|secret|certificate/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes KubeFedCluster documents when asked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitfed-fleet-'));
    try {
      registerFleet(dir, members, 'kubefed');
      const doc = yaml.load(readFileSync(join(dir, 'clusters/member2.yaml'), 'utf8')) as Record<string, any>;
      expect(doc).toMatchObject({ apiVersion: 'core.kubefed.io/v1beta1', kind: 'KubeFedCluster', spec: { apiEndpoint: 'https://127.0.0.1:2222' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
