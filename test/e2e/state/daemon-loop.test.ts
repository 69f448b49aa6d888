/**
 * The loop closed by one process: `gitfed daemon --observe --render` on seed example 2, with the
 * real kube-scheduler and kwok nodes. On-prem loses room under a running replica: its replacement
 * goes Pending, the daemon observes it and commits the state, renders the overflow to burst and
 * applies it there, where it runs; on-prem gets its room back and after the dwell time burst gives
 * the replica back. A scale-up in the source is rendered with the state at once. Then the fleet
 * asks for state-driven changes to be reviewed: the next one waits on state-review/rendered, whose
 * commit names the state change, until it is merged. Every step is a commit, read back with git log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliEnv } from '../../support/cli.js';
import { eventually, OverflowFleet } from '../../../bench/state/fleet.js';

const DWELL = 8;
let f: OverflowFleet;
let daemon: ChildProcess | undefined;
let log = '';

beforeAll(async () => {
  f = await OverflowFleet.start('gitfed-daemon-loop-', (l) => process.stderr.write(`[daemon-loop members] ${l}\n`));
  daemon = spawn('node', [CLI, 'daemon', '--repo', f.repo, '--kubeconfig', f.kubeconfig, '--state', `${f.dir}/status.json`,
    '--observe', '--fleet', f.repo, '--render', '--observe-interval', '2', '--dwell', String(DWELL)], { cwd: f.dir, env: cliEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  daemon.stderr!.on('data', (b: Buffer) => (log += b.toString()));
}, 300_000);

afterAll(async () => {
  if (daemon && daemon.exitCode === null) {
    const exited = new Promise((r) => daemon!.once('exit', r));
    daemon.kill('SIGTERM');
    await exited;
  }
  if (process.env.GITFED_E2E_LOG) process.stderr.write(log);
  await f?.stop();
}, 120_000);

const waitFor = <T>(what: string, probe: () => Promise<T | undefined>, ms = 120_000) => eventually(`${what}\n--- daemon log ---\n${log.slice(-3000)}`, probe, ms);

describe('gitfed daemon --observe --render closes the loop', () => {
  it('observes, renders and applies the first state: 4 on-prem, none on burst', async () => {
    await waitFor('4 ready on-prem', async () => ((await f.deployment('onprem')).ready === 4 ? true : undefined));
    await waitFor('on-prem observed full', async () => ((await f.stateOf('onprem'))?.fit === 0 && (await f.stateOf('onprem'))?.ready === 4 ? true : undefined));
    expect((await f.subjects('fleet-state')).at(-1)).toContain('first observation');
    expect([await f.rendered('onprem'), await f.rendered('burst')]).toEqual([4, 0]);
    const state = await f.git('log', '-1', '--format=%(trailers:key=Gitfed-State-Commit,valueonly)', 'rendered');
    expect(await f.git('merge-base', '--is-ancestor', state, 'fleet-state').then(() => true)).toBe(true);
  }, 300_000);

  it('a replica goes Pending on-prem: state commit, render, overflow to burst, running there', async () => {
    const renderedBefore = (await f.subjects('rendered')).length;
    await f.squeezeOnprem();
    await waitFor('the pending replica observed and committed', async () => ((await f.stateOf('onprem'))?.pending === 1 ? true : undefined));
    expect(await f.git('log', '--format=%B', 'fleet-state')).toContain('onprem: 1 shop/web replica(s) pending, was 0');
    await waitFor('1 ready on burst', async () => ((await f.deployment('burst')).ready === 1 ? true : undefined));
    // The output commit that did it names the state commit that caused it.
    expect((await f.subjects('rendered')).length).toBeGreaterThan(renderedBefore);
    expect([await f.rendered('onprem'), await f.rendered('burst')]).toEqual([4, 1]);
    const cause = await f.git('log', '-1', '--format=%(trailers:key=Gitfed-State-Commit,valueonly)', 'rendered');
    expect(await f.git('show', `${cause}:members/onprem.json`)).toContain('"pending": 1');
  }, 300_000);

  it('on-prem gets its room back: after the dwell time burst gives the replica back', async () => {
    await f.releaseOnprem();
    await waitFor('4 ready on-prem again', async () => ((await f.deployment('onprem')).ready === 4 ? true : undefined));
    await waitFor('the room committed after the dwell time', async () => ((await f.stateOf('onprem'))?.pending === 0 ? true : undefined), 60_000);
    // The rise was committed no sooner than the dwell time after on-prem's document last changed.
    const times = (await f.git('log', '-z', '--format=%ct %B', 'fleet-state', '--', 'members/onprem.json')).split('\0');
    const back = times.findIndex((l) => l.includes('onprem: 0 shop/web replica(s) pending, was 1'));
    expect(back).toBeGreaterThanOrEqual(0);
    expect(Number(times[back]!.split(' ')[0]) - Number(times[back + 1]!.split(' ')[0])).toBeGreaterThanOrEqual(DWELL);
    await waitFor('burst scaled to 0', async () => ((await f.deployment('burst')).replicas === 0 ? true : undefined));
    expect([await f.rendered('onprem'), await f.rendered('burst')]).toEqual([4, 0]);
  }, 300_000);

  it('a scale-up in the source is rendered with the state at once: 6 to burst', async () => {
    const source = await f.commitSource('shop.yaml', (t) => t.replace('totalReplicas: 4', 'totalReplicas: 10'), 'Scale the shop to 10');
    await waitFor('rendered from the new source', async () => ((await f.git('log', '-1', '--format=%(trailers:key=Gitfed-Source-Commit,valueonly)', 'rendered')) === source ? true : undefined));
    expect([await f.rendered('onprem'), await f.rendered('burst')]).toEqual([10, 6]);
    await waitFor('6 ready on burst', async () => ((await f.deployment('burst')).ready === 6 ? true : undefined));
    await waitFor('6 pending on-prem observed', async () => ((await f.stateOf('onprem'))?.pending === 6 ? true : undefined));
  }, 300_000);

  it('with stateChanges.review, a state-driven render waits on state-review/rendered until merged', async () => {
    await f.commitSource('gitfed.yaml', () => 'stateChanges:\n  review: true\n', 'Review state-driven changes');
    const source = await f.git('rev-parse', 'HEAD');
    // Nothing to render differently: the output branch's note says it is up to date with the new source.
    await waitFor('the source change rendered straight', async () => ((await f.git('notes', '--ref', 'gitfed', 'show', 'rendered')).includes(`Gitfed-Source-Commit: ${source}`) ? true : undefined));
    const rendered = await f.git('rev-parse', 'rendered');
    // On-prem gets room for the 6 (a 4-CPU node): after the dwell time the state says so.
    await f.addNode('onprem', 'onprem-extra', '4');
    const review = 'state-review/rendered';
    await waitFor('a review commit giving burst\'s 6 back', async () => ((await f.subjects(review)).length > 0 && (await f.rendered('burst', review)) === 0 ? true : undefined), 120_000);
    expect(await f.git('rev-parse', 'rendered')).toBe(rendered);
    expect(await f.git('rev-parse', 'state-review/rendered^')).toBe(rendered);
    const message = await f.git('log', '-1', '--format=%B', 'state-review/rendered');
    expect(message).toMatch(/^[0-9a-f]{7}: state [0-9a-f]{7}: onprem: /);
    expect(message).toContain('member document(s) changed: onprem');
    expect([await f.rendered('onprem', 'state-review/rendered'), await f.rendered('burst', 'state-review/rendered')]).toEqual([10, 0]);
    expect((await f.deployment('burst')).replicas).toBe(6);
    // Merged (a fast-forward, as a PR would): the daemon applies it.
    await f.git('update-ref', 'refs/heads/rendered', 'state-review/rendered', rendered);
    await waitFor('burst scaled to 0 after the merge', async () => ((await f.deployment('burst')).replicas === 0 ? true : undefined));
  }, 300_000);
});
