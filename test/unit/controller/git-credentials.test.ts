/** ssh credentials from a Secret: copied into a private directory, owner-only, rewritten when rotated. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { secretSshCredentials, sshFileCredentials } from '../../../src/controller/git-credentials.js';
import type { Management } from '../../../src/controller/management.js';
import { GitfedError } from '../../../src/errors.js';
import { sshCommand, sshFailure, transportOf } from '../../../src/git/mirror.js';

const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'gitfed-cred-'));
process.env.XDG_CACHE_HOME = cache;
afterAll(() => fs.rmSync(cache, { recursive: true, force: true }));

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('ssh credentials', () => {
  it('copies identity and known_hosts of a Secret into a 0700 directory, 0600 files, and follows a rotation', async () => {
    let data: Record<string, string> = { identity: b64('KEY-ONE'), known_hosts: b64('host ssh-ed25519 AAAA\n') };
    const mgmt = { namespace: 'gitfed', getSecret: async () => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'git' }, data }) } as unknown as Management;
    const creds = secretSshCredentials(mgmt, 'git', 0);
    const first = await creds();
    expect(path.dirname(first.identityFile!)).toBe(path.dirname(first.knownHostsFile!));
    expect(path.dirname(first.identityFile!).startsWith(path.join(cache, 'gitfed', 'ssh-'))).toBe(true);
    expect(fs.statSync(path.dirname(first.identityFile!)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(first.identityFile!).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(first.identityFile!, 'utf8')).toBe('KEY-ONE\n');
    data = { ...data, identity: b64('KEY-TWO\n') };
    const second = await creds();
    expect(second.identityFile).toBe(first.identityFile);
    expect(fs.readFileSync(second.identityFile!, 'utf8')).toBe('KEY-TWO\n');
    data = { identity: b64('KEY') };
    await expect(creds()).rejects.toThrow('Secret gitfed/git needs the keys identity and known_hosts for an ssh repository');
  });

  it('names a missing key file', () => {
    expect(() => sshFileCredentials('/nonexistent/key', undefined)()).toThrow(GitfedError);
    expect(() => sshFileCredentials('/nonexistent/key', undefined)()).toThrow('cannot read --git-ssh-key-file: ENOENT');
  });

  it('builds a strict ssh command with quoted paths', () => {
    expect(sshCommand({ identityFile: "/k/it's key", knownHostsFile: '/k/known hosts' })).toBe(
      "ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o UpdateHostKeys=no -o ConnectTimeout=20 -i '/k/it'\\''s key' -o IdentitiesOnly=yes -o UserKnownHostsFile='/k/known hosts' -o GlobalKnownHostsFile=/dev/null",
    );
  });

  it('says what went wrong in one line', () => {
    const changed = '@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n...\nHost key verification failed.\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n';
    expect(sshFailure('ssh://git@example.com:2222/fleet.git', changed, { knownHostsFile: '/etc/gitfed/ssh/known_hosts' })).toBe('the host key of example.com:2222 does not match known_hosts (or is not in it); refused');
    expect(sshFailure('git@example.com:org/fleet.git', 'git@example.com: Permission denied (publickey).\nfatal: Could not read from remote repository.\n', {})).toBe('example.com refused the ssh key');
    expect(sshFailure('git@example.com:org/fleet.git', "fatal: couldn't find remote ref refs/heads/rendered\n", {})).toBe("couldn't find remote ref refs/heads/rendered");
  });

  it('knows the transports', () => {
    expect(transportOf('https://example.com/f.git')).toBe('https');
    expect(transportOf('ssh://git@example.com/f.git')).toBe('ssh');
    expect(transportOf('git@example.com:f.git')).toBe('ssh');
    expect(() => transportOf('git://example.com/f.git')).toThrow('--repo git://example.com/f.git: git:// is not a transport gitfed fetches from');
  });
});
