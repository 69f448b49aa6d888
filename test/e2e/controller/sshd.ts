/**
 * A real OpenSSH server on loopback for the ssh transport: its own host key, and an
 * authorized_keys whose one key may run nothing but git-upload-pack of one bare repository.
 * It runs unprivileged: as the test's own user, or, when the test runs as root, as `nobody`
 * behind a private mount namespace whose /etc/passwd and /etc/shadow give `nobody` a shell and
 * an unlocked account (sshd runs the forced command through the user's shell, and refuses a
 * locked account). Nothing of the machine's own sshd set-up is read or changed.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const SSHD = ['/usr/sbin/sshd', '/usr/local/sbin/sshd'].find((p) => fs.existsSync(p));
const root = process.getuid?.() === 0;
/** Whether an sshd can run here, and if not, why. */
export const sshdProblem: string | undefined = !SSHD
  ? 'no sshd (apt-get install openssh-server)'
  : root && spawnSync('unshare', ['--mount', '--propagation', 'private', 'true']).status !== 0
    ? 'running as root without unshare --mount, so sshd cannot be started as an unprivileged user'
    : undefined;

export interface Sshd {
  readonly port: number;
  readonly user: string;
  /** The client's deploy key (private) and a known_hosts holding the server's real host key. */
  readonly identity: string;
  readonly knownHosts: string;
  /** A known_hosts naming the same host with another key: must be refused. */
  readonly wrongKnownHosts: string;
  url(repoName: string): string;
  /** Logins accepted so far: one per fetch. */
  logins(): number;
  /** What sshd logged, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'gitfed-e2e', '-f', file]);

/** Serves `bareRepo` (read-only, git-upload-pack only) on 127.0.0.1. */
export async function startSshd(dir: string, bareRepo: string): Promise<Sshd> {
  if (!SSHD || sshdProblem) throw new Error(sshdProblem);
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const user = root ? 'nobody' : os.userInfo().username;
  const hostKey = path.join(dir, 'host_key');
  const identity = path.join(dir, 'deploy_key');
  const other = path.join(dir, 'other_host_key');
  for (const k of [hostKey, identity, other]) keygen(k);
  // The forced command ignores what the client asks for; safe.directory because the repository belongs to the test's user.
  const only = `command="git -c safe.directory='*' upload-pack '${bareRepo}'",restrict`;
  fs.writeFileSync(path.join(dir, 'authorized_keys'), `${only} ${fs.readFileSync(`${identity}.pub`, 'utf8')}`);
  const hostLine = (pub: string) => `[127.0.0.1]:${port} ${fs.readFileSync(pub, 'utf8').split(' ').slice(0, 2).join(' ')}\n`;
  fs.writeFileSync(path.join(dir, 'known_hosts'), hostLine(`${hostKey}.pub`));
  fs.writeFileSync(path.join(dir, 'wrong_known_hosts'), hostLine(`${other}.pub`));
  const config = path.join(dir, 'sshd_config');
  fs.writeFileSync(
    config,
    [`Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${hostKey}`, `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`, 'PidFile none', 'UsePAM no', 'StrictModes no', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', `AllowUsers ${user}`, 'LogLevel VERBOSE', ''].join('\n'),
  );
  let child: ChildProcess;
  const log: string[] = [];
  if (root) {
    // nobody reads the repository, the host key and authorized_keys.
    execFileSync('chmod', ['-R', 'a+rX', bareRepo]);
    for (const p of [dir, path.dirname(dir), path.dirname(bareRepo)]) fs.chmodSync(p, 0o755);
    fs.chmodSync(path.join(dir, 'authorized_keys'), 0o644);
    fs.chownSync(hostKey, 65534, 65534);
    const passwd = fs.readFileSync('/etc/passwd', 'utf8').replace(/^nobody:([^:]*):([^:]*):([^:]*):([^:]*):[^:]*:[^\n]*$/m, `nobody:x:$2:$3:$4:${dir}:/bin/sh`);
    fs.writeFileSync(path.join(dir, 'passwd'), passwd);
    // nobody alone, unlocked, readable by it: no other account's entry is copied.
    fs.writeFileSync(path.join(dir, 'shadow'), 'nobody:NP:19000:0:99999:7:::\n', { mode: 0o644 });
    const script = 'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/shadow && exec setpriv --reuid=65534 --regid=65534 --clear-groups "$3" -D -e -f "$4"';
    child = spawn('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', script, 'sh', path.join(dir, 'passwd'), path.join(dir, 'shadow'), SSHD, config], { stdio: ['ignore', 'ignore', 'pipe'] });
  } else {
    child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  }
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => log.push(c));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  for (let i = 0; !log.join('').includes('Server listening'); i++) {
    if (child.exitCode !== null || i > 100) throw new Error(`sshd did not start: ${log.join('')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    user,
    identity,
    knownHosts: path.join(dir, 'known_hosts'),
    wrongKnownHosts: path.join(dir, 'wrong_known_hosts'),
    url: (name) => `ssh://${user}@127.0.0.1:${port}/${name}`,
    output: () => log.join(''),
    logins: () => (log.join('').match(/Accepted publickey/g) ?? []).length,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
