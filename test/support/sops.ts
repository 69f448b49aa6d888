/**
 * The real sops binary (test/sops/build.sh builds it from the pinned Go module; scripts/test.sh
 * runs that first), and age keys made for a test. Fixtures are encrypted by sops itself, so
 * what gitfed decrypts is what SOPS writes, not what gitfed thinks it writes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';

const ROOT = resolve(import.meta.dirname, '../..');

let path: string | undefined;

/** The binary's path; fails with the command that builds it when it is not there. */
export function sopsBinary(): string {
  if (path) return path;
  const p = execFileSync('bash', [join(ROOT, 'test/sops/build.sh'), '--print-path'], { encoding: 'utf8' }).trim();
  if (!existsSync(p)) throw new Error(`the sops binary is not built: run bash test/sops/build.sh (scripts/test.sh does) [${p}]`);
  return (path = p);
}

export interface AgeKey {
  readonly identity: string;
  readonly recipient: string;
}

export async function newAgeKey(): Promise<AgeKey> {
  const identity = await generateIdentity();
  return { identity, recipient: await identityToRecipient(identity) };
}

/** An environment for sops without the caller's own keys or config. */
function sopsEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, SOPS_DISABLE_VERSION_CHECK: '1', XDG_CONFIG_HOME: join(tmpdir(), 'gitfed-no-sops-config'), ...extra };
  return env;
}

/** Runs sops on a file holding `text` (named `name`) and returns what sops writes to stdout. */
function run(args: readonly string[], text: string, env: Record<string, string> = {}, name = 'secret.yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'gitfed-sops-'));
  try {
    const file = join(dir, name);
    writeFileSync(file, text);
    return execFileSync(sopsBinary(), [...args, file], { encoding: 'utf8', env: sopsEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `sops encrypt` for age recipients, values only (Flux's convention) unless `regex` says otherwise. */
export function sopsEncrypt(plain: string, recipients: readonly string[], opts: { regex?: string | null; macOnlyEncrypted?: boolean } = {}): string {
  // --mac-only-encrypted is a global flag: it stands before the command.
  const args = [...(opts.macOnlyEncrypted ? ['--mac-only-encrypted'] : []), 'encrypt', '--age', recipients.join(',')];
  if (opts.regex !== null) args.push('--encrypted-regex', opts.regex ?? '^(data|stringData)$');
  return run(args, plain);
}

/** `sops decrypt` with these identities: the reference for what gitfed must get. */
export function sopsDecrypt(encrypted: string, identities: readonly string[]): string {
  return run(['decrypt'], encrypted, { SOPS_AGE_KEY: identities.join('\n') });
}

/**
 * `sops rotate`: a new data key, every value re-encrypted, recipients added or removed; needs an
 * identity that opens the file now.
 */
export function sopsRotate(encrypted: string, identity: string, change: { add?: readonly string[]; remove?: readonly string[] }): string {
  const args = ['rotate'];
  if (change.add?.length) args.push('--add-age', change.add.join(','));
  if (change.remove?.length) args.push('--rm-age', change.remove.join(','));
  return run(args, encrypted, { SOPS_AGE_KEY: identity });
}
