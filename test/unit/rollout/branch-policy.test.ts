/**
 * The rollout carried on the output branch: render resolves gitfed.yaml's waves against the
 * branch's clusters and writes them into the metadata (schema 2, deterministic); a branch
 * without a rollout is written as before (schema 1); the strict parser refuses a malformed
 * rollout; and the daemon takes the waves of each head unless --rollout overrides them.
 */
import { describe, expect, it } from 'vitest';
import { metadataContent, parseMetadata } from '../../../src/git/metadata.js';
import { renderFleet } from '../../../src/render/render.js';
import { gateForHead } from '../../../src/rollout/gate.js';
import type { ResolvedWave } from '../../../src/rollout/policy.js';

const cluster = (name: string, region: string) => `apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata: {name: ${name}, labels: {region: ${region}}}\n`;
const ROLLOUT = `rollout:
  waves:
  - name: canary
    clusters: [eu-1]
    soak: 30s
  - name: europe
    clusterSelector: {matchLabels: {region: eu}}
    maxConcurrent: 1
    manualGate: true
`;
function fleet(gitfedYaml?: string): Map<string, string> {
  return new Map(Object.entries({
    'clusters.yaml': [cluster('eu-1', 'eu'), cluster('eu-2', 'eu'), cluster('us-1', 'us')].join('---\n'),
    'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, namespace: default}\ndata: {a: b}\n',
    'policy.yaml': 'apiVersion: policy.karmada.io/v1alpha1\nkind: ClusterPropagationPolicy\nmetadata: {name: all}\nspec:\n  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]\n  placement: {clusterAffinity: {clusterNames: [eu-1, eu-2, us-1]}}\n',
    ...(gitfedYaml ? { 'gitfed.yaml': gitfedYaml } : {}),
  }));
}
const SOURCE = { repo: 'https://example.com/fleet.git', commit: 'c'.repeat(40) };
const metadataOf = (files: Map<string, string>) => metadataContent(renderFleet(files).branches[0]!, SOURCE, '0.1.0');

describe('the rollout in the branch metadata', () => {
  it('carries the resolved waves (schema 2), the same bytes for the same source', () => {
    const text = metadataOf(fleet(ROLLOUT));
    expect(metadataOf(fleet(ROLLOUT))).toBe(text);
    const m = parseMetadata(text);
    expect(m.schema).toBe(2);
    expect(m.rollout).toEqual({
      failurePolicy: 'halt',
      waves: [
        { name: 'canary', members: ['eu-1'], soakMs: 30_000, timeoutMs: 600_000, manualGate: false },
        { name: 'europe', members: ['eu-2'], maxConcurrent: 1, soakMs: 0, timeoutMs: 600_000, manualGate: true },
        { name: 'rest', members: ['us-1'], soakMs: 0, timeoutMs: 600_000, manualGate: false },
      ],
    });
    // What the metadata says is what it was written from: no selector, members only.
    expect(text).not.toContain('clusterSelector');
  });

  it('without a rollout section, is written as before: schema 1, no rollout', () => {
    const text = metadataOf(fleet());
    expect(JSON.parse(text)).toMatchObject({ schema: 1 });
    expect(text).not.toContain('rollout');
    expect(parseMetadata(text).rollout).toBeUndefined();
  });

  it('is parsed strictly', () => {
    const good = JSON.parse(metadataOf(fleet(ROLLOUT))) as Record<string, unknown> & { rollout: { waves: Record<string, unknown>[] } };
    const bad = (change: (m: typeof good) => void) => {
      const m = structuredClone(good);
      change(m);
      return () => parseMetadata(JSON.stringify(m));
    };
    expect(bad((m) => (m.schema = 1))).toThrow(/rollout needs schema 2, not 1/);
    expect(bad((m) => (m.rollout.waves[0]!.soakMs = '30s'))).toThrow(/rollout\.waves\[0\]\.soakMs must be an integer of at least 0/);
    expect(bad((m) => (m.rollout.waves[1]!.name = 'canary'))).toThrow(/rollout\.waves\[1\]\.name must be a name no other wave has/);
    expect(bad((m) => ((m.rollout as Record<string, unknown>).failurePolicy = 'retry'))).toThrow(/failurePolicy must be "halt" or "rollback"/);
    expect(bad((m) => (m.rollout.waves[0]!.members = 'eu-1'))).toThrow(expect.objectContaining({ code: 'MetadataInvalid' }));
  });
});

describe('gateForHead', () => {
  const wave = (name: string, members: string[]): ResolvedWave => ({ name, members, soakMs: 0, timeoutMs: 1000, manualGate: false });
  const head = (waves?: ResolvedWave[]) => ({ metadata: waves ? { rollout: { failurePolicy: 'halt' as const, waves } } : {} });

  it('takes the waves of each head, without a restart', () => {
    const first = gateForHead(undefined, head([wave('canary', ['a']), wave('rest', ['b'])]), { rolloutFile: null })!;
    expect(first.waves.map((w) => w.name)).toEqual(['canary', 'rest']);
    const next = gateForHead(first, head([wave('one', ['b']), wave('two', ['a'])]), { rolloutFile: null });
    expect(next).toBe(first);
    expect(first.waves.map((w) => [w.name, w.members])).toEqual([['one', ['b']], ['two', ['a']]]);
    expect(gateForHead(first, head(), { rolloutFile: null })).toBeUndefined();
  });

  it('leaves the branch\'s waves to --rollout when given, and alone when no rollout file is kept', () => {
    const override = { waves: [wave('mine', ['a', 'b'])], failurePolicy: 'halt' as const, file: null };
    expect(gateForHead(undefined, head([wave('canary', ['a'])]), { rollout: override, rolloutFile: null })!.waves.map((w) => w.name)).toEqual(['mine']);
    expect(gateForHead(undefined, head([wave('canary', ['a'])]), {})).toBeUndefined();
  });
});
