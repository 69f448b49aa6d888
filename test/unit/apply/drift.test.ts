import { describe, expect, it } from 'vitest';
import { driftedPaths } from '../../../src/apply/plan/drift.js';
import { parseQuantity, sameQuantity } from '../../../src/apply/plan/quantity.js';
import type { KubeObject } from '../../../src/object.js';

const payload: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'a', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [{ name: 'main', image: 'nginx:1', args: ['--a', '--b'], ports: [{ containerPort: 80 }], resources: { limits: { cpu: '0.5', memory: '1024Mi' } } }],
      },
    },
  },
};

/** What the API server stores: defaults added, quantities canonical, status and metadata filled. */
function liveFrom(p: KubeObject): KubeObject {
  const live = structuredClone(p) as KubeObject & { spec: any };
  live.metadata = { ...live.metadata, uid: 'u1', resourceVersion: '10', generation: 1, labels: { ...live.metadata.labels, extra: 'by-someone' } };
  const c = live.spec.template.spec.containers[0];
  c.ports[0].protocol = 'TCP';
  c.terminationMessagePath = '/dev/termination-log';
  c.resources.limits = { cpu: '500m', memory: '1Gi' };
  live.spec.strategy = { type: 'RollingUpdate' };
  live.status = { replicas: 2 };
  return live;
}

describe('driftedPaths', () => {
  it('sees no drift in server defaults, canonical quantities, or fields others added', () => {
    expect(driftedPaths(payload, liveFrom(payload))).toEqual([]);
  });

  it('reports a changed scalar, a removed label and a changed atomic list', () => {
    const live = liveFrom(payload) as any;
    live.spec.replicas = 5;
    delete live.metadata.labels.app;
    live.spec.template.spec.containers[0].args = ['--a'];
    expect(driftedPaths(payload, live).sort()).toEqual(['/metadata/labels/app', '/spec/replicas', '/spec/template/spec/containers/0/args']);
  });

  it('matches keyed list elements by key, so an injected sidecar is not drift but a changed image is', () => {
    const live = liveFrom(payload) as any;
    live.spec.template.spec.containers.unshift({ name: 'sidecar', image: 'envoy' });
    expect(driftedPaths(payload, live)).toEqual([]);
    live.spec.template.spec.containers[1].image = 'nginx:2';
    expect(driftedPaths(payload, live)).toEqual(['/spec/template/spec/containers/0/image']);
  });

  it('leaves ignored pointers out', () => {
    const live = liveFrom(payload) as any;
    live.spec.replicas = 9;
    expect(driftedPaths(payload, live, ['/spec/replicas'])).toEqual([]);
  });

  it('treats empty maps, empty lists and nulls as absent, as the server stores them', () => {
    const p = { ...payload, spec: { ...(payload.spec as object), paused: null, template: { ...(payload.spec as any).template, spec: { ...(payload.spec as any).template.spec, volumes: [] } } } } as KubeObject;
    expect(driftedPaths(p, liveFrom(payload))).toEqual([]);
  });

  it('compares a Secret’s stringData with the data the server keeps', () => {
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { pw: 'hunter2' } };
    const live: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { pw: Buffer.from('hunter2').toString('base64') }, type: 'Opaque' };
    expect(driftedPaths(secret, live)).toEqual([]);
    expect(driftedPaths(secret, { ...live, data: { pw: 'eA==' } })).toEqual(['/data/pw']);
  });
});

describe('quantities', () => {
  it.each([
    ['500m', 0.5], ['0.5', 0.5], ['1Gi', 2 ** 30], ['1024Mi', 2 ** 30], ['1e3', 1000], ['1k', 1000], [2, 2],
  ])('%s is %d', (q, n) => expect(parseQuantity(q)).toBe(n));
  it('tells equal amounts apart from different ones and from non-quantities', () => {
    expect(sameQuantity('1', 1)).toBe(true);
    expect(sameQuantity('100m', '0.1')).toBe(true);
    expect(sameQuantity('1Gi', '1G')).toBe(false);
    expect(sameQuantity('nginx', 'nginx')).toBe(false);
  });
});
