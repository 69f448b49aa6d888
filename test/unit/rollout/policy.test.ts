import { describe, expect, it } from 'vitest';
import { GitfedError } from '../../../src/errors.js';
import { parseConfig } from '../../../src/render/config.js';
import { parseDuration, resolveWaves } from '../../../src/rollout/policy.js';

const GOOD = `apiVersion: gitfed.io/v1alpha1
kind: FleetConfig
rollout:
  failurePolicy: rollback
  waves:
  - name: canary
    clusters: [c1]
    soak: 10s
  - name: europe
    clusterSelector: {matchLabels: {region: eu}}
    maxConcurrent: 2
    soak: 1m30s
    timeout: 5m
  - name: world
    clusterSelector: {}
    manualGate: true
`;

function errorOf(text: string): GitfedError {
  try {
    parseConfig(text);
  } catch (err) {
    return err as GitfedError;
  }
  throw new Error('no error');
}

describe('rollout policy in gitfed.yaml', () => {
  it('reads waves, gates and the failure policy with defaults', () => {
    const p = parseConfig(GOOD).rollout!;
    expect(p.failurePolicy).toBe('rollback');
    expect(p.waves.map((w) => [w.name, w.soakMs, w.timeoutMs, w.maxConcurrent, w.manualGate])).toEqual([
      ['canary', 10_000, 600_000, undefined, false],
      ['europe', 90_000, 300_000, 2, false],
      ['world', 0, 600_000, undefined, true],
    ]);
  });

  it('is absent without a rollout section, and halts by default', () => {
    expect(parseConfig('fleet: f\n').rollout).toBeUndefined();
    expect(parseConfig('rollout:\n  waves:\n  - name: a\n    clusters: [x]\n').rollout!.failurePolicy).toBe('halt');
  });

  it.each([
    ['rollout:\n  waves: []\n', 2, 'rollout.waves: must be a non-empty list'],
    ['rollout:\n  failurePolicy: retry\n  waves:\n  - name: a\n    clusters: [x]\n', 2, 'rollout.failurePolicy: must be "halt" or "rollback"'],
    ['rollout:\n  waves:\n  - name: a\n    clusters: [x]\n  - name: a\n    clusters: [y]\n', 5, 'wave "a" is named twice'],
    ['rollout:\n  waves:\n  - name: a\n    clusters: [x]\n  - name: b\n    clusters: [y, x]\n', 6, 'cluster x is already in wave a'],
    ['rollout:\n  waves:\n  - name: a\n    clusters: [x]\n    clusterSelector: {}\n', 3, 'either clusters (names) or clusterSelector'],
    ['rollout:\n  waves:\n  - name: a\n    clusters: [x]\n    soak: 10 minutes\n', 5, 'rollout.waves[0].soak: must be a duration'],
    ['rollout:\n  waves:\n  - name: a\n    clusters: [x]\n    maxConcurrent: 0\n', 5, 'must be a positive integer'],
    ['rollout:\n  waves:\n  - name: a\n    clusters: [x]\n    manualGate: "yes"\n', 5, 'must be true or false'],
    ['rollout:\n  waves:\n  - name: a\n    clusters: [x]\n    soak: 1s\n    gate: manual\n', 6, 'rollout.waves[0].gate: unknown field'],
    ['rollout:\n  waves:\n  - name: Canary\n    clusters: [x]\n', 3, 'must be a DNS label'],
    ['rollout:\n  waves:\n  - name: rest\n    clusters: [x]\n', 3, 'the wave of the clusters no wave names'],
    ['rollout:\n  waves:\n  - name: a\n    clusterSelector:\n      matchExpressions: [{key: k, operator: Near}]\n', 4, 'unknown operator'],
  ])('rejects %j at line %i', (text, line, message) => {
    const e = errorOf(text);
    expect(e.code).toBe('ConfigInvalid');
    expect(e.message).toContain(message);
    expect(e.line).toBe(line);
    expect(e.file).toBe('gitfed.yaml');
  });

  it('reads durations as Go does, whole units', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('10')).toBeUndefined();
    expect(parseDuration('5d')).toBeUndefined();
    expect(parseDuration('s10')).toBeUndefined();
  });

  it('puts each cluster in the first wave that takes it, and the others in a last wave', () => {
    const p = parseConfig(GOOD.replace('clusterSelector: {}\n', 'clusters: [c9]\n')).rollout!;
    const clusters = [
      { name: 'c1', labels: { region: 'eu' } },
      { name: 'c2', labels: { region: 'eu' } },
      { name: 'c3', labels: { region: 'us' } },
      { name: 'c4', labels: { region: 'eu' } },
    ];
    expect(resolveWaves(p, clusters).map((w) => [w.name, w.members])).toEqual([
      ['canary', ['c1']],
      ['europe', ['c2', 'c4']],
      ['world', []],
      ['rest', ['c3']],
    ]);
  });
});
