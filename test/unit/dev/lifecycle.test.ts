/**
 * Starting, finding and stopping processes from another process, with `sleep` standing in for
 * the control-plane binaries: the state file, down, the pid-reuse guard and the reaper.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { down } from '../../../src/dev/down.js';
import { isRunning, startProcess, stopProcesses, type ProcessRecord, type Role } from '../../../src/dev/processes.js';
import { startReaper } from '../../../src/dev/reaper.js';
import { listStates, readState, stateDirFor, writeState, type DevState } from '../../../src/dev/state.js';
import { up } from '../../../src/dev/up.js';

const SLEEP = '/bin/sleep';
let tmp: string;
let env: NodeJS.ProcessEnv;
const started: ProcessRecord[] = [];

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'gitfed-life-'));
  env = { GITFED_DEV_STATE_ROOT: join(tmp, 'state') };
});
afterEach(async () => {
  await stopProcesses(started.splice(0), 1_000);
  rmSync(tmp, { recursive: true, force: true });
});

function sleeper(role: Role): ProcessRecord {
  const p = startProcess({ role, bin: SLEEP, args: ['300'], log: join(tmp, `${role}-${started.length}.log`) });
  started.push(p);
  return p;
}

async function eventually(probe: () => boolean, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** A set as `up` records it, with sleepers as its processes and a kubeconfig it "wrote". */
function fakeSet(kubeconfig: string): DevState {
  const text = 'apiVersion: v1\nkind: Config\n';
  writeFileSync(kubeconfig, text);
  const dir = stateDirFor(kubeconfig, env);
  const member = (name: string) => ({
    name, server: 'https://127.0.0.1:1', port: 1, etcdPrefix: `/p/${name}`, token: 't', caData: '', dir: join(dir, name), workloads: false,
    processes: [sleeper('kube-apiserver'), sleeper('kube-controller-manager')],
  });
  const state: DevState = {
    version: 1, kubeconfig, kubeconfigSha256: createHash('sha256').update(text).digest('hex'), dir, createdAt: '',
    etcd: { url: 'http://127.0.0.1:2', process: sleeper('etcd') }, members: [member('a'), member('b')],
  };
  writeState(state);
  return state;
}

describe('processes', () => {
  it('start detached, are found running, and stop', async () => {
    const p = sleeper('etcd');
    expect(isRunning(p)).toBe(true);
    await stopProcesses([p], 2_000);
    expect(isRunning(p)).toBe(false);
  });

  it('are not mistaken for another program that got the same pid', () => {
    const p = sleeper('etcd');
    expect(isRunning({ ...p, bin: '/usr/bin/true' })).toBe(false);
  });
});

describe('state', () => {
  it('is found from the kubeconfig path, however it is spelled', () => {
    expect(stateDirFor('kc.yaml', env)).toBe(stateDirFor(join(process.cwd(), 'kc.yaml'), env));
    expect(stateDirFor('/a/kc.yaml', env)).not.toBe(stateDirFor('/b/kc.yaml', env));
  });

  it('round-trips and lists every set', () => {
    const s1 = fakeSet(join(tmp, 'one.yaml'));
    const s2 = fakeSet(join(tmp, 'two.yaml'));
    expect(readState(s1.dir)).toEqual(s1);
    expect(listStates(env).map((s) => s.kubeconfig)).toEqual([s1.kubeconfig, s2.kubeconfig]);
  });
});

describe('down', () => {
  it('stops every process of the set and removes its state and kubeconfig', async () => {
    const s = fakeSet(join(tmp, 'kc.yaml'));
    const other = fakeSet(join(tmp, 'other.yaml'));
    const result = await down(s.kubeconfig, env);
    expect(result).toEqual({ kubeconfig: s.kubeconfig, members: ['a', 'b'], removedKubeconfig: true });
    expect([s.etcd.process, ...s.members.flatMap((m) => m.processes)].some(isRunning)).toBe(false);
    expect(existsSync(s.dir)).toBe(false);
    expect(existsSync(s.kubeconfig)).toBe(false);
    // The set next to it is untouched.
    expect(isRunning(other.etcd.process)).toBe(true);
    expect(readState(other.dir)).toBeDefined();
  });

  it('leaves a kubeconfig alone that was changed after up wrote it', async () => {
    const s = fakeSet(join(tmp, 'kc.yaml'));
    writeFileSync(s.kubeconfig, 'edited by hand\n');
    expect((await down(s.kubeconfig, env))?.removedKubeconfig).toBe(false);
    expect(existsSync(s.kubeconfig)).toBe(true);
  });

  it('reports that nothing belongs to an unknown kubeconfig', async () => {
    expect(await down(join(tmp, 'never.yaml'), env)).toBeUndefined();
  });
});

describe('the reaper', () => {
  it('stops the set when its owner process dies', async () => {
    const owner = sleeper('kwok');
    const s = fakeSet(join(tmp, 'kc.yaml'));
    started.push(startReaper(owner.pid, s.dir));
    process.kill(owner.pid, 'SIGKILL');
    expect(await eventually(() => !existsSync(s.dir))).toBe(true);
    expect(s.members.flatMap((m) => m.processes).some(isRunning)).toBe(false);
    expect(isRunning(s.etcd.process)).toBe(false);
    expect(existsSync(s.kubeconfig)).toBe(false);
  });

  it('quits by itself once the set is stopped normally', async () => {
    const s = fakeSet(join(tmp, 'kc.yaml'));
    const reaper = startReaper(process.pid, s.dir);
    started.push(reaper);
    rmSync(s.dir, { recursive: true, force: true });
    expect(await eventually(() => !isRunning(reaper))).toBe(true);
  });
});

describe('up refuses', () => {
  const binaries = { paths: { etcd: SLEEP, 'kube-apiserver': SLEEP }, searched: [] };

  it('to overwrite a kubeconfig it did not write', async () => {
    const kubeconfig = join(tmp, 'mine.yaml');
    writeFileSync(kubeconfig, 'precious\n');
    await expect(up({ kubeconfig, binaries, env })).rejects.toThrow(/was not written by gitfed dev/);
  });

  it('to start a second set over a running one', async () => {
    mkdirSync(join(tmp, 'state'), { recursive: true });
    const s = fakeSet(join(tmp, 'kc.yaml'));
    await expect(up({ kubeconfig: s.kubeconfig, binaries, env })).rejects.toThrow(/already running/);
    expect(isRunning(s.etcd.process)).toBe(true);
  });
});
