import { describe, expect, it } from 'vitest';
import { planRollout, startRollout } from '../../../src/rollout/planner.js';
import { pointerTargets } from '../../../src/rollout/pointers.js';
import type { ResolvedWave } from '../../../src/rollout/policy.js';

const waves: ResolvedWave[] = [
  { name: 'canary', members: ['a'], soakMs: 0, timeoutMs: 60_000, manualGate: false },
  { name: 'rest', members: ['b', 'c'], soakMs: 0, timeoutMs: 60_000, manualGate: false, maxConcurrent: 1 },
];
const ready = (revision: string) => ({ revision, health: 'Ready' as const, updatedAt: 0, readySince: 0 });

describe('pointer branches', () => {
  const state = startRollout('new', 'old', 10);
  it('per wave: the canary branch moves first, the rest stay on the last good head', () => {
    const plan = planRollout({ waves, failurePolicy: 'halt', state, members: new Map([['a', ready('old')], ['b', ready('old')], ['c', ready('old')]]), now: 10 });
    expect(pointerTargets(plan, waves, 'rollout/{wave}')).toEqual(new Map([['rollout/canary', 'new'], ['rollout/rest', 'old']]));
  });

  it('per wave, a wave branch moves whole; per cluster, maxConcurrent is kept', () => {
    const plan = planRollout({ waves, failurePolicy: 'halt', state, members: new Map([['a', ready('new')], ['b', ready('old')], ['c', ready('old')]]), now: 10 });
    expect(pointerTargets(plan, waves, 'rollout/{wave}').get('rollout/rest')).toBe('new');
    expect(pointerTargets(plan, waves, 'rollout/{cluster}')).toEqual(new Map([['rollout/a', 'new'], ['rollout/b', 'new'], ['rollout/c', 'old']]));
  });

  it('refuses a template that names neither a wave nor a cluster', () => {
    const plan = planRollout({ waves, failurePolicy: 'halt', state, members: new Map(), now: 10 });
    expect(() => pointerTargets(plan, waves, 'rollout/all')).toThrow(/names neither/);
  });
});
