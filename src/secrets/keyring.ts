/**
 * @module secrets/keyring
 * Where the apply side finds its age identities, in SOPS's own convention first:
 * `SOPS_AGE_KEY` (identities inline), `SOPS_AGE_KEY_FILE` (a file of them), then
 * `$XDG_CONFIG_HOME/sops/age/keys.txt` when it exists; then the files gitfed-apply.yaml or
 * `--age-key-file` name; and in a cluster, a Secret in the daemon's namespace whose keys ending
 * `.agekey` hold identities (as Flux's `--sops-age-secret` and `decryption.secretRef` do).
 *
 * Read once per process and kept in memory only; read again (at most every 30 s) when a
 * document finds no identity, so a Secret updated with a new key is picked up.
 */
import { createHash, hkdfSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { IdentityError, parseIdentities, type AgeIdentity } from './age-keys.js';
import type { Keyring } from './open.js';

export interface SecretRef {
  readonly name: string;
  /** @default the daemon's namespace (POD_NAMESPACE, or the service account's namespace) */
  readonly namespace?: string;
  /** A context of the default kubeconfig; @default in a cluster its own API server, else the current context */
  readonly context?: string;
}

/** gitfed-apply.yaml `decryption:` and the `--age-key-file` flag. */
export interface DecryptionSettings {
  readonly ageKeyFiles: readonly string[];
  readonly secretRef?: SecretRef;
}

export const NO_DECRYPTION: DecryptionSettings = { ageKeyFiles: [] };

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';
const RELOAD_MS = 30_000;

type Env = Readonly<Record<string, string | undefined>>;

/** SOPS's default identity file (age/keysource.go SopsAgeKeyUserConfigPath). */
function userKeysFile(env: Env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'sops', 'age', 'keys.txt');
}

/** The daemon's namespace, as a pod knows it. */
function ownNamespace(env: Env): string | undefined {
  if (env.POD_NAMESPACE) return env.POD_NAMESPACE;
  try {
    return readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the `data` of a Secret (base64 values), undefined when there is none. Given by the apply
 * side, which owns talking to a cluster; a failure is an Error whose message says why.
 */
export type SecretReader = (namespace: string, name: string, context?: string) => Promise<Record<string, string> | undefined>;

/** The `.agekey` entries of a Secret. */
async function readSecretIdentities(ref: SecretRef, env: Env, readSecret: SecretReader | undefined): Promise<{ source: string; text: string }[]> {
  const namespace = ref.namespace ?? ownNamespace(env);
  if (!namespace) throw new IdentityError(`decryption.secretRef ${ref.name}: no namespace given, and gitfed does not run in a pod (set decryption.secretRef.namespace)`);
  const where = `Secret ${namespace}/${ref.name}`;
  if (!readSecret) throw new IdentityError(`${where}: this command reads no Secret from a cluster; give the identities in a file instead`);
  let data: Record<string, string> | undefined;
  try {
    data = await readSecret(namespace, ref.name, ref.context);
  } catch (err) {
    throw new IdentityError(`${where}: cannot be read: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!data) throw new IdentityError(`${where}: cannot be read (not found)`);
  const secret = { data };
  const entries = Object.entries(secret.data ?? {}).filter(([k]) => k.endsWith('.agekey'));
  if (entries.length === 0) throw new IdentityError(`${where} has no key ending .agekey`);
  return entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => ({ source: `${where} key ${k}`, text: Buffer.from(v, 'base64').toString('utf8') }));
}

/**
 * Reads every source, as SOPS does: one that cannot be read is a problem the keyring keeps (and
 * a document no identity opens reports), not a reason to ignore the others.
 */
export async function loadKeyring(settings: DecryptionSettings, env: Env = process.env, readSecret?: SecretReader): Promise<Keyring> {
  const identities: AgeIdentity[] = [];
  const sources: string[] = [];
  const problems: string[] = [];
  const readFile = (path: string, source: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      throw new IdentityError(`${source}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
  const from = async (source: string, read: () => string | Promise<{ source: string; text: string }[]>) => {
    try {
      const got = await read();
      for (const s of typeof got === 'string' ? [{ source, text: got }] : got) {
        sources.push(s.source);
        identities.push(...(await parseIdentities(s.text, s.source)));
      }
    } catch (err) {
      if (!(err instanceof IdentityError)) throw err;
      problems.push(err.message);
    }
  };
  if (env.SOPS_AGE_KEY !== undefined) await from('SOPS_AGE_KEY', () => env.SOPS_AGE_KEY!);
  if (env.SOPS_AGE_KEY_FILE) await from(`SOPS_AGE_KEY_FILE (${env.SOPS_AGE_KEY_FILE})`, () => readFile(env.SOPS_AGE_KEY_FILE!, 'SOPS_AGE_KEY_FILE'));
  const user = userKeysFile(env);
  if (existsSync(user)) await from(user, () => readFile(user, user));
  for (const f of settings.ageKeyFiles) await from(`age key file ${f}`, () => readFile(f, `age key file ${f}`));
  if (settings.secretRef) await from('decryption.secretRef', () => readSecretIdentities(settings.secretRef!, env, readSecret));
  return problems.length > 0 ? { identities, sources, problem: problems.join('; ') } : { identities, sources };
}

/**
 * The key of the applied-digest of decrypted objects: derived from every identity the keyring
 * holds, so it is secret (a digest of a short password cannot be guessed from the annotation)
 * and stays the same when a document is re-encrypted to other recipients.
 */
export function digestKeyOf(keyring: Keyring): Buffer {
  const material = [...keyring.identities.map((i) => i.secret)].sort().join('\n');
  return Buffer.from(hkdfSync('sha256', material, '', 'gitfed.io/applied-digest', 32));
}

interface Cached {
  readonly keyring: Promise<Keyring>;
  readonly at: number;
}
const cache = new Map<string, Cached>();

/**
 * The process's keyring for these settings, read on first use. `retry` asks for a fresh read
 * when the cached one is older than 30 s (a document found no identity in it).
 */
export function keyringFor(settings: DecryptionSettings, opts: { retry?: boolean; env?: Env; readSecret?: SecretReader } = {}): Promise<Keyring> {
  const env = opts.env ?? process.env;
  const id = createHash('sha256')
    .update(JSON.stringify([settings, env.SOPS_AGE_KEY ?? null, env.SOPS_AGE_KEY_FILE ?? null, env.XDG_CONFIG_HOME ?? null, env.POD_NAMESPACE ?? null]))
    .digest('hex');
  const hit = cache.get(id);
  if (hit && !(opts.retry && Date.now() - hit.at > RELOAD_MS)) return hit.keyring;
  const keyring = loadKeyring(settings, env, opts.readSecret);
  cache.set(id, { keyring, at: Date.now() });
  return keyring;
}
