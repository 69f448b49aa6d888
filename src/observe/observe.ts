/**
 * @module observe/observe
 * `gitfed observe`: read every member of the fleet once, decide per member whether what changed
 * matters (state/hysteresis), and commit the changed documents to the state branch in one commit
 * whose message says what changed. Members are read in parallel; one that does not answer is
 * recorded as not ready and never stops the others.
 */
import { KubeClient, loadKubeConfig } from '../apply/member/kube-client.js';
import { commitState, readStateHead } from '../git/state-branch.js';
import { readSourceAt } from '../git/source.js';
import { fleetPathFilter } from '../render-revision.js';
import { CONFIG_FILE, parseConfig } from '../render/config.js';
import { isFleetPath } from '../render/fleet-paths.js';
import { readInventory } from '../render/inventory.js';
import { loadFile } from '../render/load.js';
import type { SourceObject } from '../render/types.js';
import { decide, stateCommitMessage, type Observation, type Rising } from '../state/hysteresis.js';
import { DEFAULT_STATE_BRANCH, type MemberState } from '../state/model.js';
import { observeMember } from './member.js';
import { readRising, writeRising } from './rising-memory.js';
import { federatedWorkloads } from './workloads.js';

export interface ObserveOptions {
  /** The fleet repo: its source says which members and workloads; the state branch is committed here. */
  readonly repo: string;
  /** Source revision. @default 'HEAD' */
  readonly ref?: string;
  /** @default 'fleet-state' */
  readonly branch?: string;
  readonly kubeconfig?: string;
  /** Seconds a member's document must stand before a change for the better is committed. @default 60 */
  readonly dwellSeconds?: number;
  /** How many more replicas must fit before a rise counts. @default 1 */
  readonly band?: number;
  /** The clock (unix seconds), for tests. */
  readonly now?: () => number;
  /** Per request. @default 10000 */
  readonly timeoutMs?: number;
  /**
   * Connections kept between observations (the daemon's loop): a member's client is taken from
   * here, or made and put here, and left open. Without it each client is closed at the end.
   */
  readonly clients?: Map<string, KubeClient>;
  /** A kubeconfig already loaded (the daemon's), instead of `kubeconfig`. */
  readonly kubeConfig?: ReturnType<typeof loadKubeConfig>;
}

export interface MemberReport {
  readonly cluster: string;
  readonly ready: boolean;
  readonly committed: boolean;
  /** API requests this observation made to the member. */
  readonly requests: number;
  readonly error?: string;
}

export interface ObserveResult {
  readonly branch: string;
  /** The source commit whose inventory and workloads were observed. */
  readonly source: string;
  readonly previous: string | null;
  readonly head: string | null;
  readonly committed: boolean;
  readonly changes: readonly string[];
  readonly held: readonly string[];
  readonly members: readonly MemberReport[];
}

export async function observe(opts: ObserveOptions): Promise<ObserveResult> {
  const branch = opts.branch ?? DEFAULT_STATE_BRANCH;
  const now = (opts.now ?? (() => Date.now() / 1000))();
  const { head, state } = await readStateHead(opts.repo, branch);
  const seen = await readRising(opts.repo, branch);
  const src = await readSourceAt({ dir: opts.repo, ref: opts.ref ?? 'HEAD', filter: fleetPathFilter });
  const config = parseConfig(src.files.get(CONFIG_FILE));
  const objects: SourceObject[] = [];
  for (const [path, text] of src.files) if (path !== CONFIG_FILE && isFleetPath(path, config.exclude)) objects.push(...loadFile(path, text).objects);
  const clusters = readInventory(objects).clusters;
  const workloads = federatedWorkloads(objects);
  const kc = opts.kubeConfig ?? loadKubeConfig(opts.kubeconfig);

  const observed = await Promise.all(clusters.map(async (c) => {
    let client = opts.clients?.get(c.name);
    const before = client?.stats.requests ?? 0;
    try {
      client ??= await KubeClient.connect(kc, c.name, c.context ?? c.name, { timeoutMs: opts.timeoutMs ?? 10_000 });
      opts.clients?.set(c.name, client);
      const o = await observeMember(client, c.name, workloads, now);
      return { o, requests: client.stats.requests - before };
    } catch (err) {
      return { o: { cluster: c.name, ready: false as const, error: (err as Error).message }, requests: (client?.stats.requests ?? 0) - before };
    } finally {
      if (!opts.clients) client?.close();
    }
  }));

  const changed: MemberState[] = [];
  const changes: string[] = [];
  const held: string[] = [];
  const members: MemberReport[] = [];
  const rising: Record<string, Rising> = {};
  for (const { o, requests } of observed) {
    const previous = state.members.get(o.cluster);
    // Unanswered: only readiness is known; the rest stays as last observed.
    const obs: Observation = 'error' in o ? { cluster: o.cluster, ready: false, free: previous?.free ?? {}, workloads: previous?.workloads ?? {} } : o;
    const d = decide(previous, obs, now, { dwellSeconds: opts.dwellSeconds ?? 60, ...(opts.band !== undefined ? { band: opts.band } : {}), rising: seen[o.cluster] ?? {} });
    rising[o.cluster] = d.rising;
    if (d.commit) changed.push(d.state);
    changes.push(...d.changes);
    held.push(...d.held);
    members.push({ cluster: o.cluster, ready: obs.ready, committed: d.commit, requests, ...('error' in o ? { error: o.error } : {}) });
  }
  await writeRising(opts.repo, branch, rising);
  if (changed.length === 0) return { branch, source: src.commit, previous: head, head, committed: false, changes, held, members };
  const r = await commitState({ dir: opts.repo, branch, expected: head, members: changed, message: stateCommitMessage(changes), time: now });
  return { branch, source: src.commit, previous: head, head: r.head, committed: r.committed, changes, held, members };
}
