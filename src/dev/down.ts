/** `gitfed dev down`: stop one set of members and remove everything it left behind. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { allProcesses, readState, stateDirFor, type DevState } from './state.js';
import { stopInOrder, stopProcesses } from './processes.js';

export interface DownResult {
  readonly kubeconfig: string;
  readonly members: readonly string[];
  /** False when the kubeconfig was changed since `up` wrote it: then it is left alone. */
  readonly removedKubeconfig: boolean;
}

/** undefined when no set belongs to that kubeconfig. */
export async function down(kubeconfig: string, env: NodeJS.ProcessEnv = process.env): Promise<DownResult | undefined> {
  const state = readState(stateDirFor(resolve(kubeconfig), env));
  return state ? stopSet(state) : undefined;
}

export async function stopSet(state: DevState): Promise<DownResult> {
  // The reaper first, so it does not race us for the same processes and files.
  await stopProcesses(state.reaper ? [state.reaper] : [], 1_000);
  await stopInOrder(allProcesses(state));
  let removedKubeconfig = false;
  if (existsSync(state.kubeconfig)) {
    const sha = createHash('sha256').update(readFileSync(state.kubeconfig)).digest('hex');
    if (sha === state.kubeconfigSha256) {
      rmSync(state.kubeconfig);
      removedKubeconfig = true;
    }
  }
  rmSync(state.dir, { recursive: true, force: true });
  return { kubeconfig: state.kubeconfig, members: state.members.map((m) => m.name), removedKubeconfig };
}
