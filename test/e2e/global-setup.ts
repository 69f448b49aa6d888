/**
 * Starts the e2e members once per test run: one etcd and member1..member3, each with its own
 * kube-apiserver and kube-controller-manager; member1 also runs kube-scheduler and kwok. The
 * kubeconfig path reaches tests as inject('gitfedKubeconfig') and $GITFED_E2E_KUBECONFIG.
 *
 * Everything is stopped by the returned teardown; if this process dies without it (Ctrl-C, a
 * crash, SIGKILL) the reaper started by `up` stops the members within a second or so.
 * USE_EXISTING_CLUSTER=true skips all of it and uses $KUBECONFIG's contexts as members.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { allProcesses, killNow, stopSet, up } from '../../src/dev/index.js';
import { KUBECONFIG_ENV } from './support/provided.js';

const E2E_MEMBERS = ['member1', 'member2', 'member3'];

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env.USE_EXISTING_CLUSTER === 'true') {
    const kubeconfig = process.env.KUBECONFIG;
    if (!kubeconfig) throw new Error('USE_EXISTING_CLUSTER=true needs KUBECONFIG naming a file with one context per member');
    project.provide('gitfedKubeconfig', kubeconfig);
    process.env[KUBECONFIG_ENV] = kubeconfig;
    return undefined;
  }

  const dir = mkdtempSync(join(tmpdir(), 'gitfed-e2e-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const state = await up({
    kubeconfig,
    names: E2E_MEMBERS,
    workloads: ['member1'],
    ownerPid: process.pid,
    log: (line) => process.stderr.write(`[e2e members] ${line}\n`),
  }).catch((e: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });

  // 'exit' handlers run on process.exit() too, where the async teardown never does.
  const onExit = () => {
    killNow(allProcesses(state));
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  project.provide('gitfedKubeconfig', kubeconfig);
  process.env[KUBECONFIG_ENV] = kubeconfig;

  return async () => {
    process.off('exit', onExit);
    await stopSet(state);
    rmSync(dir, { recursive: true, force: true });
  };
}
