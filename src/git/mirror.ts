/**
 * @module git/mirror
 * The local mirror of a remote output branch: one bare repository per URL under the user's
 * cache, fetched into on demand. Apply reads the branch from the mirror like any local one.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { GitError, GitfedError } from '../errors.js';
import { publicUrl, scrubSecrets } from './public-url.js';

/** `scheme://...`, or git's scp-like `user@host:path`: anything that is not a local path. */
export function isRemote(repo: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[\w.-]+@[\w.-]+:/.test(repo);
}

/**
 * How a remote is fetched: HTTPS by isomorphic-git, ssh (`ssh://` or scp-like) by native git
 * and OpenSSH. Any other scheme is refused in one line: git:// and http-less transports carry
 * no authentication, and file:// is a local path spelled as a URL.
 */
export function transportOf(url: string): 'https' | 'ssh' {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return 'ssh';
  if (scheme === 'https' || scheme === 'http') return 'https';
  if (scheme === 'ssh' || scheme === 'git+ssh' || scheme === 'ssh+git') return 'ssh';
  throw new GitfedError('InvalidFlag', `--repo ${publicUrl(url)}: ${scheme}:// is not a transport gitfed fetches from`, {
    hint: scheme === 'file' ? 'give the path itself, without file://' : 'use https://host/org/fleet.git (with a token) or ssh://git@host/org/fleet.git (with a deploy key)',
  });
}
/** Where a remote is mirrored: one bare repository per URL under the user's cache. */
export function mirrorDir(url: string): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'gitfed', 'mirrors', createHash('sha256').update(url).digest('hex').slice(0, 16));
}

/** HTTPS credentials kept out of the URL (a token read from a file or a Secret): never recorded, never in the mirror's name. */
export interface GitCredentials {
  readonly username: string;
  readonly password: string;
}

/**
 * An ssh deploy key, as Argo CD and Flux take one: the private key and the server's known_hosts,
 * both files (a mounted Secret, or copies in a private directory). Without them ssh uses the
 * user's own key and known_hosts; the host key is checked strictly either way.
 */
export interface SshCredentials {
  readonly identityFile?: string;
  readonly knownHostsFile?: string;
}

/** Credentials for either transport; the wrong kind for a URL is refused before any fetch. */
export type GitAuth = GitCredentials | SshCredentials;

const isHttpsAuth = (a: GitAuth): a is GitCredentials => 'password' in a;

/**
 * Fetches the branch of a remote into its mirror; returns the mirror's git directory.
 * `credentials` is asked at each fetch, so a rotated token or key is picked up.
 */
export async function fetchRemote(url: string, branch: string, credentials?: () => GitAuth | Promise<GitAuth>): Promise<string> {
  const gitdir = mirrorDir(url);
  if (transportOf(url) === 'ssh') {
    const auth = credentials ? await credentials() : {};
    if (isHttpsAuth(auth)) throw new GitfedError('InvalidFlag', `--repo ${publicUrl(url)} is reached over ssh; a token is for https`, { hint: 'give --git-ssh-key-file and --git-known-hosts-file (or a Secret with keys identity and known_hosts)' });
    await fetchSsh(url, branch, gitdir, auth);
    return gitdir;
  }
  const auth = credentials ? async () => {
    const a = await credentials();
    if (!isHttpsAuth(a)) throw new GitfedError('InvalidFlag', `--repo ${publicUrl(url)} is reached over https; an ssh key is for ssh:// URLs`);
    return a;
  } : undefined;
  if (!fs.existsSync(path.join(gitdir, 'HEAD'))) {
    fs.mkdirSync(gitdir, { recursive: true });
    await git.init({ fs, gitdir, bare: true, defaultBranch: branch });
    await git.addRemote({ fs, gitdir, remote: 'origin', url, force: true });
  }
  // The branch's whole history, not its head alone: a fleet recognises the inventories of its
  // earlier names (and gitfed's before fleet names) by their commit being in it. Later fetches bring only new commits.
  try {
    await git.fetch({ fs, http, gitdir, remote: 'origin', ref: branch, singleBranch: true, tags: false, ...(auth ? { onAuth: async () => ({ ...(await auth()) }) } : {}) });
  } catch (err) {
    // isomorphic-git's message may hold the URL, token and all: reworded, and no cause kept.
    throw new GitError('FetchFailed', `fetch of ${branch} from ${publicUrl(url)} failed: ${scrubSecrets((err as Error).message, url)}`);
  }
  return gitdir;
}

/** A path as one word of the shell command git runs for ssh. */
const shellWord = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** The ssh command git runs: batch mode, the host key checked strictly against the given file only. */
export function sshCommand(auth: SshCredentials): string {
  const words = ['ssh', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', 'UpdateHostKeys=no', '-o', 'ConnectTimeout=20'];
  if (auth.identityFile) words.push('-i', shellWord(auth.identityFile), '-o', 'IdentitiesOnly=yes');
  if (auth.knownHostsFile) words.push('-o', `UserKnownHostsFile=${shellWord(auth.knownHostsFile)}`, '-o', 'GlobalKnownHostsFile=/dev/null');
  return words.join(' ');
}

/** The host an ssh URL names, for messages. */
function sshHost(url: string): string {
  const m = /^[a-z+]+:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?/i.exec(url) ?? /^(?:[^@/]*@)?([^:/]+):/.exec(url);
  return m ? `${m[1]}${m[2] ? `:${m[2]}` : ''}` : publicUrl(url);
}

/** What ssh or git said, as one line without the URL's secrets; a refused host key said plainly. */
export function sshFailure(url: string, stderr: string, auth: SshCredentials): string {
  const where = auth.knownHostsFile ? path.basename(auth.knownHostsFile) : 'your known_hosts';
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed|No .* host key is known/i.test(stderr)) {
    return `the host key of ${sshHost(url)} does not match ${where} (or is not in it); refused`;
  }
  if (/Permission denied \(publickey/i.test(stderr)) return `${sshHost(url)} refused the ssh key`;
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/^(fatal: Could not read from remote repository\.|Please make sure you have the correct access rights|and the repository exists\.)$/.test(l));
  return scrubSecrets(lines.at(-1)?.replace(/^fatal: /, '') ?? 'git fetch failed', url);
}

function runGit(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('git', [...args], { env, maxBuffer: 4 << 20, timeout: 10 * 60_000 }, (err, _stdout, stderr) => {
      // A failed spawn (git missing) has a string code such as ENOENT; a git that ran and failed, its exit status.
      if (err && !Number.isInteger((err as { code?: unknown }).code)) return reject(new GitError('FetchFailed', `cannot run git for an ssh remote: ${err.message}`, { hint: 'ssh remotes need git and OpenSSH installed' }));
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stderr: String(stderr) });
    });
  });
}

/**
 * Native git over OpenSSH, into the same mirror layout isomorphic-git makes for HTTPS: the
 * branch's whole history at refs/remotes/origin/<branch>. The key stays where it is; only its
 * path is on the command line, and nothing of it is logged.
 */
async function fetchSsh(url: string, branch: string, gitdir: string, auth: SshCredentials): Promise<void> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME ?? os.homedir(), GIT_TERMINAL_PROMPT: '0', GIT_SSH_COMMAND: sshCommand(auth), LANG: 'C', ...(process.env.SSH_AUTH_SOCK ? { SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK } : {}) };
  if (!fs.existsSync(path.join(gitdir, 'HEAD'))) {
    fs.mkdirSync(gitdir, { recursive: true });
    const init = await runGit(['init', '--quiet', '--bare', gitdir], env);
    if (init.code !== 0) throw new GitError('FetchFailed', `cannot create the mirror of ${publicUrl(url)}: ${init.stderr.trim().split('\n').at(-1)}`);
  }
  // `--` ends the options: a URL starting with `-` is never read as one.
  const r = await runGit(['--git-dir', gitdir, 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--', url, `+refs/heads/${branch}:refs/remotes/origin/${branch}`], env);
  if (r.code !== 0) throw new GitError('FetchFailed', `fetch of ${branch} from ${publicUrl(url)} failed: ${sshFailure(url, r.stderr, auth)}`);
}
