/**
 * Seed example 2 on two members of our own with the real kube-scheduler and kwok nodes of fixed
 * capacity: on-prem has one 2-CPU node (4 replicas of 500m fill it), burst plenty. A fleet repo
 * made from examples/overflow; helpers that read its branches and the members. Shared by the
 * state e2e tests (test/e2e/state) and the benchmark (bench/state/run.ts).
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { findBinaries, stopSet, up, type DevState } from '../../src/dev/index.js';
import { kwokNode } from '../../src/dev/kwok-node.js';


const run = promisify(execFile);
const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' };
export const WEB = 'apps/Deployment/shop/web';
/** From the repository's root, where the e2e tests and `npm run bench:state` run. */
const OVERFLOW_EXAMPLE = resolve('examples/overflow');

/** Polls until `probe` gives a value; throws after `timeoutMs`, with the last error. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const got = await probe();
      if (got !== undefined) return got;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function kubectlBinary(): string {
  const path = findBinaries().paths.kubectl;
  if (!path) throw new Error('kubectl not found; run npm run controlplane or set KUBEBUILDER_ASSETS');
  return path;
}

export class OverflowFleet {
  private constructor(readonly dir: string, readonly kubeconfig: string, readonly repo: string, readonly set: DevState) {}

  /** Starts the members and makes the fleet repo (commit "Shop on-prem, overflow to burst"). */
  static async start(prefix: string, log: (line: string) => void): Promise<OverflowFleet> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    const kubeconfig = join(dir, 'kubeconfig');
    const set = await up({ kubeconfig, names: ['onprem', 'burst'], workloads: ['onprem', 'burst'], ownerPid: process.pid, log });
    const f = new OverflowFleet(dir, kubeconfig, join(dir, 'fleet'), set);
    // On-prem: one 2-CPU node instead of the default 32-CPU one, so 4 replicas of 500m fill it.
    await f.addNode('onprem', 'onprem-small', '2');
    await f.kubectl('onprem', ['delete', 'node', 'kwok-node-0']);
    await cp(OVERFLOW_EXAMPLE, f.repo, { recursive: true });
    await f.git('init', '-q', '-b', 'main');
    await f.git('add', '-A');
    await f.git('commit', '-qm', 'Shop on-prem, overflow to burst');
    return f;
  }

  async stop(): Promise<void> {
    await stopSet(this.set);
    await rm(this.dir, { recursive: true, force: true });
  }

  async git(...args: string[]): Promise<string> {
    return (await run('git', args, { cwd: this.repo, env })).stdout.trim();
  }

  async kubectl(member: string, args: string[], input?: string): Promise<string> {
    const p = run(kubectlBinary(), ['--kubeconfig', this.kubeconfig, '--context', member, ...args]);
    if (input !== undefined) p.child.stdin!.end(input);
    return (await p).stdout;
  }

  /** Edits a source file and commits it. */
  async commitSource(file: string, edit: (text: string) => string, message: string): Promise<string> {
    const path = join(this.repo, file);
    await writeFile(path, edit(await readFile(path, 'utf8').catch(() => '')));
    await this.git('add', file);
    await this.git('commit', '-qm', message);
    return this.git('rev-parse', 'HEAD');
  }

  /** Subjects of a branch's commits, newest first ([] when it does not exist). */
  async subjects(branch: string): Promise<string[]> {
    const known = await this.git('rev-parse', '--verify', '-q', branch).catch(() => '');
    return known ? (await this.git('log', '--format=%s', branch)).split('\n') : [];
  }

  async stateOf(member: string, branch = 'fleet-state'): Promise<{ desired: number; ready: number; pending: number; fit: number } | undefined> {
    const text = await this.git('show', `${branch}:members/${member}.json`).catch(() => undefined);
    return text === undefined ? undefined : JSON.parse(text).workloads[WEB];
  }

  /** shop/web's replicas in a cluster's directory of a rendered commit; undefined when not there. */
  async rendered(cluster: string, rev = 'rendered'): Promise<number | undefined> {
    const files = (await this.git('ls-tree', '-r', '--name-only', rev)).split('\n');
    const web = files.find((f) => f.startsWith(`clusters/${cluster}/`) && /deployments?.*web/.test(f));
    return web === undefined ? undefined : Number(/replicas: (\d+)/.exec(await this.git('show', `${rev}:${web}`))![1]);
  }

  async deployment(member: string): Promise<{ replicas: number; ready: number }> {
    const d = JSON.parse(await this.kubectl(member, ['get', 'deployment', 'web', '-n', 'shop', '-o', 'json']));
    return { replicas: d.spec.replicas ?? 0, ready: d.status.readyReplicas ?? 0 };
  }

  async addNode(member: string, name: string, cpu: string): Promise<void> {
    const capacity = { cpu, memory: '16Gi', pods: '110' };
    await this.kubectl(member, ['create', '-f', '-'], JSON.stringify({ ...kwokNode(name), status: { capacity, allocatable: capacity } }));
    await eventually(`node ${name} Ready`, async () => ((await this.kubectl(member, ['get', 'node', name, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])) === 'True' ? true : undefined), 60_000);
  }

  /**
   * Takes on-prem's room away from under a running replica: a pod of someone else's bound to the
   * node (past the scheduler) takes 500m, and one web pod is deleted; its replacement cannot be
   * placed and stays Pending. Returns when the deletion was sent.
   */
  async squeezeOnprem(): Promise<void> {
    const filler = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'filler', namespace: 'default' }, spec: { nodeName: 'onprem-small', containers: [{ name: 'c', image: 'filler', resources: { requests: { cpu: '500m' } } }] } };
    await this.kubectl('onprem', ['create', '-f', '-'], JSON.stringify(filler));
    const pod = (await this.kubectl('onprem', ['get', 'pods', '-n', 'shop', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
    await this.kubectl('onprem', ['delete', 'pod', '-n', 'shop', pod, '--wait=false']);
  }

  /** Gives the room back: the filler goes, the Pending replica is placed. */
  async releaseOnprem(): Promise<void> {
    await this.kubectl('onprem', ['delete', 'pod', '-n', 'default', 'filler', '--wait=false']);
  }
}
