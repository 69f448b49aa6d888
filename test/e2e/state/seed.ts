/**
 * Seed example 2's members for the state tests: on-prem and burst with the real scheduler, on-prem
 * with one kwok node of 2 CPUs (4 replicas of shop/web's 500m fill it), and examples/overflow
 * committed as the fleet repo.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { stopSet, up, type DevState } from '../../../src/dev/index.js';
import { kwokNode } from '../../../src/dev/kwok-node.js';
import type { WorkloadState } from '../../../src/state/model.js';
import { eventually } from '../support/wait.js';
import { harness, type Harness } from './harness.js';

export interface Seed {
  readonly dir: string;
  readonly kubeconfig: string;
  readonly repo: string;
  readonly set: DevState;
}

/** A kwok node of `cpu` CPUs on `member`, Ready. */
export async function addNode(h: Pick<Harness, 'kubectl'>, member: string, name: string, cpu: string): Promise<void> {
  const node = kwokNode(name);
  const capacity = { cpu, memory: '16Gi', pods: '110' };
  await h.kubectl(member, ['create', '-f', '-'], JSON.stringify({ ...node, status: { capacity, allocatable: capacity } }));
  await eventually(`node ${name} Ready`, async () => ((await h.kubectl(member, ['get', 'node', name, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])) === 'True' ? true : undefined), 60_000);
}

/** Starts the members and commits the fleet; `into` is called as soon as the paths are known, so the harness can use them. */
export async function seedExample(label: string, h: Pick<Harness, 'kubectl' | 'git'>, into: (s: Omit<Seed, 'set'> & { set?: DevState }) => void): Promise<Seed> {
  const dir = await mkdtemp(join(tmpdir(), `gitfed-${label}-`));
  const kubeconfig = join(dir, 'kubeconfig');
  const repo = join(dir, 'fleet');
  into({ dir, kubeconfig, repo });
  const set = await up({ kubeconfig, names: ['onprem', 'burst'], workloads: ['onprem', 'burst'], ownerPid: process.pid, log: (l) => process.stderr.write(`[${label} members] ${l}\n`) });
  into({ dir, kubeconfig, repo, set });
  // On-prem: one 2-CPU node instead of the default 32-CPU one, so 4 replicas of 500m fill it.
  await addNode(h, 'onprem', 'onprem-small', '2');
  await h.kubectl('onprem', ['delete', 'node', 'kwok-node-0']);
  await cp(new URL('../../../examples/overflow/', import.meta.url).pathname, repo, { recursive: true });
  await h.git('init', '-q', '-b', 'main');
  await h.git('add', '-A');
  await h.git('commit', '-qm', 'Shop on-prem, overflow to burst');
  return { dir, kubeconfig, repo, set };
}

export async function unseed(s: { dir?: string; set?: DevState }): Promise<void> {
  if (s.set) await stopSet(s.set);
  if (s.dir) await rm(s.dir, { recursive: true, force: true });
}

/**
 * A test file's members: started before its tests, stopped after. `seed()` gives the paths and
 * processes once started; `stateOf` reads shop/web in a member's state document.
 */
export function seededSuite(label: string, dwell: number): { h: Harness; seed: () => Seed; stateOf: (member: string) => Promise<WorkloadState> } {
  let s: Partial<Seed> = {};
  const h = harness({ dir: () => s.dir!, repo: () => s.repo!, kubeconfig: () => s.kubeconfig!, dwell });
  beforeAll(async () => {
    await seedExample(label, h, (x) => (s = x));
  }, 300_000);
  afterAll(() => unseed(s), 120_000);
  const stateOf = async (member: string) => JSON.parse(await h.git('show', `fleet-state:members/${member}.json`)).workloads['apps/Deployment/shop/web'] as WorkloadState;
  return { h, seed: () => s as Seed, stateOf };
}
