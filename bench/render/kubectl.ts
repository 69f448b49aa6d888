/**
 * Finding a kubectl for the kustomize column and running `kubectl kustomize` on one overlay.
 * Order: $KUBECTL, `kubectl` on PATH, the control-plane cache of test/controlplane/build.sh.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { KUSTOMIZE_FLAGS } from './kustomize.js';

export interface Kubectl {
  readonly path: string;
  readonly source: '$KUBECTL' | 'PATH' | 'control-plane cache';
  /** `kubectl version --client` output, one line. */
  readonly version: string;
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function cachedKubectl(repoRoot: string): string | undefined {
  const r = spawnSync('bash', [join(repoRoot, 'test/controlplane/build.sh'), '--print-bin-dir'], { encoding: 'utf8' });
  const dir = r.status === 0 ? r.stdout.trim().split('\n').pop() : undefined;
  return dir && existsSync(join(dir, 'kubectl')) ? join(dir, 'kubectl') : undefined;
}

/** A kubectl with kustomize built in, or undefined (the caller skips the kustomize column). */
export function findKubectl(repoRoot: string): Kubectl | undefined {
  const candidates: [string | undefined, Kubectl['source']][] = [
    [process.env.KUBECTL, '$KUBECTL'],
    [onPath('kubectl'), 'PATH'],
  ];
  // A candidate that does not run, or has no kustomize built in, is passed over.
  for (const [path, source] of candidates) {
    const found = path ? withVersion(path, source) : undefined;
    if (found) return found;
  }
  const cached = cachedKubectl(repoRoot);
  return cached ? withVersion(cached, 'control-plane cache') : undefined;
}

function withVersion(path: string, source: Kubectl['source']): Kubectl | undefined {
  const r = spawnSync(path, ['version', '--client'], { encoding: 'utf8' });
  if (r.status !== 0 || !/Kustomize Version/.test(r.stdout)) return undefined;
  return { path, source, version: r.stdout.trim().split('\n').join(', ') };
}

export interface KustomizeRun {
  readonly ms: number;
  /** User + system CPU of the kubectl process, when GNU time is there to measure it. */
  readonly cpuMs?: number;
  readonly stdout: string;
}

// GNU time reports the child's CPU; wall time alone says little on a machine shared with builds.
const GNU_TIME = '/usr/bin/time';
const CPU_MARK = 'gitfed-bench-cpu';

function cpuOf(stderr: string): number | undefined {
  const m = new RegExp(`^${CPU_MARK} ([0-9.]+) ([0-9.]+)$`, 'm').exec(stderr);
  return m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined;
}

/** One `kubectl kustomize` of one overlay, timed from spawn to exit, as a CI loop would run it. */
export function kustomize(kubectl: string, overlayDir: string): Promise<KustomizeRun> {
  const args = ['kustomize', ...KUSTOMIZE_FLAGS, overlayDir];
  const timed = existsSync(GNU_TIME);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = timed
      ? spawn(GNU_TIME, ['-f', `${CPU_MARK} %U %S`, kubectl, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(kubectl, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      const stderr = Buffer.concat(err).toString();
      if (code !== 0) reject(new Error(`kubectl kustomize ${overlayDir} exited ${code}: ${stderr.trim()}`));
      else {
        const cpuMs = cpuOf(stderr);
        resolve({ ms, ...(cpuMs !== undefined ? { cpuMs } : {}), stdout: Buffer.concat(out).toString() });
      }
    });
  });
}
