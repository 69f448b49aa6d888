/** ClusterProfiles to members: health, where the server comes from, and why a member is left out. */
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { inventoryFromProfiles, inventoryProblem, type ClusterProfile } from '../../../src/controller/cluster-profiles.js';
import type { KubeObject } from '../../../src/object.js';

const kubeconfig = (server: string, token: string) =>
  yaml.dump({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster: { server } }], users: [{ name: 'u', user: { token } }], contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }], 'current-context': 'x' });
const secret = (member: string, server: string, token: string): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `member-${member}`, labels: { 'gitfed.io/member': member } }, data: { kubeconfig: Buffer.from(kubeconfig(server, token)).toString('base64') } });
const profile = (name: string, status: ClusterProfile['status']): ClusterProfile => ({ apiVersion: 'multicluster.x-k8s.io/v1alpha1', kind: 'ClusterProfile', metadata: { name, namespace: 'inv' }, status });
const healthy = [{ type: 'ControlPlaneHealthy', status: 'True' }];

describe('inventoryFromProfiles', () => {
  it("reaches a healthy profile's member at the provider's server with the Secret's user", () => {
    const inv = inventoryFromProfiles(
      [
        profile('b', { conditions: healthy, accessProviders: [{ name: 'p', cluster: { server: 'https://b.example:6443', 'certificate-authority-data': 'Q0E=' } }] }),
        profile('a', { conditions: healthy, credentialProviders: [{ name: 'old', cluster: { server: 'https://a.example' } }] }),
        profile('c', { conditions: healthy }),
      ],
      [secret('a', 'https://stale-a', 'ta'), secret('b', 'https://stale-b', 'tb'), secret('c', 'https://c-from-secret', 'tc')],
    );
    expect(inv.members).toEqual(['a', 'b', 'c']);
    const doc = yaml.load(inv.kubeconfig) as { clusters: { name: string; cluster: Record<string, unknown> }[]; users: { name: string; user: { token: string } }[] };
    expect(doc.clusters).toEqual([
      { name: 'a', cluster: { server: 'https://a.example' } },
      { name: 'b', cluster: { server: 'https://b.example:6443', 'certificate-authority-data': 'Q0E=' } },
      { name: 'c', cluster: { server: 'https://c-from-secret' } },
    ]);
    expect(doc.users.map((u) => [u.name, u.user.token])).toEqual([['a', 'ta'], ['b', 'tb'], ['c', 'tc']]);
  });

  it('leaves out unhealthy profiles and those without credentials, and says why', () => {
    const inv = inventoryFromProfiles(
      [
        profile('sick', { conditions: [{ type: 'ControlPlaneHealthy', status: 'False', reason: 'Down', message: 'no answer' }] }),
        profile('new', {}),
        profile('plugin', { conditions: healthy, accessProviders: [{ name: 'gke-exec', cluster: { server: 'https://p' } }] }),
      ],
      [secret('sick', 'https://s', 't')],
    );
    expect(inv.members).toEqual([]);
    expect(inv.profiles).toEqual(['new', 'plugin', 'sick']);
    expect(inventoryProblem(inv, 'sick', 'inv')).toBe('ClusterProfile inv/sick is not ControlPlaneHealthy (False, Down: no answer)');
    expect(inventoryProblem(inv, 'new', 'inv')).toBe('ClusterProfile inv/new has no ControlPlaneHealthy condition yet');
    expect(inventoryProblem(inv, 'plugin', 'inv')).toMatch(/^ClusterProfile inv\/plugin is healthy, but gitfed has no credentials for it: its provider gke-exec needs an exec plugin gitfed does not run; create a Secret labelled gitfed.io\/member=plugin/);
    expect(inventoryProblem(inv, 'elsewhere', 'inv')).toBe('no ClusterProfile elsewhere in namespace inv: the branch has this member, the cluster inventory does not');
  });
});
