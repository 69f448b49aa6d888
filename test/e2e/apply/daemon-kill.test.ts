/**
 * The daemon process killed with SIGKILL in the middle of a prune, then started again: nothing
 * leaks (every object still on the member is still in its inventory) and the next run converges.
 * Then SIGTERM: in-flight work finishes and the daemon exits 0. Runs the built CLI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtCli, countConfigMaps, everywhere, gitBranch, inventoryKeys, manyConfigMaps, memberKubeconfig, memberNames, namespace, tmpDir, uniq, until } from './fixtures.js';


describe('gitfed daemon killed mid-prune', () => {
  const ns = uniq('kill');
  const N = 400;
  const repo = gitBranch();
  const work = tmpDir('daemon');
  const state = path.join(work, 'status.json');
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });

  function startDaemon(): ChildProcess {
    const CLI = builtCli();
    const child = spawn(process.execPath, [CLI, 'daemon', '--repo', repo.dir, '--kubeconfig', memberKubeconfig(), '--state', state], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', () => undefined);
    children.push(child);
    return child;
  }

  const report = () => (fs.existsSync(state) ? (JSON.parse(fs.readFileSync(state, 'utf8')) as { branchCommit?: string; members: { cluster: string; state: string; branchCommit?: string }[] }) : undefined);
  const syncedAt = (commit: string) => () => {
    const r = report();
    return r && r.members.length === memberNames().length && r.members.every((m) => m.state === 'Synced' && m.branchCommit === commit) ? true : undefined;
  };

  it('loses nothing and converges after a restart', async () => {
    const m = memberNames()[0]!;
    const v1 = repo.commit(everywhere([namespace(ns), ...manyConfigMaps(ns, N)]), 'v1');
    let daemon = startDaemon();
    await until('v1 synced', syncedAt(v1), 120_000);

    const v2 = repo.commit(everywhere([namespace(ns)]), 'v2: all config maps removed');
    await until('prune under way', async () => ((await countConfigMaps(m, ns)) < N ? true : undefined), 30_000);
    daemon.kill('SIGKILL');
    await new Promise((r) => daemon.once('exit', r));

    // Whatever survived the kill is still listed in the member's inventory: nothing can leak.
    const left = await countConfigMaps(m, ns);
    const inventory = new Set(await inventoryKeys(m));
    const listed = manyConfigMaps(ns, N).filter((o) => inventory.has(`/ConfigMap/${ns}/${o.metadata.name}`)).length;
    expect(listed).toBeGreaterThanOrEqual(left);

    daemon = startDaemon();
    await until('v2 synced after restart', syncedAt(v2), 120_000);
    for (const name of memberNames()) {
      expect(await countConfigMaps(name, ns)).toBe(0);
      expect((await inventoryKeys(name)).filter((k) => k.startsWith(`/ConfigMap/${ns}/`))).toEqual([]);
    }

    daemon.kill('SIGTERM');
    const code = await new Promise((r) => daemon.once('exit', r));
    expect(code).toBe(0);
  });
});
