/** `gitfed version`: what is installed, for bug reports and for scripts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { controlplaneDir } from '../../src/dev/binaries.js';
import { VERSION } from '../../src/version.js';
import { checkFormat } from './kubefedctl.js';

export interface VersionInfo {
  readonly gitfed: string;
  readonly node: string;
  readonly platform: string;
  /** The versions `gitfed dev` builds (test/controlplane/*\/go.mod); absent where those files are not installed. */
  readonly controlplane?: { readonly kubernetes?: string; readonly etcd?: string; readonly kwok?: string };
}

const PINS = { kubernetes: ['apiserver', 'k8s.io/kubernetes'], etcd: ['etcd', 'go.etcd.io/etcd/server/v3'], kwok: ['kwok', 'sigs.k8s.io/kwok'] } as const;

function pinned(dir: string, module: string): string | undefined {
  try {
    const mod = readFileSync(join(controlplaneDir(), dir, 'go.mod'), 'utf8');
    return new RegExp(`^\\s*${module.replace(/[.]/g, '\\.')} (v\\S+)`, 'm').exec(mod)?.[1];
  } catch {
    return undefined;
  }
}

export function versionInfo(): VersionInfo {
  const controlplane = Object.fromEntries(
    Object.entries(PINS).flatMap(([name, [dir, module]]) => {
      const v = pinned(dir, module);
      return v ? [[name, v]] : [];
    }),
  );
  return {
    gitfed: VERSION,
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
    ...(Object.keys(controlplane).length ? { controlplane } : {}),
  };
}

export function formatVersion(v: VersionInfo): string {
  const lines = [`gitfed ${v.gitfed}`, `node ${v.node} (${v.platform})`];
  const cp = v.controlplane;
  if (cp) lines.push(`gitfed dev builds: ${Object.entries(cp).map(([k, x]) => `${k} ${x}`).join(', ')}`);
  return lines.join('\n') + '\n';
}

export function register(program: Command): void {
  program
    .command('version')
    .description('print the versions of gitfed, Node.js and the Kubernetes components gitfed dev builds')
    .option('-o, --format <format>', 'text | json', 'text')
    .action((f: { format: string }) => {
      const format = checkFormat(f.format);
      const v = versionInfo();
      process.stdout.write(format === 'json' ? JSON.stringify(v, null, 2) + '\n' : formatVersion(v));
    });
}
