/**
 * A member's HPA in the state document: recorded per workload, deterministic, read back strictly,
 * and committed under the same hysteresis as the rest (more demand at once, less after the dwell
 * time; `current` never commits alone), with the sentence the brief asks for.
 */
import { describe, expect, it } from 'vitest';
import { GitfedError } from '../../../src/errors.js';
import { hpasByTarget } from '../../../src/observe/member.js';
import type { KubeObject } from '../../../src/object.js';
import { decide, type Observation } from '../../../src/state/hysteresis.js';
import { parseMemberState, serializeMemberState, type HpaState, type MemberState, type WorkloadState } from '../../../src/state/model.js';

const T0 = Date.parse('2026-01-01T00:00:00Z') / 1000;
const KEY = 'apps/Deployment/shop/web';
const hpa = (desired: number, current = 4, min = 2, max = 12): HpaState => ({ name: 'web', min, max, current, desired });
const w = (h?: HpaState): WorkloadState => ({ desired: 4, ready: 4, current: 4, pending: 0, unschedulable: 0, fit: 0, ...(h ? { hpa: h } : {}) });
const obs = (h?: HpaState): Observation => ({ cluster: 'onprem-dc1', ready: true, free: { pods: '100' }, workloads: { [KEY]: w(h) } });
const opts = { dwellSeconds: 300 };
const doc = (h?: HpaState): MemberState => ({ cluster: 'onprem-dc1', ready: true, readySince: '2026-01-01T00:00:00Z', changedAt: '2026-01-01T00:00:00Z', free: { pods: '100' }, workloads: { [KEY]: w(h) } });

describe('the HPA in a member document', () => {
  it('is written in a fixed key order and read back equal; a workload without one has no key', () => {
    const text = serializeMemberState(doc({ desired: 12, current: 4, max: 12, min: 2, name: 'web' }));
    expect(text).toContain('"fit": 0,\n      "hpa": {\n        "name": "web",\n        "min": 2,\n        "max": 12,\n        "current": 4,\n        "desired": 12\n      }');
    expect(parseMemberState(text, 'members/onprem-dc1.json')).toEqual(doc(hpa(12)));
    expect(serializeMemberState(doc())).not.toContain('hpa');
    expect(parseMemberState(serializeMemberState(doc()), 'members/onprem-dc1.json').workloads[KEY]).not.toHaveProperty('hpa');
  });
  it('is refused when it is not exactly an HPA, naming the field', () => {
    for (const [h, what] of [[{ name: 'web', min: 1, max: 2, current: 0 }, 'hpa.desired must be a count'], [{ min: 1, max: 2, current: 0, desired: 1 }, 'hpa.name must be a name'], ['x', 'hpa must be an object']] as const) {
      const raw = JSON.parse(serializeMemberState(doc()));
      raw.workloads[KEY].hpa = h;
      const err = (() => { try { parseMemberState(JSON.stringify(raw), 'members/onprem-dc1.json'); } catch (e) { return e; } })() as GitfedError;
      expect(err).toBeInstanceOf(GitfedError);
      expect(err.code).toBe('FleetStateInvalid');
      expect(err.message).toContain(`workloads.${KEY}.${what}`);
    }
  });
});

describe('observing HPAs: by the workload their scaleTargetRef names', () => {
  const h = (name: string, spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, namespace: 'shop' }, spec, status });
  it('reads bounds (minReplicas defaults to 1) and status; the first by name wins; other targets are not workloads', () => {
    const m = hpasByTarget([
      h('web-b', { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 3 }),
      h('web-a', { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 12 }, { currentReplicas: 4, desiredReplicas: 12 }),
      h('db', { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' }, minReplicas: 2, maxReplicas: 5 }),
      h('custom', { scaleTargetRef: { apiVersion: 'example.com/v1', kind: 'Thing', name: 'web' }, maxReplicas: 5 }),
    ]);
    expect(Object.fromEntries(m)).toEqual({
      'Deployment/shop/web': { name: 'web-a', min: 1, max: 12, current: 4, desired: 12 },
      'StatefulSet/shop/db': { name: 'db', min: 2, max: 5, current: 0, desired: 0 },
    });
  });
});

describe('HPA hysteresis', () => {
  const first = decide(undefined, obs(hpa(4)), T0, opts).state;
  it('an HPA wanting more is committed at once, saying what changed', () => {
    const d = decide(first, obs(hpa(12)), T0 + 1, opts);
    expect(d.commit).toBe(true);
    expect(d.changes).toEqual(['onprem-dc1: shop/web HPA wants 12, was 4']);
    expect(d.state.workloads[KEY]!.hpa).toEqual(hpa(12));
  });
  it('wanting less waits for the dwell time, then is committed', () => {
    const up = decide(first, obs(hpa(12)), T0 + 1, opts).state;
    const early = decide(up, obs(hpa(4)), T0 + 100, opts);
    expect(early.commit).toBe(false);
    expect(early.held).toEqual(['onprem-dc1: shop/web HPA wants 4 (committed 12), after 2026-01-01T00:05:01Z']);
    const late = decide(up, obs(hpa(4)), T0 + 301, opts);
    expect(late.commit).toBe(true);
    expect(late.changes).toEqual(['onprem-dc1: shop/web HPA wants 4, was 12']);
  });
  it('current alone makes no commit; it is carried when something else commits', () => {
    expect(decide(first, obs(hpa(4, 7)), T0 + 1000, opts).commit).toBe(false);
    const d = decide(first, obs(hpa(5, 7)), T0 + 1, opts);
    expect(d.state.workloads[KEY]!.hpa).toEqual(hpa(5, 7));
  });
  it('bounds changes, an HPA appearing and one going are committed at once', () => {
    expect(decide(first, obs(hpa(4, 4, 2, 6)), T0 + 1, opts).changes).toEqual(['onprem-dc1: shop/web HPA bounds 2..6, was 2..12']);
    const none = decide(undefined, obs(), T0, opts).state;
    expect(decide(none, obs(hpa(12)), T0 + 1, opts).changes).toEqual(['onprem-dc1: shop/web HPA web observed: wants 12 (bounds 2..12)']);
    const gone = decide(first, obs(), T0 + 1, opts);
    expect(gone.changes).toEqual(['onprem-dc1: shop/web HPA web is gone']);
    expect(gone.state.workloads[KEY]).not.toHaveProperty('hpa');
  });
});
