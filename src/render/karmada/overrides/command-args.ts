/**
 * @module karmada/overrides/command-args
 * commandOverrider / argsOverrider: append to or remove from the command or args of every
 * container with the given name, for the built-in workload kinds only (`containers`, not
 * initContainers). Remove drops every occurrence of each listed value.
 */
import type { KubeObject } from '../../types.js';
import type { CommandArgsOverrider } from '../model.js';
import { applyPatchOps, type Owned, type PatchOp } from './json-patch.js';

const containersPath: Record<string, string[]> = {
  Pod: ['spec', 'containers'],
  ReplicaSet: ['spec', 'template', 'spec', 'containers'],
  Deployment: ['spec', 'template', 'spec', 'containers'],
  DaemonSet: ['spec', 'template', 'spec', 'containers'],
  Job: ['spec', 'template', 'spec', 'containers'],
  StatefulSet: ['spec', 'template', 'spec', 'containers'],
};

export function applyCommandArgsOverrider(obj: KubeObject, target: 'command' | 'args', ov: CommandArgsOverrider, owned?: Owned): string[] {
  const path = containersPath[obj.kind];
  if (!path) return [];
  const containers = path.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);
  if (!Array.isArray(containers)) return [];
  const ops: PatchOp[] = [];
  containers.forEach((c: Record<string, unknown>, i) => {
    if (c?.name !== ov.containerName) return;
    const current = c[target];
    const values = ov.value ?? [];
    const existing = Array.isArray(current) ? current.map(String) : [];
    let next = existing;
    if (ov.operator === 'add') next = [...existing, ...values];
    else if (ov.operator === 'remove') next = existing.filter((v) => !values.includes(v));
    ops.push({ op: current === undefined || current === null ? 'add' : 'replace', path: `/${path.join('/')}/${i}/${target}`, value: next });
  });
  applyPatchOps(obj, ops, owned);
  return ops.map((o) => `${target} of container ${ov.containerName} (${o.path}) -> ${JSON.stringify(o.value)}`);
}
