/**
 * Progressive delivery with real Flux as the consumer: `gitfed daemon --pointer-branches
 * 'rollout/{wave}'` applies nothing and moves one branch per wave in the fleet's repository by the
 * members' health, read-only; each member's Flux Kustomization reads its wave's branch (the
 * snippet of docs/rollout.md, "**Flux**") over smart HTTP. Three waves over the run's three
 * members: a good change walks the branches wave by wave, and a canary that never becomes Ready
 * (a Deployment on a member that runs no scheduler) keeps the later members on the old revision.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeYaml, snippetObjects } from '../../support/readme-snippets.js';
import { builtCli, configMap, deployment, fleetRepo, live, memberNames, namespace, tmpDir, uniq, until } from '../apply/fixtures.js';
import { controlPlaneBinary, memberKubeconfig } from '../support/members.js';
import { create, memberKubeconfigSecret, startFluxSetup, type FluxSetup } from './flux.js';

const ROLLOUT_DOC = new URL('../../../docs/rollout.md', import.meta.url);
const [m1, m2, m3] = memberNames() as [string, string, string];
// m2 runs no scheduler: a Deployment there never becomes Available, the failing canary. The
// canary's timeout leaves Flux time to fetch and apply (it polls every 2 s here).
const WAVES = { canary: [m2], two: [m1], three: [m3] } as const;
const GITFED_YAML = `rollout:
  waves:
  - {name: canary, clusters: [${m2}], soak: 2s, timeout: 30s}
  - {name: two, clusters: [${m1}], soak: 2s}
  - {name: three, clusters: [${m3}]}
`;
const BRANCHES = Object.keys(WAVES).map((w) => `rollout/${w}`);

describe('wave branches moved by gitfed, read by real Flux', () => {
  const dir = tmpDir('flux-waves');
  const members = Object.values(WAVES).flat();
  const ns = uniq('fluxwaves');
  const fleet = fleetRepo(members);
  let setup: FluxSetup | undefined;
  let daemon: ChildProcess | undefined;
  const daemonLog = path.join(dir, 'daemon.log');

  beforeAll(async () => {
    setup = await startFluxSetup(dir, path.dirname(fleet.dir));
  });

  afterAll(async () => {
    if (daemon?.exitCode === null) {
      daemon.kill('SIGTERM');
      await new Promise((r) => daemon!.once('exit', r));
    }
    await setup?.stop();
    for (const m of members) execFileSync(controlPlaneBinary('kubectl'), ['--kubeconfig', memberKubeconfig(), '--context', m, 'delete', 'namespace', ns, '--ignore-not-found', '--wait=false']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const git = (...args: string[]) => execFileSync('git', ['-C', fleet.dir, ...args], { encoding: 'utf8' }).trim();
  const pointers = () => BRANCHES.map((b) => git('for-each-ref', '--format=%(objectname)', `refs/heads/${b}`));
  const version = async (m: string) => ((await live(m, configMap(ns, 'app', {})))?.data as { version?: string } | undefined)?.version;
  const versions = () => Promise.all(members.map(version));
  const status = () => execFileSync(process.execPath, [builtCli(), 'rollout', 'status', '--repo', fleet.dir], { encoding: 'utf8' });
  const commit = (v: string, more: ReturnType<typeof deployment>[] = []) => fleet.commit([namespace(ns), configMap(ns, 'app', { version: v }), ...more], v, GITFED_YAML);
  /** What gitfed and Flux did so far, for a failure message. */
  const logs = () => `--- gitfed daemon\n${fs.existsSync(daemonLog) ? fs.readFileSync(daemonLog, 'utf8').split('\n').slice(-30).join('\n') : ''}\n${setup!.flux.logs()}`;
  /**
   * Polls until `done`, sampling on the way the invariant of a rollout: a member runs the new
   * revision only if every member of every earlier wave runs it too. Returns the samples.
   */
  const walk = async (what: string, v: string, done: (vs: (string | undefined)[]) => boolean) => {
    const samples: (string | undefined)[][] = [];
    await until(what, async () => {
      const vs = await versions();
      samples.push(vs);
      return done(vs) || undefined;
    }, 150_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${logs()}`);
    });
    for (const vs of samples) {
      const reached = vs.map((x) => x === v);
      for (let i = 1; i < reached.length; i++) if (reached[i]) expect(reached.slice(0, i), `${members[i]} on ${v} before the earlier waves: ${vs.join(' ')}`).toEqual(reached.slice(0, i).map(() => true));
    }
    return samples;
  };

  it('walks a good change through the waves: each wave branch moves once the wave before is healthy', async () => {
    const v1 = await commit('v1');
    const url = setup!.url(fleet.dir);
    const snippet = readmeYaml('Flux', ROLLOUT_DOC);
    for (const [wave, ms] of Object.entries(WAVES)) {
      for (const [i, m] of ms.entries()) {
        const [repository, kustomization] = snippetObjects(snippet, { 'https://git.example.com/platform/fleet.git': url, 'canary': wave, 'eu-1': m, 'interval: 1m': 'interval: 2s' });
        if (i === 0) await create(setup!.api, repository!);
        await create(setup!.api, memberKubeconfigSecret(`${m}-kubeconfig`, m));
        await create(setup!.api, kustomization!);
      }
    }
    // The daemon looks for a new head every second instead of every 15.
    const config = path.join(dir, 'gitfed-apply.yaml');
    fs.writeFileSync(config, 'fetchSeconds: 1\n');
    const fd = fs.openSync(daemonLog, 'a');
    daemon = spawn(process.execPath, [builtCli(), 'daemon', '--repo', fleet.dir, '--kubeconfig', memberKubeconfig(), '--config', config, '--rollout', fleet.dir, '--pointer-branches', 'rollout/{wave}'], { stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);

    await walk('v1 on every member', 'v1', (vs) => vs.every((x) => x === 'v1'));
    expect(pointers()).toEqual(BRANCHES.map(() => v1.head));

    const v2 = await commit('v2');
    const samples = await walk('v2 on every member', 'v2', (vs) => vs.every((x) => x === 'v2'));
    expect(pointers()).toEqual(BRANCHES.map(() => v2.head));
    // It was a walk: some sample saw the canary on v2 and the last wave still on v1.
    expect(samples.some((vs) => vs[0] === 'v2' && vs[2] === 'v1')).toBe(true);
  });

  it('keeps the later members on the old revision when the canary never becomes Ready', async () => {
    const v2 = pointers()[0]!;
    const v3 = await commit('v3', [deployment(ns, 'web')]);
    await until('halt', () => /halted at wave canary/.test(status()) || undefined, 120_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${status()}\n${logs()}`);
    });
    expect(status()).toContain(`halted at wave canary: ${m2} not Ready`);
    expect(pointers()).toEqual([v3.head, v2, v2]);
    // The canary's branch holds v3, so its Flux applies it (on a loaded machine perhaps only
    // after the halt); the later members' Flux never sees it.
    await until('v3 on the canary', async () => (await version(m2)) === 'v3' || undefined, 60_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${status()}\n${logs()}`);
    });
    expect(await versions()).toEqual(['v3', 'v2', 'v2']);
    expect(pointers()).toEqual([v3.head, v2, v2]);
    expect(await live(m2, deployment(ns, 'web'))).toBeDefined();
    for (const m of [m1, m3]) expect(await live(m, deployment(ns, 'web')), m).toBeUndefined();
  });
});
