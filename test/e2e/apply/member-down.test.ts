/**
 * A member stopped in the middle of a reconcile (its kube-apiserver frozen with SIGSTOP): the
 * others go on, it is reported Unreachable with its last good state, and when it comes back
 * (SIGCONT) the daemon's backoff retry catches it up.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Daemon } from '../../../src/apply/daemon.js';
import { readState, stateDirFor } from '../../../src/dev/index.js';
import { config, countConfigMaps, everywhere, gitBranch, manyConfigMaps, memberKubeconfig, memberNames, namespace, uniq, until } from './fixtures.js';

function apiserverPid(member: string): number | undefined {
  const state = readState(stateDirFor(memberKubeconfig()));
  return state?.members.find((m) => m.name === member)?.processes.find((p) => p.role === 'kube-apiserver')?.pid;
}

const pid = apiserverPid(memberNames()[1] ?? '');

describe.skipIf(pid === undefined)('a member stopped mid-reconcile and restarted', () => {
  const ns = uniq('down');
  const [m1, m2, m3] = memberNames() as [string, string, string];
  const N = 300;
  const repo = gitBranch();
  repo.commit(everywhere([namespace(ns)]), 'namespace only');
  const daemon = new Daemon({ repo: repo.dir, kubeconfig: memberKubeconfig(), config: config({ requestTimeoutSeconds: 2 }), stateFile: null });
  let frozen = false;
  afterAll(async () => {
    if (frozen) process.kill(pid!, 'SIGCONT');
    await daemon.stop();
  });

  it('reports it Unreachable with its last good state while the others sync, then catches it up', async () => {
    await daemon.start();
    await until('first sync', () => (daemon.report().members.every((x) => x.state === 'Synced') && daemon.report().members.length === 3 ? true : undefined));
    const lastGood = daemon.report().members.find((x) => x.cluster === m2)!;

    repo.commit(everywhere([namespace(ns), ...manyConfigMaps(ns, N)]), `${N} config maps`);
    await until(`${m2} reconciling`, async () => ((await countConfigMaps(m2, ns)) > 0 ? true : undefined), 30_000);
    process.kill(pid!, 'SIGSTOP');
    frozen = true;

    const down = await until(`${m2} Unreachable`, () => {
      const r = daemon.report().members.find((x) => x.cluster === m2);
      return r?.state === 'Unreachable' ? r : undefined;
    }, 60_000);
    expect(down.branchCommit).toBe(lastGood.branchCommit);
    expect(down.message).toMatch(/no answer|ECONN|socket/i);
    for (const other of [m1, m3]) {
      await until(`${other} Synced with all objects`, async () => (daemon.report().members.find((x) => x.cluster === other)?.state === 'Synced' && (await countConfigMaps(other, ns)) === N ? true : undefined), 60_000);
    }

    process.kill(pid!, 'SIGCONT');
    frozen = false;
    await until(`${m2} caught up`, async () => (daemon.report().members.find((x) => x.cluster === m2)?.state === 'Synced' ? true : undefined), 90_000);
    expect(await countConfigMaps(m2, ns)).toBe(N);
  });
});
