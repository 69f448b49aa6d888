/**
 * @module fleet-waves
 * The waves of a fleet checkout: its gitfed.yaml's `rollout:` section resolved against its
 * clusters (names and labels), for `gitfed daemon --rollout <fleet>` and the pointer-branch mode.
 */
import { GitfedError } from '../errors.js';
import { CONFIG_FILE, parseConfig } from '../render/config.js';
import { renderFleet } from '../render/render.js';
import { readWorkingTree } from '../workspace/source.js';
import { resolveWaves, type FailurePolicy, type ResolvedWave } from './policy.js';

export async function fleetWaves(fleetDir: string): Promise<{ waves: ResolvedWave[]; failurePolicy: FailurePolicy }> {
  const files = await readWorkingTree(fleetDir);
  const policy = parseConfig(files.get(CONFIG_FILE)).rollout;
  if (!policy) throw new GitfedError('ConfigInvalid', `${fleetDir}/gitfed.yaml has no rollout section`, { file: `${fleetDir}/gitfed.yaml`, hint: 'add rollout.waves (docs/rollout.md)' });
  return { waves: resolveWaves(policy, renderFleet(files).clusters), failurePolicy: policy.failurePolicy };
}
