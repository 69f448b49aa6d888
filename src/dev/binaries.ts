/**
 * Where the control-plane binaries are. The lookup order is envtest's, so users who already have
 * `setup-envtest` binaries need nothing else: TEST_ASSET_<NAME>, then KUBEBUILDER_ASSETS, then the
 * cache that test/controlplane/build.sh fills, then /usr/local/kubebuilder/bin.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DevError } from '../errors.js';

export const BINARIES = ['etcd', 'kube-apiserver', 'kubectl', 'kube-controller-manager', 'kube-scheduler', 'kwok'] as const;
export type BinaryName = (typeof BINARIES)[number];

/** A member cannot run without these; the others only add controllers and simulated nodes. */
export const REQUIRED: readonly BinaryName[] = ['etcd', 'kube-apiserver'];

export interface Binaries {
  readonly paths: Readonly<Partial<Record<BinaryName, string>>>;
  /** kwok's Stage objects (node and pod lifecycles); kwok simulates nothing without them. */
  readonly kwokStages?: string;
  /** The directories searched, in order, for error messages. */
  readonly searched: readonly string[];
}

/** Files whose content decides the cache directory; build.sh hashes the same list in the same order. */
const KEY_FILES = ['apiserver/go.mod', 'apiserver/go.sum', 'etcd/go.mod', 'etcd/go.sum', 'kwok/go.mod', 'kwok/go.sum'];

/** The repo's test/controlplane directory, from src/dev or dist/src/dev. */
export function controlplaneDir(): string {
  const up = import.meta.url.includes('/dist/') ? '../../../' : '../../';
  return fileURLToPath(new URL(`${up}test/controlplane`, import.meta.url));
}

/** The cache key of a set of Go modules, or undefined when the modules are not there (an npm install). */
export function cacheKey(dir: string = controlplaneDir()): string | undefined {
  const hash = createHash('sha256');
  for (const f of KEY_FILES) {
    const p = join(dir, f);
    if (!existsSync(p)) return undefined;
    hash.update(readFileSync(p));
  }
  return hash.digest('hex').slice(0, 16);
}

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GITFED_CONTROLPLANE_CACHE) return env.GITFED_CONTROLPLANE_CACHE;
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'gitfed', 'controlplane');
}

export function cacheBinDir(env: NodeJS.ProcessEnv = process.env, dir: string = controlplaneDir()): string | undefined {
  const key = cacheKey(dir);
  return key === undefined ? undefined : join(cacheRoot(env), key, 'bin');
}

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** TEST_ASSET_KUBE_APISERVER for kube-apiserver, as envtest names them. */
export function assetVariable(name: BinaryName): string {
  return `TEST_ASSET_${name.toUpperCase().replace(/-/g, '_')}`;
}

export function findBinaries(env: NodeJS.ProcessEnv = process.env, dir: string = controlplaneDir()): Binaries {
  const dirs = [env.KUBEBUILDER_ASSETS, cacheBinDir(env, dir), '/usr/local/kubebuilder/bin'].filter(
    (d): d is string => !!d,
  );
  const paths: Partial<Record<BinaryName, string>> = {};
  for (const name of BINARIES) {
    const explicit = env[assetVariable(name)];
    const found = explicit && executable(explicit) ? explicit : dirs.map((d) => join(d, name)).find(executable);
    if (found) paths[name] = found;
  }
  const stagesCandidates = [env.TEST_ASSET_KWOK_STAGES, ...dirs.map((d) => join(d, 'kwok-stages.yaml'))];
  const kwokStages = stagesCandidates.find((p): p is string => !!p && existsSync(p));
  return { paths, kwokStages, searched: dirs };
}

/** The binaries up needs, or a DevError that says how to get them. */
export function requireBinaries(b: Binaries): Record<'etcd' | 'kube-apiserver', string> {
  const missing = REQUIRED.filter((n) => !b.paths[n]);
  if (missing.length > 0) {
    throw new DevError(
      'BinariesMissing',
      `${missing.join(', ')} not found (searched ${b.searched.join(', ') || 'nothing'}). ` +
        'Run `npm run controlplane` (test/controlplane/build.sh) to build them, or point KUBEBUILDER_ASSETS ' +
        'at a directory with etcd, kube-apiserver and kubectl.',
    );
  }
  return { etcd: b.paths.etcd!, 'kube-apiserver': b.paths['kube-apiserver']! };
}
