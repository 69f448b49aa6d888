/**
 * `gitfed dev status --kubeconfig`, as `dev up` and `dev down` take it: the members of that one
 * set. The sets here are state files as `up` writes them, for processes long gone.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stateDirFor, writeState, type DevState } from '../../../src/dev/state.js';
import { workloadMembers } from '../../../src/dev/up.js';
import { runGitfed } from '../../support/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'gitfed-dev-status-'));
const env = { GITFED_DEV_STATE_ROOT: join(tmp, 'state') };
// A pid above the kernel's pid_max never runs.
const gone = (role: 'etcd' | 'kube-apiserver') => ({ role, pid: 4_194_305, bin: '/bin/false', log: '/dev/null' });

function writeSet(kubeconfig: string, members: string[]): void {
  const dir = stateDirFor(kubeconfig, env);
  const state: DevState = {
    version: 1, kubeconfig, kubeconfigSha256: '', dir, createdAt: '', etcd: { url: 'http://127.0.0.1:2', process: gone('etcd') },
    members: members.map((name, i) => ({
      name, server: `https://127.0.0.1:${1000 + i}`, port: 1000 + i, etcdPrefix: `/p/${name}`, token: 't', caData: '', dir: join(dir, name), workloads: true, processes: [gone('kube-apiserver')],
    })),
  };
  writeState(state);
}

describe('dev status', () => {
  const east = join(tmp, 'east.yaml');
  const west = join(tmp, 'west.yaml');
  writeSet(east, ['e1', 'e2']);
  writeSet(west, ['w1']);

  it('lists every set without --kubeconfig, only that set with it', async () => {
    const all = await runGitfed(['dev', 'status', '--format', 'json'], { env });
    expect(all.code, all.stderr).toBe(0);
    expect((JSON.parse(all.stdout) as { name: string }[]).map((m) => m.name)).toEqual(['etcd', 'e1', 'e2', 'etcd', 'w1']);
    const one = await runGitfed(['dev', 'status', '--kubeconfig', west, '--format', 'json'], { env });
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout)).toEqual([
      expect.objectContaining({ kubeconfig: west, name: 'etcd', state: 'stopped' }),
      expect.objectContaining({ kubeconfig: west, name: 'w1', server: 'https://127.0.0.1:1000', state: 'stopped' }),
    ]);
  });

  it('says how to start a set that is not there', async () => {
    const r = await runGitfed(['dev', 'status', '--kubeconfig', join(tmp, 'north.yaml')], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: no members belong to ${join(tmp, 'north.yaml')} [NotRunning]\n  hint: start them with: gitfed dev up --kubeconfig ${join(tmp, 'north.yaml')}; gitfed dev status lists every set\n`);
  });
});

describe('dev up --workloads', () => {
  it('runs workloads on every member unless told otherwise', () => {
    expect([...workloadMembers(['a', 'b', 'c'], undefined)]).toEqual(['a', 'b', 'c']);
    expect([...workloadMembers(['a', 'b', 'c'], ['b'])]).toEqual(['b']);
    expect([...workloadMembers(['a', 'b'], [])]).toEqual([]);
  });

  it('refuses a name that is not a member, before anything starts', () => {
    expect(() => workloadMembers(['a', 'b'], ['c'])).toThrow(expect.objectContaining({ code: 'BadName', message: 'workloads: c is not a member (members: a, b)' }));
  });
});
