/**
 * Fields another controller owns, left alone through an ignore rule: an autoscaler's replicas
 * survive every apply, and neither drift nor the live diff report them; and a malformed file
 * fails alone.
 */
import { describe, expect, it } from 'vitest';
import { liveDiff, liveDiffExitCode } from '../../../src/apply/live-diff.js';
import type { KubeObject } from '../../../src/object.js';
import { admin, apply, config, configMap, deployment, everywhere, live, member, memberKubeconfig, memberNames, namespace, objectLine, tmpDir, uniq, writeBranchDir } from './fixtures.js';

const replicasOf = (o: KubeObject | undefined) => (o?.spec as { replicas?: number } | undefined)?.replicas;

describe('ignore rules against an autoscaler', () => {
  const ns = uniq('ignore');
  const dir = tmpDir('ignore');
  const m = memberNames()[0]!;
  const ignore = [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }];

  it('keeps the replicas the autoscaler set, through applies, drift checks and the live diff', async () => {
    writeBranchDir(dir, { [m]: [namespace(ns), deployment(ns, 'web', 2)] });
    await apply(dir, { ignore }, { clusters: [m] });
    // What an HPA does: an update of spec.replicas through the scale subresource, under its own manager.
    await (await admin(m)).request('PATCH', `/apis/apps/v1/namespaces/${ns}/deployments/web/scale`, {
      query: { fieldManager: 'horizontal-pod-autoscaler' },
      body: { spec: { replicas: 5 } },
      contentType: 'application/merge-patch+json',
    });
    expect(replicasOf(await live(m, deployment(ns, 'web')))).toBe(5);

    const resync = await apply(dir, { ignore, conflicts: 'stop' }, { clusters: [m] });
    expect(objectLine(resync, m, `Deployment/${ns}/web`)).toMatchObject({ action: 'unchanged' });
    expect(member(resync, m).state).toBe('Synced');

    // A change elsewhere in the object is applied without a conflict and without touching replicas.
    const changed = deployment(ns, 'web', 2);
    (changed.metadata as { labels?: Record<string, string> }).labels = { tier: 'front' };
    writeBranchDir(dir, { [m]: [namespace(ns), changed] });
    const update = await apply(dir, { ignore, conflicts: 'stop' }, { clusters: [m] });
    expect(objectLine(update, m, `Deployment/${ns}/web`).action).toBe('configured');
    const after = await live(m, changed);
    expect(replicasOf(after)).toBe(5);
    expect(after?.metadata.labels?.tier).toBe('front');

    const diff = await liveDiff({ repo: dir, kubeconfig: memberKubeconfig(), config: config({ ignore }), clusters: [m] });
    expect(liveDiffExitCode(diff)).toBe(0);
    // Without the rule the same member would be changed back to 2 replicas.
    const strict = await liveDiff({ repo: dir, kubeconfig: memberKubeconfig(), config: config(), clusters: [m] });
    expect(strict.members[0]?.objects.find((o) => o.object === `Deployment/${ns}/web`)?.fields).toContainEqual({ path: '/spec/replicas', op: 'replace', from: 5, to: 2 });
  });
});

describe('a malformed file on the branch', () => {
  it('fails that file, named with its line, and nothing else', async () => {
    const ns = uniq('broken');
    const [m1, m2] = memberNames() as [string, string];
    const dir = writeBranchDir(tmpDir('broken'), everywhere([namespace(ns), configMap(ns, 'good', { a: '1' })]), {
      [`clusters/${m1}/${ns}/configmap-bad.yaml`]: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\n  name: twice\n',
    });
    const report = await apply(dir);
    const bad = objectLine(report, m1, `clusters/${m1}/${ns}/configmap-bad.yaml`);
    expect(bad).toMatchObject({ action: 'failed', message: expect.stringMatching(/^line 5: /) });
    expect(member(report, m1).state).toBe('Failed');
    expect(objectLine(report, m1, `ConfigMap/${ns}/good`).action).toBe('created');
    expect(member(report, m2).state).toBe('Synced');
  });
});
