/**
 * A member's health at a revision another tool applies, read only: an object absent or not yet
 * as the revision has it is Progressing, the server's own spellings (quantities, defaults) are
 * not differences, the worst object decides, and nothing is written to the member.
 */
import { describe, expect, it } from 'vitest';
import { parseClusterFiles } from '../../../src/apply/source/manifests.js';
import type { KubeObject } from '../../../src/object.js';
import { observeHealth } from '../../../src/rollout/observed-health.js';
import { FakeMember } from '../apply/support/fake-member.js';

const yaml = (docs: string) => parseClusterFiles(new Map([['clusters/m1/all.yaml', docs]]));
const CM = `apiVersion: v1
kind: ConfigMap
metadata: {name: app, namespace: web}
data: {version: v2}
`;
const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - {name: main, image: app:2, resources: {limits: {cpu: '0.5'}}}
`;
const cm = (version: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'web', labels: { 'kustomize.toolkit.fluxcd.io/name': 'm1' } }, data: { version } });
function deploy(image: string, ready: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'web', generation: 3 },
    // As the API server stores it: defaults added, the quantity respelled.
    spec: { replicas: 2, progressDeadlineSeconds: 600, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'main', image, imagePullPolicy: 'IfNotPresent', resources: { limits: { cpu: '500m' } } }] } } },
    status: { observedGeneration: 3, replicas: 2, updatedReplicas: ready, readyReplicas: ready, availableReplicas: ready, conditions: [{ type: 'Available', status: ready === 2 ? 'True' : 'False' }] },
  };
}

describe('observeHealth', () => {
  it('is Progressing while an object of the revision is absent, then Ready once it is there as the revision has it', async () => {
    const member = new FakeMember();
    expect(await observeHealth(member, yaml(CM))).toEqual({ health: 'Progressing', message: 'ConfigMap/web/app: not applied yet' });
    member.put(cm('v1'));
    expect(await observeHealth(member, yaml(CM))).toEqual({ health: 'Progressing', message: 'ConfigMap/web/app: not at this revision yet (/data/version)' });
    member.put(cm('v2'));
    expect(await observeHealth(member, yaml(CM))).toEqual({ health: 'Ready' });
    expect(member.applied).toEqual([]);
    expect(Object.keys(member.stats.byVerb)).toEqual(['GET']);
  });

  it('takes the server\'s spellings as the same, and judges the live object by the health rules', async () => {
    const member = new FakeMember();
    member.put(cm('v2'));
    member.put(deploy('app:2', 1));
    const rollingOut = await observeHealth(member, yaml(`${CM}---\n${DEPLOY}`));
    expect(rollingOut.health).toBe('Progressing');
    expect(rollingOut.message).toMatch(/^Deployment\/web\/api: Progressing/);
    member.put(deploy('app:2', 2));
    expect(await observeHealth(member, yaml(`${CM}---\n${DEPLOY}`))).toEqual({ health: 'Ready' });
    member.put(deploy('app:1', 2));
    expect((await observeHealth(member, yaml(DEPLOY))).message).toBe('Deployment/web/api: not at this revision yet (/spec/template/spec/containers/0/image)');
  });

  it('fails the member on a file of the revision that does not parse, as it fails the consumer', async () => {
    const h = await observeHealth(new FakeMember(), yaml('kind: [\n'));
    expect(h.health).toBe('Failed');
    expect(h.message).toMatch(/^clusters\/m1\/all\.yaml:1: cannot parse/);
  });
});
