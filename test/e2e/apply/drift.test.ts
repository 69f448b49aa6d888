/**
 * The daemon against live changes: drift on an object under the correct policy is undone within
 * seconds; under the report policy it is left in place, reported Drifted, and shown by the live diff.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Daemon } from '../../../src/apply/daemon.js';
import { liveDiff, liveDiffExitCode } from '../../../src/apply/live-diff.js';
import { DRIFT_ANNOTATION } from '../../../src/apply/member/ownership.js';
import { admin, config, configMap, dataOf, everywhere, gitBranch, live, memberKubeconfig, memberNames, namespace, uniq, until } from './fixtures.js';

describe('drift, seen by the daemon through its watches', () => {
  const ns = uniq('drift');
  const m = memberNames()[0]!;
  const fixed = configMap(ns, 'fixed', { a: '1' });
  const watched = configMap(ns, 'watched', { a: '1' }, { [DRIFT_ANNOTATION]: 'report' });
  const repo = gitBranch();
  repo.commit(everywhere([namespace(ns), fixed, watched]), 'v1');
  const daemon = new Daemon({ repo: repo.dir, branch: 'rendered', kubeconfig: memberKubeconfig(), config: config({ resyncSeconds: 600 }), stateFile: null });
  afterAll(() => daemon.stop());

  async function edit(name: string, value: string) {
    // What `kubectl edit` sends: a merge patch under its own manager.
    await (await admin(m)).request('PATCH', `/api/v1/namespaces/${ns}/configmaps/${name}`, {
      query: { fieldManager: 'kubectl-edit' },
      body: { data: { a: value } },
      contentType: 'application/merge-patch+json',
    });
  }

  const line = (name: string) => daemon.report().members.find((x) => x.cluster === m)?.objects.find((o) => o.object === `ConfigMap/${ns}/${name}`);

  it('syncs every member first', async () => {
    await daemon.start();
    await until('every member Synced', () => {
      const r = daemon.report();
      return r.members.length === memberNames().length && r.members.every((x) => x.state === 'Synced') ? true : undefined;
    });
  });

  it('corrects drift under the correct policy', async () => {
    await edit('fixed', 'edited');
    await until('drift corrected', async () => (dataOf(await live(m, fixed)).a === '1' ? true : undefined), 20_000);
    await until('reported', () => (line('fixed')?.message?.includes('drift corrected') ? true : undefined), 10_000);
  });

  it('reports drift under the report policy and leaves it in place; the live diff shows it', async () => {
    await edit('watched', 'edited');
    const drifted = await until('Drifted', () => {
      const r = daemon.report().members.find((x) => x.cluster === m);
      return r?.state === 'Drifted' ? r : undefined;
    }, 20_000);
    expect(drifted.objects.find((o) => o.object === `ConfigMap/${ns}/watched`)?.drift).toEqual(['/data/a']);
    expect(dataOf(await live(m, watched)).a).toBe('edited');
    expect(daemon.report().federated.find((f) => f.object === `ConfigMap/${ns}/watched`)?.clusters.find((c) => c.name === m)?.status).toBe('Drifted');

    const diff = await liveDiff({ repo: repo.dir, branch: 'rendered', kubeconfig: memberKubeconfig(), config: config(), clusters: [m] });
    expect(liveDiffExitCode(diff)).toBe(1);
    const change = diff.members[0]?.objects.find((o) => o.object === `ConfigMap/${ns}/watched`);
    expect(change?.change).toBe('update');
    expect(change?.fields).toContainEqual({ path: '/data/a', op: 'replace', from: 'edited', to: '1' });
  });

  it('applies a new branch head within seconds', async () => {
    repo.commit(everywhere([namespace(ns), fixed, configMap(ns, 'watched', { a: '2' }, { [DRIFT_ANNOTATION]: 'report' })]), 'v2');
    for (const name of memberNames()) {
      await until(`${name} has v2`, async () => (dataOf(await live(name, watched)).a === '2' ? true : undefined), 10_000);
    }
    await until('Synced again', () => (daemon.report().members.every((x) => x.state === 'Synced') ? true : undefined), 10_000);
  });
});
