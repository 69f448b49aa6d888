/**
 * No flapping, on members of our own with the real kube-scheduler and kwok nodes: on-prem runs 4
 * replicas of shop/web and has room for 2 more (a 1-CPU node beside the full 2-CPU one); the shop
 * asks for 6. Another workload on-prem (a Deployment of 1 CPU) is scaled up and down, many times
 * within one dwell time: the scheduler places it on the free node and on-prem's room for shop/web
 * goes 2, 0, 2, 0... Each step is observed (`gitfed observe`), and each state commit rendered
 * (`gitfed render --commit --state`). The loss of room moves 2 replicas to burst at once; the room that comes back
 * for a moment never moves them back; once it has stood for the dwell time, they come back. Moves
 * are counted on the rendered branch with git log, and their spacing is read from the times of the
 * state commits that caused them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, OverflowFleet } from '../../../bench/state/fleet.js';
import { runGitfed } from '../../support/cli.js';

const DWELL = 30;

let f: OverflowFleet;

async function gitfed(...args: string[]): Promise<string> {
  const r = await runGitfed(args);
  expect(r.code, `gitfed ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}
const observe = () => gitfed('observe', '--repo', f.repo, '--kubeconfig', f.kubeconfig, '--dwell', String(DWELL));
const render = () => gitfed('render', '--commit', '--repo', f.repo, '--state', 'fleet-state');

const FILLER = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'filler', namespace: 'default' }, spec: {
  replicas: 0, selector: { matchLabels: { app: 'filler' } },
  template: { metadata: { labels: { app: 'filler' } }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'registry.example.com/batch:1', resources: { requests: { cpu: '1' } } }] } },
} };

/** Scales the other workload and waits until the scheduler placed its pod, or until it is gone. */
async function filler(replicas: 0 | 1): Promise<void> {
  await f.kubectl('onprem', ['scale', 'deployment', 'filler', '-n', 'default', `--replicas=${replicas}`]);
  await eventually(`filler at ${replicas}`, async () => {
    const pods = JSON.parse(await f.kubectl('onprem', ['get', 'pods', '-n', 'default', '-l', 'app=filler', '-o', 'json'])).items as { spec: { nodeName?: string } }[];
    return (replicas === 0 ? pods.length === 0 : pods.length === 1 && pods[0]!.spec.nodeName !== undefined) ? true : undefined;
  }, 60_000, 100);
}

/** The rendered commits since `since`, oldest first: burst's replicas and the state commit each was rendered from. */
async function renderedSince(since: string): Promise<{ burst: number; state: string }[]> {
  const ids = (await f.git('rev-list', '--reverse', `${since}..rendered`)).split('\n').filter(Boolean);
  const out: { burst: number; state: string }[] = [];
  for (const id of ids) {
    out.push({ burst: (await f.rendered('burst', id)) ?? 0, state: await f.git('log', '-1', '--format=%(trailers:key=Gitfed-State-Commit,valueonly)', id) });
  }
  return out;
}
/** Observes until on-prem's room for 2 more is committed. */
const roomCommitted = (what: string) => eventually(what, async () => {
  await observe();
  return (await f.stateOf('onprem'))?.fit === 2 ? true : undefined;
}, 180_000, 1000);
const commitTime = async (id: string) => Number(await f.git('log', '-1', '--format=%ct', id));

beforeAll(async () => {
  f = await OverflowFleet.start('gitfed-no-flap-', (l) => process.stderr.write(`[no-flap members] ${l}\n`));
}, 300_000);

afterAll(async () => {
  await f?.stop();
}, 120_000);

describe('capacity oscillating around a threshold', () => {
  it('4 run on-prem, room for 2 more, the shop asks for 6: all 6 rendered on-prem', async () => {
    await observe();
    await render();
    // From the fleet's own directory: apply keeps its status file under the working directory.
    expect((await runGitfed(['apply', '--repo', f.repo, '--branch', 'rendered', '--kubeconfig', f.kubeconfig], { cwd: f.dir })).code).toBe(0);
    await eventually('4 ready on-prem', async () => ((await f.deployment('onprem')).ready === 4 ? true : undefined), 120_000);
    await f.kubectl('onprem', ['create', '-f', '-'], JSON.stringify(FILLER));
    await f.addNode('onprem', 'onprem-more', '1');
    await f.commitSource('shop.yaml', (t) => t.replace('totalReplicas: 4', 'totalReplicas: 6'), 'Scale the shop to 6');
    // The room on the new node is a change for the better: committed once it has stood for the dwell time.
    await roomCommitted('room for 2 more committed');
    await render();
    expect([await f.rendered('onprem'), await f.rendered('burst')]).toEqual([6, 0]);
  }, 400_000);

  it('flapping room moves replicas away once, and back once it has stood for the dwell time', async () => {
    const base = await f.git('rev-parse', 'rendered');
    const stateBase = await f.git('rev-parse', 'fleet-state');
    const started = Date.now() / 1000;
    let toggles = 0;
    // Many times within a dwell time: up, observe, render; down, observe, render; for three dwell times.
    while (Date.now() / 1000 - started < 3 * DWELL || toggles < 8) {
      for (const r of [1, 0] as const) {
        await filler(r);
        const state = await f.git('rev-parse', 'fleet-state');
        await observe();
        // A render of the same pair changes nothing: render only after a state commit.
        if ((await f.git('rev-parse', 'fleet-state')) !== state) await render();
        toggles++;
      }
    }
    const oscillated = Date.now() / 1000 - started;
    // The test means something only if capacity changed several times within one dwell time.
    expect(toggles / (oscillated / DWELL), `${toggles} changes of room in ${oscillated.toFixed(1)} s`).toBeGreaterThanOrEqual(3);

    // The filler stays down: the room stands, and after the dwell time it is committed.
    await roomCommitted('the room committed again');
    await render();
    expect([await f.rendered('onprem'), await f.rendered('burst')]).toEqual([6, 0]);

    // Moves: rendered commits whose burst replicas differ from the commit before.
    const rendered = await renderedSince(base);
    const moves: { burst: number; at: number; state: string }[] = [];
    let burst = 0;
    for (const r of rendered) {
      if (r.burst !== burst) moves.push({ burst: r.burst, at: await commitTime(r.state), state: r.state });
      burst = r.burst;
    }
    const stateCommits = (await f.git('rev-list', `${stateBase}..fleet-state`)).split('\n').filter(Boolean);
    process.stderr.write(`[no-flap] ${toggles} toggles in ${oscillated.toFixed(1)} s (dwell ${DWELL} s); ${stateCommits.length} state commits; ${rendered.length} rendered commits; moves: ${moves.map((m) => `burst ${m.burst} at +${m.at - Math.floor(started)} s`).join(', ')}\n`);
    // Away at the first loss of room, back once: two moves, however many toggles.
    expect(moves.map((m) => m.burst)).toEqual([2, 0]);
    // At most one move per dwell time, from the state commits' own times.
    for (let i = 1; i < moves.length; i++) expect(moves[i]!.at - moves[i - 1]!.at).toBeGreaterThanOrEqual(DWELL);
    expect(await f.git('log', '-1', '--format=%s', moves[1]!.state)).toBe('onprem: room for 2 more shop/web, was 0');
    // Every state commit is a loss of room or the one rise: none for the moments the room came back.
    expect(stateCommits.length).toBeLessThanOrEqual(3);
  }, 600_000);
});
