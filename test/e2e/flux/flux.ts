/**
 * Real Flux for the e2e tests: source-controller and kustomize-controller, built from the pinned
 * Go modules by test/flux/build.sh, run as local processes out of cluster against a management
 * cluster that serves Flux's CRDs. They reach the cluster through KUBECONFIG (neither has a
 * --kubeconfig flag), run without leader election, and bind every port on loopback at a free
 * port: source-controller serves its artifacts at 127.0.0.1:<port> and advertises that address,
 * which is where kustomize-controller downloads them from.
 *
 * The processes are stopped by stop(), by this process's exit, and, if this process is killed
 * outright, by a watchdog that outlives it only to kill them.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePorts } from '../../../src/dev/ports.js';
import type { KubeClient } from '../../../src/apply/member/kube-client.js';
import type { KubeObject } from '../../../src/object.js';
import { startGitHttpServer, type GitHttpServer } from '../../support/git-http.js';
import { installCrdFiles } from '../support/crds.js';
import { clientFor, singleContext, startExtraClusters, type ExtraClusters } from '../support/management.js';
import { memberKubeconfig } from '../support/members.js';

export const FLUX_NAMESPACE = 'flux-system';
const BINARIES = ['source-controller', 'kustomize-controller'] as const;

/** Where test/flux/build.sh put the controllers and crds.yaml; a clear error if it has not run. */
export function fluxBinDir(): string {
  const dir = execFileSync('bash', [path.resolve('test/flux/build.sh'), '--print-bin-dir'], { encoding: 'utf8' }).trim();
  const missing = [...BINARIES, 'crds.yaml'].filter((f) => !fs.existsSync(path.join(dir, f)));
  if (missing.length) throw new Error(`Flux is not built (${missing.join(', ')} missing in ${dir}): run bash test/flux/build.sh`);
  return dir;
}

export interface Flux {
  /** Both controllers' logs, for a failure message. */
  logs(): string;
  stop(): Promise<void>;
}

// Kills the controllers' process groups once the test process is gone, whatever killed it.
const WATCHDOG = `
const owner = Number(process.argv[1]), pids = process.argv.slice(2).map(Number);
const alive = (p) => { try { process.kill(p, 0); return true; } catch { return false; } };
setInterval(() => {
  if (!pids.some(alive)) process.exit(0);
  if (alive(owner)) return;
  for (const p of pids) { try { process.kill(-p, 'SIGKILL'); } catch {} }
  process.exit(0);
}, 500);
`;

/** Installs Flux's CRDs (from the same build) on the management cluster, and the namespace. */
export async function installFlux(api: KubeClient): Promise<string[]> {
  const names = await installCrdFiles(api, [path.join(fluxBinDir(), 'crds.yaml')]);
  await api.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: FLUX_NAMESPACE } } });
  return names;
}

/** Starts both controllers against the cluster of `kubeconfig` and waits until both are ready. */
export async function startFlux(dir: string, kubeconfig: string): Promise<Flux> {
  const bin = fluxBinDir();
  const [storage, ...probes] = await freePorts(5) as [number, number, number, number, number];
  // source-controller refuses a storage path that does not exist.
  fs.mkdirSync(path.join(dir, 'artifacts'), { recursive: true });
  const env = { PATH: process.env.PATH, HOME: dir, TMPDIR: dir, KUBECONFIG: kubeconfig, RUNTIME_NAMESPACE: FLUX_NAMESPACE };
  const common = (metrics: number, health: number) => [
    `--metrics-addr=127.0.0.1:${metrics}`, `--health-addr=127.0.0.1:${health}`, '--enable-leader-election=false',
    '--events-addr=', '--log-encoding=console', '--log-level=info',
    // A failed reconcile (a branch gitfed has not made yet) is retried with a backoff that
    // grows to 15 minutes by default; a test waits seconds, not minutes.
    '--max-retry-delay=2s',
  ];
  const specs = [
    { name: 'source-controller', health: probes[1], args: [...common(probes[0], probes[1]), `--storage-path=${path.join(dir, 'artifacts')}`, `--storage-addr=127.0.0.1:${storage}`, `--storage-adv-addr=127.0.0.1:${storage}`] },
    { name: 'kustomize-controller', health: probes[3], args: [...common(probes[2], probes[3]), '--requeue-dependency=2s'] },
  ];
  const children: { name: string; log: string; child: ChildProcess }[] = [];
  const killAll = (sig: NodeJS.Signals) => {
    for (const { child } of children) {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    }
  };
  const onExit = () => killAll('SIGKILL');
  process.once('exit', onExit);
  const logs = () => children.map((c) => `--- ${c.name}\n${tail(c.log)}`).join('\n');
  const stop = async () => {
    process.off('exit', onExit);
    killAll('SIGTERM');
    const deadline = Date.now() + 10_000;
    while (children.some((c) => c.child.exitCode === null && c.child.signalCode === null) && Date.now() < deadline) await sleep(100);
    killAll('SIGKILL');
  };
  try {
    for (const s of specs) {
      const log = path.join(dir, `${s.name}.log`);
      const fd = fs.openSync(log, 'a');
      const child = spawn(path.join(bin, s.name), s.args, { detached: true, stdio: ['ignore', fd, fd], env });
      fs.closeSync(fd);
      child.on('error', () => {});
      children.push({ name: s.name, log, child });
    }
    const watchdog = spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), ...children.map((c) => String(c.child.pid))], { detached: true, stdio: 'ignore' });
    watchdog.unref();
    for (const [i, s] of specs.entries()) await ready(children[i]!, s.health!);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${logs()}`);
  }
  return { logs, stop };
}

export interface FluxSetup {
  /** Admin client of the management cluster Flux runs against. */
  readonly api: KubeClient;
  readonly flux: Flux;
  /** The URL Flux fetches `repo` (a directory under the served root) from. */
  url(repo: string): string;
  stop(): Promise<void>;
}

/**
 * Everything a Flux test needs beside the members: a management cluster of its own (one more
 * kube-apiserver, so the shared members never serve Flux's kinds) with Flux's CRDs and
 * namespace, both controllers running against it, and a git server for the repositories under
 * `gitRoot`. Whatever was started is stopped again if a later step fails.
 */
export async function startFluxSetup(dir: string, gitRoot: string): Promise<FluxSetup> {
  let clusters: ExtraClusters | undefined;
  let flux: Flux | undefined;
  let git: GitHttpServer | undefined;
  const stop = async () => {
    await flux?.stop();
    await git?.close();
    await clusters?.stop();
  };
  try {
    clusters = await startExtraClusters(dir, 'flux', []);
    const api = await clientFor(clusters.management, 'flux');
    await installFlux(api);
    const home = path.join(dir, 'flux');
    fs.mkdirSync(home, { recursive: true });
    flux = await startFlux(home, clusters.management);
    git = await startGitHttpServer(gitRoot);
    const served = git.url;
    return { api, flux, url: (repo) => `${served}/${path.relative(gitRoot, repo)}`, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function ready(c: { name: string; child: ChildProcess }, port: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (c.child.exitCode !== null || c.child.signalCode !== null) throw new Error(`${c.name} exited (${c.child.exitCode ?? c.child.signalCode})`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${c.name} not ready on 127.0.0.1:${port} after 120s`);
    await sleep(250);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The Secret a Kustomization's `kubeConfig.secretRef` names: the member's context alone, under `value`. */
export function memberKubeconfigSecret(name: string, member: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: FLUX_NAMESPACE }, stringData: { value: singleContext(memberKubeconfig(), member) } };
}

const PLURALS: Record<string, string> = { GitRepository: 'gitrepositories', Kustomization: 'kustomizations', Secret: 'secrets' };

function collection(o: Pick<KubeObject, 'apiVersion' | 'kind'>, namespace: string): string {
  const plural = PLURALS[o.kind];
  if (!plural) throw new Error(`no plural known for ${o.kind}`);
  return `${o.apiVersion.includes('/') ? '/apis' : '/api'}/${o.apiVersion}/namespaces/${namespace}/${plural}`;
}

/** Creates an object in flux-system, unknown fields refused (so a snippet's typo fails the test). */
export async function create(api: KubeClient, o: KubeObject): Promise<void> {
  await api.request('POST', collection(o, o.metadata.namespace ?? FLUX_NAMESPACE), { body: o, query: { fieldValidation: 'Strict' } });
}

export interface FluxStatus {
  metadata: { generation?: number };
  status?: {
    observedGeneration?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    artifact?: { revision?: string };
    lastAppliedRevision?: string;
  };
}

export async function get(api: KubeClient, kind: 'GitRepository' | 'Kustomization', name: string): Promise<FluxStatus> {
  const apiVersion = kind === 'GitRepository' ? 'source.toolkit.fluxcd.io/v1' : 'kustomize.toolkit.fluxcd.io/v1';
  return (await api.request<FluxStatus>('GET', `${collection({ apiVersion, kind }, FLUX_NAMESPACE)}/${name}`)).body;
}

/** What `flux reconcile source git NAME` does: ask for a reconcile now instead of at the next interval. */
export async function requestReconcile(api: KubeClient, name: string): Promise<void> {
  const at = new Date().toISOString();
  await api.request('PATCH', `${collection({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository' }, FLUX_NAMESPACE)}/${name}`, {
    body: { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': at } } },
    contentType: 'application/merge-patch+json',
  });
}

/** A condition's status and message, for assertions and failure messages. */
export function condition(o: FluxStatus, type = 'Ready'): string {
  const c = o.status?.conditions?.find((x) => x.type === type);
  return c ? `${c.status} ${c.reason ?? ''}: ${c.message ?? ''}` : 'none';
}
