/**
 * Cross-cluster order through the daemon, on real members: an app on one member that names a
 * database Deployment on another (gitfed.io/depends-on) is applied only once the database
 * reports Ready there; one that waits on a Deployment that never becomes Ready (a member with no
 * scheduler) is not applied, and the report says what it waits for.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Daemon } from '../../../src/apply/daemon.js';
import { config, configMap, deployment, gitBranch, live, memberKubeconfig, memberNames, namespace, uniq, until } from '../apply/fixtures.js';
import { workloadsMember } from '../support/members.js';

const [m1, m2, m3] = memberNames() as [string, string, string];

describe('gitfed.io/depends-on across members', () => {
  const ns = uniq('order');
  const repo = gitBranch();
  const daemon = new Daemon({ repo: repo.dir, kubeconfig: memberKubeconfig(), config: config(), stateFile: null });
  afterAll(() => daemon.stop());

  it('applies the app only after its database is Ready on the other member', async () => {
    expect(workloadsMember()).toBe(m1);
    const dbReadyAt: number[] = [];
    const appAt: number[] = [];
    daemon.onReport((report) => {
      const db = report.members.find((m) => m.cluster === m1)?.objects.find((o) => o.object === `Deployment/${ns}/db`);
      if (db?.health === 'Ready' && dbReadyAt.length === 0) dbReadyAt.push(Date.now());
      const app = report.members.find((m) => m.cluster === m2)?.objects.find((o) => o.object === `ConfigMap/${ns}/app`);
      if (app && appAt.length === 0) appAt.push(Date.now());
    });
    repo.commit({
      [m1]: [namespace(ns), deployment(ns, 'db')],
      [m2]: [namespace(ns), configMap(ns, 'app', { a: '1' }, { 'gitfed.io/depends-on': `${m1}/Deployment.apps/${ns}/db` })],
      [m3]: [namespace(ns), deployment(ns, 'never'), configMap(ns, 'late', { a: '1' })],
    }, 'db, then app');
    await daemon.start();
    await until('app reported on m2', () => appAt.length === 1, 120_000);
    expect(await live(m2, configMap(ns, 'app', {}))).toBeDefined();
    expect(dbReadyAt).toHaveLength(1);
    expect(appAt[0]!).toBeGreaterThanOrEqual(dbReadyAt[0]!);
  });

  it('holds an object whose dependency never becomes Ready, saying what it waits for', async () => {
    repo.commit({
      [m1]: [namespace(ns), deployment(ns, 'db')],
      [m2]: [namespace(ns), configMap(ns, 'app', { a: '1' }, { 'gitfed.io/depends-on': `${m1}/Deployment.apps/${ns}/db` }), configMap(ns, 'blocked', { a: '1' }, { 'gitfed.io/depends-on': `${m3}/Deployment/${ns}/never` })],
      [m3]: [namespace(ns), deployment(ns, 'never'), configMap(ns, 'late', { a: '1' })],
    }, 'blocked on a Deployment that never becomes Ready');
    await daemon.checkHead();
    const waiting = await until('m2 waiting', () => {
      const r = daemon.report().members.find((m) => m.cluster === m2);
      return r?.message?.startsWith('waiting for') ? r : undefined;
    }, 60_000);
    expect(waiting.message).toBe(`waiting for ${m3}/Deployment/${ns}/never to be Ready`);
    expect(waiting.state).toBe('Progressing');
    expect(await live(m2, configMap(ns, 'blocked', {}))).toBeUndefined();
  });
});
