/**
 * The rollout e2e tests' fleet: the run's three members plus three more on one shared etcd, in
 * three waves. The run's second member runs no scheduler, so a Deployment there never becomes
 * Available: the canary that fails.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stopSet, up, type DevState } from '../../../src/dev/index.js';
import { parseConfig } from '../../../src/render/config.js';
import { resolveWaves, type FailurePolicy, type ResolvedWave } from '../../../src/rollout/policy.js';
import { configMap, deployment, everywhere, gitBranch, memberKubeconfig, memberNames, namespace } from '../apply/fixtures.js';
import { controlPlaneBinary } from '../support/members.js';

export interface SixMembers {
  readonly members: readonly string[];
  /** Wave name -> its members, in wave order. */
  readonly waves: Readonly<Record<'canary' | 'two' | 'three', readonly string[]>>;
  readonly policy: { readonly waves: ResolvedWave[]; readonly failurePolicy: FailurePolicy };
  /** A kubeconfig with a context per member. */
  readonly kubeconfig: string;
  readonly repo: ReturnType<typeof gitBranch>;
  kubectl(member: string, ...args: string[]): string;
  /** The `version` of the ConfigMap `app` the member holds ('' when none). */
  version(member: string): string;
  /** Commits to the rendered branch: a ConfigMap `app` with this version (and more objects) on every member. */
  commit(v: string, more?: ReturnType<typeof deployment>[]): string;
  stop(): Promise<void>;
}

/**
 * Starts the three extra members (named `<prefix>-a|b|c`) and writes the kubeconfig into `dir`.
 * `canaryTimeout`: in the pointer mode it also holds the consumer's apply.
 */
export async function sixMembers(dir: string, prefix: string, ns: string, extraWave = '', canaryTimeout = '6s'): Promise<SixMembers> {
  const [m1, m2, m3] = memberNames() as [string, string, string];
  const extra = ['a', 'b', 'c'].map((s) => `${prefix}-${s}`);
  const waves = { canary: [m2], two: [m1, m3], three: extra };
  const members = [m2, m1, m3, ...extra];
  const own = path.join(dir, 'extra.kubeconfig');
  const kubeconfig = path.join(dir, 'all.kubeconfig');
  const state: DevState = await up({ kubeconfig: own, names: extra, workloads: [], ownerPid: process.pid });
  fs.writeFileSync(kubeconfig, execFileSync(controlPlaneBinary('kubectl'), ['config', 'view', '--flatten'], { env: { ...process.env, KUBECONFIG: `${memberKubeconfig()}:${own}` } }));
  const policy = parseConfig(`rollout:
  waves:
  - name: canary
    clusters: [${m2}]
    soak: 2s
    timeout: ${canaryTimeout}
  - name: two
    clusters: [${m1}, ${m3}]
    soak: 2s${extraWave}
  - name: three
    clusters: [${extra.join(', ')}]
    soak: 1s
`).rollout!;
  const repo = gitBranch();
  const kubectl = (member: string, ...args: string[]) => execFileSync(controlPlaneBinary('kubectl'), ['--kubeconfig', kubeconfig, '--context', member, ...args], { encoding: 'utf8' });
  return {
    members,
    waves,
    policy: { waves: resolveWaves(policy, members.map((name) => ({ name }))), failurePolicy: policy.failurePolicy },
    kubeconfig,
    repo,
    kubectl,
    version: (member) => kubectl(member, 'get', 'configmap', '-n', ns, 'app', '-o', 'jsonpath={.data.version}', '--ignore-not-found'),
    commit: (v, more = []) => repo.commit(everywhere([namespace(ns), configMap(ns, 'app', { version: v }), ...more], members), v),
    stop: async () => {
      for (const m of members) kubectl(m, 'delete', 'namespace', ns, '--ignore-not-found', '--wait=false');
      await stopSet(state);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
