/**
 * `gitfed dev up`: one etcd and N member control planes on loopback, each with its own etcd
 * prefix, port, credentials and kube-controller-manager; workloads members also run
 * kube-scheduler and kwok so that pods are scheduled and become Ready. The processes outlive
 * the caller; the state file lets `down` and `status` find them from any other process.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DevError } from '../errors.js';
import {
  apiserverArgs,
  controllerManagerArgs,
  etcdArgs,
  kwokArgs,
  memberFiles,
  schedulerArgs,
  type MemberLayout,
} from './args.js';
import { findBinaries, requireBinaries, type Binaries } from './binaries.js';
import { newToken, serviceAccountKeyPem, tokenFileLine, writeSecret } from './credentials.js';
import { parseDuration } from './duration.js';
import { registerFleet, type FleetKind } from './fleet.js';
import { kubeconfigYaml } from './kubeconfig.js';
import { createKwokNode } from './kwok-node.js';
import { freePorts } from './ports.js';
import { isRunning, logTail, startProcess, stopInOrder, type ProcessRecord } from './processes.js';
import { waitApiserver, waitEtcd } from './readiness.js';
import { startReaper } from './reaper.js';
import { allProcesses, readState, stateDirFor, writeState, type DevState, type MemberState } from './state.js';

export interface UpOptions {
  /** The kubeconfig to write; it also names the set for `down` and `status`. */
  readonly kubeconfig: string;
  /** Member names; default member1 … member<members>. */
  readonly names?: readonly string[];
  readonly members?: number;
  /**
   * Members that also run kube-scheduler and kwok, so their pods are scheduled and Deployments
   * roll out; default every member (about 125 MiB more each). [] for none.
   */
  readonly workloads?: readonly string[];
  readonly fleet?: { readonly dir: string; readonly kind: FleetKind };
  readonly binaries?: Binaries;
  /** Default: KUBEBUILDER_CONTROLPLANE_START_TIMEOUT, else 120 s (two cores, several servers). */
  readonly startTimeoutMs?: number;
  /** Stop everything when this process exits (test runs). */
  readonly ownerPid?: number;
  /** Replace a kubeconfig file that gitfed did not write. */
  readonly force?: boolean;
  readonly log?: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

/** How often a start is retried: a free port can be taken between choosing it and binding it. */
const ATTEMPTS = 3;

export function memberNames(o: Pick<UpOptions, 'names' | 'members'>): string[] {
  const names = o.names?.length ? [...o.names] : Array.from({ length: o.members ?? 3 }, (_, i) => `member${i + 1}`);
  const bad = names.find((n) => !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(n));
  if (bad !== undefined) throw new DevError('BadName', `member name "${bad}" is not a DNS label`);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new DevError('BadName', `member name "${dup}" given twice`);
  if (names.length === 0) throw new DevError('BadName', 'no members asked for');
  return names;
}

/**
 * The members that run kube-scheduler and kwok: every one unless told otherwise, so that a
 * Deployment rolls out wherever it is placed; a member without them leaves pods Pending.
 */
export function workloadMembers(names: readonly string[], workloads: readonly string[] | undefined): Set<string> {
  const chosen = new Set(workloads ?? names);
  const stranger = [...chosen].find((w) => !names.includes(w));
  if (stranger !== undefined) throw new DevError('BadName', `workloads: ${stranger} is not a member (members: ${names.join(', ')})`);
  return chosen;
}

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

/** Refuses to start over a running set, and clears the remains of a dead one. */
function claim(kubeconfig: string, dir: string, force: boolean): void {
  const old = readState(dir);
  if (old && allProcesses(old).some(isRunning)) {
    throw new DevError('AlreadyRunning', `members for ${kubeconfig} are already running; stop them with: gitfed dev down --kubeconfig ${kubeconfig}`);
  }
  const oursBefore = old !== undefined && existsSync(kubeconfig) && sha256(readFileSync(kubeconfig)) === old.kubeconfigSha256;
  if (existsSync(kubeconfig) && !oursBefore && !force) {
    throw new DevError('KubeconfigExists', `${kubeconfig} exists and was not written by gitfed dev; pass --force to replace it or choose another file`);
  }
  rmSync(dir, { recursive: true, force: true });
}

export async function up(o: UpOptions): Promise<DevState> {
  const env = o.env ?? process.env;
  const log = o.log ?? (() => {});
  const t0 = Date.now();
  const since = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  const names = memberNames(o);
  const workloads = workloadMembers(names, o.workloads);
  const kubeconfig = resolve(o.kubeconfig);
  const dir = stateDirFor(kubeconfig, env);
  const timeout = o.startTimeoutMs ?? parseDuration(env.KUBEBUILDER_CONTROLPLANE_START_TIMEOUT) ?? 120_000;
  const deadline = t0 + timeout;

  const bins = o.binaries ?? findBinaries(env);
  const required = requireBinaries(bins);
  const kcm = bins.paths['kube-controller-manager'];
  const scheduler = bins.paths['kube-scheduler'];
  const kwok = bins.paths.kwok;
  if (!kcm) log('warning: no kube-controller-manager: namespaces will not finish deleting and nothing is garbage-collected');
  if (workloads.size > 0 && !(scheduler && kwok && bins.kwokStages)) {
    log('warning: no kube-scheduler or kwok (and its stages): pods will stay Pending on every member');
  }

  claim(kubeconfig, dir, o.force ?? false);
  mkdirSync(dir, { recursive: true, mode: 0o700 });

  const started: ProcessRecord[] = [];
  const track = (p: ProcessRecord) => (started.push(p), p);
  let state: DevState | undefined;
  try {
    // etcd first: every member stores into it.
    const etcd = await retry(ATTEMPTS, async () => {
      const [clientPort, peerPort] = await freePorts(2);
      const url = `http://127.0.0.1:${clientPort}`;
      const log = join(dir, 'etcd.log');
      const p = track(startProcess({ role: 'etcd', bin: required.etcd, log, args: etcdArgs({ dataDir: join(dir, 'etcd'), clientPort: clientPort!, peerPort: peerPort! }) }));
      await waitEtcd(url, { deadline, alive: () => isRunning(p), what: 'etcd', diagnose: () => logTail(log) });
      return { url, process: p };
    });
    log(`etcd ready at ${etcd.url} (${since()})`);

    state = { version: 1, kubeconfig, kubeconfigSha256: '', dir, createdAt: new Date().toISOString(), etcd, members: [] };
    writeState(state);
    if (o.ownerPid !== undefined) {
      const r = track(startReaper(o.ownerPid, dir));
      state = { ...state, reaper: { ...r, ownerPid: o.ownerPid } };
      writeState(state);
    }

    // All apiservers at once: on two cores their start-ups overlap well (mostly waiting on etcd).
    const members = await Promise.all(
      names.map((name, i) => startMember({ name, index: i, dir: join(dir, name), etcdUrl: etcd.url, bin: required['kube-apiserver'], deadline, track })),
    );
    log(`${members.length} kube-apiserver(s) ready (${since()})`);

    const withComponents: MemberState[] = members.map((m) => {
      const procs = [...m.processes];
      const layout: MemberLayout = { name: m.name, dir: m.dir, port: m.port, etcdUrl: etcd.url, etcdPrefix: m.etcdPrefix };
      const files = memberFiles(m.dir);
      writeSecret(files.kubeconfig, kubeconfigYaml([m]));
      if (kcm) procs.push(track(startProcess({ role: 'kube-controller-manager', bin: kcm, args: controllerManagerArgs(layout), log: files.log('kube-controller-manager') })));
      const runsWorkloads = workloads.has(m.name) && !!scheduler && !!kwok && !!bins.kwokStages;
      if (runsWorkloads) {
        procs.push(track(startProcess({ role: 'kube-scheduler', bin: scheduler!, args: schedulerArgs(layout), log: files.log('kube-scheduler') })));
        procs.push(track(startProcess({ role: 'kwok', bin: kwok!, args: kwokArgs(layout, bins.kwokStages!), log: files.log('kwok') })));
      }
      return { ...m, workloads: runsWorkloads, processes: procs };
    });
    state = { ...state, members: withComponents };
    writeState(state);

    await Promise.all(
      withComponents
        .filter((m) => m.workloads)
        .map((m) => createKwokNode({ server: m.server, token: m.token, ca: Buffer.from(m.caData, 'base64').toString() }, m.name, deadline)),
    );

    const text = kubeconfigYaml(withComponents);
    mkdirSync(dirname(kubeconfig), { recursive: true });
    writeSecret(kubeconfig, text);
    state = { ...state, kubeconfigSha256: sha256(text) };
    writeState(state);
    if (o.fleet) {
      const files = registerFleet(o.fleet.dir, withComponents, o.fleet.kind);
      log(`registered in ${o.fleet.dir}: ${files.join(', ')}`);
    }
    log(`${names.length} member(s) ready in ${since()}; kubeconfig ${kubeconfig}`);
    return state;
  } catch (e) {
    await stopInOrder(started);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

interface StartMember {
  readonly name: string;
  readonly index: number;
  readonly dir: string;
  readonly etcdUrl: string;
  readonly bin: string;
  readonly deadline: number;
  readonly track: (p: ProcessRecord) => ProcessRecord;
}

type StartedMember = Omit<MemberState, 'workloads'>;

async function startMember(s: StartMember): Promise<StartedMember> {
  const files = memberFiles(s.dir);
  mkdirSync(files.certDir, { recursive: true, mode: 0o700 });
  const token = newToken();
  writeSecret(files.saKey, serviceAccountKeyPem());
  writeSecret(files.tokens, tokenFileLine(token));
  // The index keeps prefixes distinct even for names that are prefixes of each other.
  const etcdPrefix = `/gitfed-dev/${s.index}-${s.name}/registry`;
  return retry(ATTEMPTS, async () => {
    const [port] = await freePorts(1);
    const layout: MemberLayout = { name: s.name, dir: s.dir, port: port!, etcdUrl: s.etcdUrl, etcdPrefix };
    const log = files.log('kube-apiserver');
    const p = s.track(startProcess({ role: 'kube-apiserver', bin: s.bin, args: apiserverArgs(layout), log }));
    const server = `https://127.0.0.1:${port}`;
    try {
      await waitApiserver({ server, token }, { deadline: s.deadline, alive: () => isRunning(p), what: `${s.name} kube-apiserver`, diagnose: () => logTail(log) });
    } catch (e) {
      if (e instanceof DevError) throw new DevError(e.code, e.message, { cluster: s.name }, { cause: e });
      throw e;
    }
    const caData = readFileSync(files.servingCert).toString('base64');
    return { name: s.name, server, port: port!, etcdPrefix, token, caData, dir: s.dir, processes: [p] };
  });
}

/** Retries only starts whose process died early (a port taken meanwhile); timeouts are final. */
async function retry<T>(attempts: number, f: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await f();
    } catch (e) {
      if (i >= attempts || !(e instanceof DevError) || e.code !== 'StartFailed' || !/address already in use/.test(e.message)) throw e;
    }
  }
}

/** For `--names`: "a,b,c". */
export function parseNames(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}
