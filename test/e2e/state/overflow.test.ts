/**
 * Seed example 2 end to end, on two members of our own with the real kube-scheduler and kwok
 * nodes of fixed capacity: on-prem holds 4 replicas of shop/web (a 2-CPU node, 500m a replica),
 * burst holds plenty. Scale to 10: the members are observed, a state commit follows, render moves
 * the overflow to burst, apply runs it there. Add a node on-prem: after the dwell time the
 * replicas come back. Stop on-prem's control plane: it is observed not ready and its replicas
 * move to burst. Every step is a commit, read back with git log.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/wait.js';
import { addNode as addNodeTo, seededSuite } from './seed.js';

const DWELL = 15;

const { h, seed, stateOf } = seededSuite('overflow', DWELL);
const { git, observe, renderCommit, apply, stateSubjects, rendered, deployment } = h;
const addNode = (member: string, name: string, cpu: string) => addNodeTo(h, member, name, cpu);

describe('overflow to the burst cluster and back, every step a commit', () => {
  it('4 replicas fit on-prem', async () => {
    await observe();
    expect(await stateSubjects()).toEqual([expect.stringContaining('first observation')]);
    expect((await stateOf('onprem')).fit).toBe(4);
    await renderCommit();
    expect([await rendered('onprem'), await rendered('burst')]).toEqual([4, 0]);
    expect((await apply()).code).toBe(0);
    await eventually('4 ready on-prem', async () => ((await deployment('onprem')).ready === 4 ? true : undefined), 120_000);
    await observe();
    expect((await stateOf('onprem'))).toMatchObject({ desired: 4, ready: 4, fit: 0 });
    expect((await stateSubjects())[0]).toContain('onprem: room for 0 more shop/web, was 4');
  }, 240_000);

  it('scaled to 10: the state says on-prem is full, render moves 6 to burst, apply runs them there', async () => {
    const rsp = join(seed().repo, 'shop.yaml');
    await writeFile(rsp, (await readFile(rsp, 'utf8')).replace('totalReplicas: 4', 'totalReplicas: 10'));
    await git('commit', '-qam', 'Scale the shop to 10');
    const out = await renderCommit();
    expect(out).toContain('state ');
    // Capacity on-prem is 4 (its nodes took 4, nothing more fits): 6 go to burst; with rebalance the
    // overflow stays asked of on-prem as well (upstream writes plan + overflow), so its pods wait there.
    expect([await rendered('onprem'), await rendered('burst')]).toEqual([10, 6]);
    const trailer = await git('log', '-1', '--format=%(trailers:key=Gitfed-State-Commit,valueonly)', 'rendered');
    expect(trailer).toBe(await git('rev-parse', 'fleet-state'));
    expect((await apply()).code).toBe(0);
    await eventually('6 ready on burst', async () => ((await deployment('burst')).ready === 6 ? true : undefined), 120_000);
    // The scheduler cannot place the other 6 on-prem: observed as pending, and committed.
    await eventually('6 pending observed', async () => {
      await observe();
      return (await stateOf('onprem')).pending === 6 ? true : undefined;
    }, 120_000);
    expect((await git('log', '--format=%B', 'fleet-state'))).toContain('onprem: 6 shop/web replica(s) pending, was 0');
    // Render again from that state: nothing moves (no flapping), so no new output commit.
    const head = await git('rev-parse', 'rendered');
    await renderCommit();
    expect(await git('rev-parse', 'rendered')).toBe(head);
  }, 300_000);

  it('a node added on-prem: after the dwell time the replicas come back', async () => {
    await addNode('onprem', 'onprem-extra', '4');
    await eventually('10 ready on-prem', async () => ((await deployment('onprem')).ready === 10 ? true : undefined), 120_000);
    const before = (await stateSubjects()).length;
    const early = await observe();
    // More room is a change for the better: it waits for the dwell time.
    if ((await stateOf('onprem')).pending === 6) expect(early).toContain('waiting for the dwell time');
    await eventually('the dwell time passed and the room was committed', async () => {
      await observe();
      return (await stateOf('onprem')).pending === 0 ? true : undefined;
    }, 120_000);
    expect((await stateSubjects()).length).toBeGreaterThan(before);
    await renderCommit();
    expect([await rendered('onprem'), await rendered('burst')]).toEqual([10, 0]);
    expect((await apply()).code).toBe(0);
    await eventually('burst scaled to 0', async () => ((await deployment('burst')).replicas === 0 ? true : undefined), 60_000);
    const log = await git('log', '--format=%s', 'rendered');
    expect(log.split('\n').length).toBeGreaterThanOrEqual(3);
  }, 300_000);

  it('on-prem\'s control plane stops: observed not ready at once, its replicas fail over to burst', async () => {
    const apiserver = seed().set.members.find((m) => m.name === 'onprem')!.processes.find((p) => p.role === 'kube-apiserver')!;
    process.kill(apiserver.pid, 'SIGKILL');
    const out = await observe();
    expect(out).toMatch(/onprem\s+no/);
    expect(await git('log', '-1', '--format=%B', 'fleet-state')).toMatch(/^- onprem: not ready, was ready since/m);
    await renderCommit();
    expect([await rendered('onprem'), await rendered('burst')]).toEqual([undefined, 10]);
    // Apply reports on-prem unreachable (exit 2) and still brings burst to 10.
    expect((await apply()).code).toBe(2);
    await eventually('10 ready on burst', async () => ((await deployment('burst')).ready === 10 ? true : undefined), 120_000);
  }, 240_000);
});
