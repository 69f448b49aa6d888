/**
 * @module controller/git-credentials
 * Credentials for the fleet's repository, kept out of its URL. HTTPS: a token from a file (a
 * mounted Secret, which kubelet updates in place) or from a Secret read through the API (Flux's
 * keys `username` and `password`, or `bearerToken`). ssh: a deploy key and known_hosts from
 * files, or from a Secret with Flux's keys `identity` and `known_hosts`, copied into a private
 * directory for ssh to read (never into the repository or a log). Read again at each fetch (a
 * Secret at most once a minute), so a rotated token or key is used without a restart.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { GitfedError } from '../errors.js';
import type { GitCredentials, SshCredentials } from '../git/mirror.js';
import type { Management } from './management.js';

/** What hosted git servers take as the user name beside a token (GitHub's; GitLab and Gitea accept any). */
export const DEFAULT_TOKEN_USER = 'x-access-token';

export function tokenFileCredentials(file: string, username = DEFAULT_TOKEN_USER): () => GitCredentials {
  return () => {
    let token: string;
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new GitfedError('FileNotFound', `cannot read the git token: ${(err as Error).message}`, { file });
    }
    return { username, password: token };
  };
}

export function secretCredentials(mgmt: Management, name: string, username = DEFAULT_TOKEN_USER, cacheMs = 60_000): () => Promise<GitCredentials> {
  let cached: { at: number; value: GitCredentials } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < cacheMs) return cached.value;
    const secret = await mgmt.getSecret(name);
    const data = (secret?.data ?? {}) as Record<string, string>;
    const read = (k: string) => (data[k] ? Buffer.from(data[k], 'base64').toString('utf8').trim() : undefined);
    const password = read('password') ?? read('bearerToken') ?? read('token');
    if (!secret || !password) throw new GitfedError('CredentialsFailed', `Secret ${mgmt.namespace}/${name} has no password, bearerToken or token key`, { hint: 'kubectl create secret generic NAME --from-literal=password=TOKEN' });
    cached = { at: Date.now(), value: { username: read('username') ?? username, password } };
    return cached.value;
  };
}

/** A deploy key and known_hosts given as files; each is checked readable at every fetch, so a missing mount is named plainly. */
export function sshFileCredentials(identityFile: string | undefined, knownHostsFile: string | undefined): () => SshCredentials {
  return () => {
    for (const [flag, file] of [['--git-ssh-key-file', identityFile], ['--git-known-hosts-file', knownHostsFile]] as const) {
      if (!file) continue;
      try {
        fs.accessSync(file, fs.constants.R_OK);
      } catch (err) {
        throw new GitfedError('FileNotFound', `cannot read ${flag}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { file });
      }
    }
    return { ...(identityFile ? { identityFile } : {}), ...(knownHostsFile ? { knownHostsFile } : {}) };
  };
}

/** Where a Secret's key is copied for ssh: a directory only this process's user can read, removed at exit. */
function privateDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  fs.mkdirSync(path.join(base, 'gitfed'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, 'gitfed', 'ssh-'));
  fs.chmodSync(dir, 0o700);
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Flux's `identity` (Argo CD's `sshPrivateKey` too) and `known_hosts` from a Secret of the namespace. */
export function secretSshCredentials(mgmt: Management, name: string, cacheMs = 60_000): () => Promise<SshCredentials> {
  let cached: { at: number; value: SshCredentials } | undefined;
  let dir: string | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < cacheMs) return cached.value;
    const secret = await mgmt.getSecret(name);
    const data = (secret?.data ?? {}) as Record<string, string>;
    const read = (k: string) => (data[k] ? Buffer.from(data[k], 'base64').toString('utf8') : undefined);
    const identity = read('identity') ?? read('sshPrivateKey');
    const knownHosts = read('known_hosts');
    if (!secret || !identity || !knownHosts) {
      throw new GitfedError('CredentialsFailed', `Secret ${mgmt.namespace}/${name} needs the keys identity and known_hosts for an ssh repository`, { hint: 'kubectl create secret generic NAME --from-file=identity=./deploy-key --from-file=known_hosts=./known_hosts' });
    }
    dir ??= privateDir();
    const write = (file: string, text: string) => {
      // ssh wants the key to end with a newline, and to be readable by its owner only.
      const body = text.endsWith('\n') ? text : `${text}\n`;
      const at = path.join(dir!, file);
      if (fs.existsSync(at) && fs.readFileSync(at, 'utf8') === body) return at;
      fs.writeFileSync(`${at}.tmp`, body, { mode: 0o600 });
      fs.renameSync(`${at}.tmp`, at);
      return at;
    };
    cached = { at: Date.now(), value: { identityFile: write('identity', identity), knownHostsFile: write('known_hosts', knownHosts) } };
    return cached.value;
  };
}
