/**
 * A member's HPA as demand, on real members (kube-apiserver, kube-scheduler, kwok nodes of fixed
 * capacity): seed example 2, with an autoscaling/v2 HorizontalPodAutoscaler on on-prem. No metrics
 * reach these members, so the test writes what the HPA wants through the real status subresource,
 * as the HPA controller would. Observed, it is a state commit ("onprem: shop/web HPA wants 12, was
 * 4"); rendered, what on-prem cannot hold (12 − 4) goes to burst by the RSP's weights, and apply
 * runs it there; when the HPA wants 4 again, that waits for the dwell time and the replicas leave
 * burst. Every step is read back with git log.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/wait.js';
import { seededSuite } from './seed.js';

const DWELL = 15;

const { h, seed, stateOf } = seededSuite('hpa', DWELL);
const { git, kubectl, observe, renderCommit, apply, stateSubjects, rendered, deployment } = h;
const HPA = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 12 },
};
/** What the HPA controller would write, through the status subresource. */
const hpaWants = (desired: number) =>
  kubectl('onprem', ['patch', 'horizontalpodautoscaler', 'web', '-n', 'shop', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { currentReplicas: 4, desiredReplicas: desired } })]);

describe('an HPA wanting more than its member holds overflows, every step a commit', () => {
  it('on-prem runs its 4 replicas and has an HPA that wants 4', async () => {
    await observe();
    await renderCommit();
    expect([await rendered('onprem'), await rendered('burst')]).toEqual([4, 0]);
    expect((await apply()).code).toBe(0);
    await eventually('4 ready on-prem', async () => ((await deployment('onprem')).ready === 4 ? true : undefined), 120_000);
    await kubectl('onprem', ['create', '-f', '-'], JSON.stringify(HPA));
    await hpaWants(4);
    await observe();
    expect(await stateOf('onprem')).toMatchObject({ desired: 4, ready: 4, fit: 0, hpa: { name: 'web', min: 1, max: 12, current: 4, desired: 4 } });
    expect(await git('log', '--format=%B', 'fleet-state')).toContain('onprem: shop/web HPA web observed: wants 4 (bounds 1..12)');
    // The HPA the member can hold moves nothing: the same output as before.
    const head = await git('rev-parse', 'rendered');
    await renderCommit();
    expect(await git('rev-parse', 'rendered')).toBe(head);
  }, 300_000);

  it('the HPA wants 12: a state commit says so, render sends the 8 on-prem cannot hold to burst, apply runs them', async () => {
    await hpaWants(12);
    await observe();
    expect((await stateSubjects())[0]).toBe('onprem: shop/web HPA wants 12, was 4');
    expect((await stateOf('onprem')).hpa?.desired).toBe(12);
    await renderCommit();
    expect([await rendered('onprem'), await rendered('burst')]).toEqual([4, 8]);
    expect(await git('log', '-1', '--format=%(trailers:key=Gitfed-State-Commit,valueonly)', 'rendered')).toBe(await git('rev-parse', 'fleet-state'));
    const explained = await h.gitfed('explain', '--repo', seed().repo, '--state', 'fleet-state', 'federateddeployment/shop/web');
    expect(explained).toContain('onprem: HPA web wants 12 (bounds 1..12), the member holds 4 (4 placed, 0 more fit): 8 to place elsewhere');
    expect(explained).toContain('burst +8');
    expect((await apply()).code).toBe(0);
    await eventually('8 ready on burst', async () => ((await deployment('burst')).ready === 8 ? true : undefined), 120_000);
    // Observed again with burst running them: the same pair of numbers renders the same output.
    await observe();
    const head = await git('rev-parse', 'rendered');
    await renderCommit();
    expect(await git('rev-parse', 'rendered')).toBe(head);
  }, 300_000);

  it('the HPA wants 4 again: that waits for the dwell time, then the replicas leave burst', async () => {
    await hpaWants(4);
    const early = await observe();
    if ((await stateOf('onprem')).hpa?.desired === 12) expect(early).toContain('waiting for the dwell time');
    await eventually('the fall committed after the dwell time', async () => {
      await observe();
      return (await stateOf('onprem')).hpa?.desired === 4 ? true : undefined;
    }, 120_000);
    expect(await git('log', '--format=%B', 'fleet-state')).toContain('onprem: shop/web HPA wants 4, was 12');
    await renderCommit();
    expect([await rendered('onprem'), await rendered('burst')]).toEqual([4, 0]);
    expect((await apply()).code).toBe(0);
    await eventually('burst scaled to 0', async () => ((await deployment('burst')).replicas === 0 ? true : undefined), 60_000);
    const subjects = (await git('log', '--format=%s', 'rendered')).split('\n');
    expect(subjects.length).toBeGreaterThanOrEqual(3);
  }, 300_000);
});
