/**
 * Git access as production has it, on real parts: the daemon fetches the rendered branch from a
 * real OpenSSH server on loopback with a deploy key and known_hosts (native git doing the ssh
 * transport), applies it to a real member, and fetches again at once on a signed webhook call,
 * long before its poll interval. A wrong host key, an unsupported URL and an unsigned webhook
 * are refused, and the key shows up nowhere.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, builtCli, configMap, dataOf, gitBranch, memberKubeconfig, memberNames, namespace, tmpDir, uniq, until } from '../apply/fixtures.js';
import { startLogged, type Replica } from '../support/replicas.js';
import { sshdProblem, startSshd, type Sshd } from './sshd.js';

const SECRET = 'webhook-secret-8c41d2e9f0';

describe.skipIf(sshdProblem !== undefined)('ssh deploy key, known_hosts and the webhook', () => {
  const dir = tmpDir('ssh');
  const ns = uniq('ssh');
  let sshd: Sshd;
  let work: ReturnType<typeof gitBranch>;
  let bare: string;
  let daemon: Replica | undefined;
  const member = () => memberNames()[0]!;
  const publishV = (v: string) => {
    const head = work.commit({ [member()]: [namespace(ns), configMap(ns, 'over-ssh', { v })] }, v);
    execFileSync('git', ['-C', work.dir, 'push', '-q', bare, 'rendered']);
    return head;
  };
  const cli = (args: readonly string[], cache: string) =>
    spawnSync(process.execPath, [builtCli(), ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir, XDG_CACHE_HOME: cache }, timeout: 60_000 });
  const liveV = async () => dataOf(await (await admin(member())).get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name: 'over-ssh' })).v;

  beforeAll(async () => {
    work = gitBranch();
    bare = path.join(dir, 'fleet.git');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'rendered', bare]);
    publishV('v1');
    sshd = await startSshd(path.join(dir, 'sshd'), bare);
  }, 60_000);

  afterAll(async () => {
    if (daemon && daemon.child.exitCode === null) daemon.child.kill('SIGKILL');
    await sshd?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a host key that is not in known_hosts, in one line, before logging in', () => {
    const before = sshd.logins();
    const r = cli(['daemon', '--repo', sshd.url('fleet.git'), '--git-ssh-key-file', sshd.identity, '--git-known-hosts-file', sshd.wrongKnownHosts, '--kubeconfig', memberKubeconfig()], path.join(dir, 'cache-wrong'));
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([`error: fetch of rendered from ${sshd.url('fleet.git')} failed: the host key of 127.0.0.1:${sshd.port} does not match wrong_known_hosts (or is not in it); refused [FetchFailed]`]);
    expect(sshd.logins()).toBe(before);
  });

  it('refuses an unsupported URL in one line', () => {
    for (const [url, word] of [['ftp://git.example.com/fleet.git', 'ftp://'], ['file:///srv/fleet.git', 'file://']] as const) {
      const r = cli(['daemon', '--repo', url, '--kubeconfig', memberKubeconfig()], path.join(dir, 'cache-bad'));
      expect(r.status).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines.length).toBeLessThanOrEqual(2); // the error, and its hint
      expect(lines[0]).toMatch(new RegExp(`^error: --repo ${url}: ${word} is not a transport gitfed fetches from \\[InvalidFlag\\]$`));
    }
  });

  it('fetches over ssh with the deploy key, and again at once on a signed webhook', async () => {
    const configFile = path.join(dir, 'gitfed-apply.yaml');
    // The poll is ten minutes away: whatever arrives sooner came by the webhook.
    fs.writeFileSync(configFile, 'fetchSeconds: 600\nrequestTimeoutSeconds: 5\n');
    const secretFile = path.join(dir, 'webhook-secret');
    fs.writeFileSync(secretFile, `${SECRET}\n`);
    const args = ['daemon', '--repo', sshd.url('fleet.git'), '--git-ssh-key-file', sshd.identity, '--git-known-hosts-file', sshd.knownHosts, '--kubeconfig', memberKubeconfig(), '--cluster', member(), '--config', configFile, '--http-address', '127.0.0.1:0', '--webhook-secret-file', secretFile, '--log-format', 'json'];
    daemon = startLogged('ssh', process.execPath, [builtCli(), ...args], { env: { PATH: process.env.PATH, HOME: dir, XDG_CACHE_HOME: path.join(dir, 'cache') } });
    await until('v1 applied over ssh', async () => (await liveV()) === 'v1', 60_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${daemon!.other.join('\n')}\n${daemon!.lines.map((l) => l.msg).join('\n')}\nsshd: ${sshd.output()}`);
    });
    const served = await until('the daemon serving', () => daemon!.other.map((l) => /serving on (http:\/\/\S+)/.exec(l)?.[1]).find(Boolean), 10_000);
    const webhook = (body: string, headers: Record<string, string>) => fetch(`${served}/api/v1/webhook`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } });
    const sign = (body: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

    const v2 = publishV('v2');
    const push = JSON.stringify({ ref: 'refs/heads/rendered', after: v2, note: 'body-marker-3f9a' });
    const logins = sshd.logins();
    // Not signed, signed with another secret, a wrong GitLab token, a GET: none of them fetches.
    expect((await webhook(push, {})).status).toBe(401);
    expect((await webhook(push, { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': sign(push, 'not-the-secret-at-all') })).status).toBe(401);
    expect((await webhook(push, { 'X-Gitlab-Event': 'Push Hook', 'X-Gitlab-Token': 'not-the-secret-at-all' })).status).toBe(401);
    expect((await fetch(`${served}/api/v1/webhook`)).status).toBe(405);
    // Signed, but for another branch: acknowledged, ignored.
    const other = JSON.stringify({ ref: 'refs/heads/main' });
    expect((await webhook(other, { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': sign(other) })).status).toBe(202);

    const pushedAt = Date.now();
    const ok = await webhook(push, { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': sign(push) });
    expect(ok.status).toBe(202);
    await until('v2 applied after the GitHub webhook', async () => (await liveV()) === 'v2', 60_000);
    const githubSeconds = (Date.now() - pushedAt) / 1000;
    // Exactly one fetch since: the signed call's. The refused ones and the other branch fetched nothing.
    expect(sshd.logins() - logins).toBe(1);

    publishV('v3');
    const gitlab = JSON.stringify({ object_kind: 'push', ref: 'refs/heads/rendered' });
    const gitlabAt = Date.now();
    expect((await webhook(gitlab, { 'X-Gitlab-Event': 'Push Hook', 'X-Gitlab-Token': SECRET })).status).toBe(202);
    await until('v3 applied after the GitLab webhook', async () => (await liveV()) === 'v3', 60_000);
    const gitlabSeconds = (Date.now() - gitlabAt) / 1000;
    console.log(`webhook to applied: GitHub ${githubSeconds.toFixed(2)} s, GitLab ${gitlabSeconds.toFixed(2)} s (poll interval 600 s)`);

    const refused = daemon.lines.filter((l) => l.action === 'webhook' && /refused/.test(l.msg));
    expect(refused.length).toBe(3);
    // The key, the secret and the refused bodies are nowhere in what the daemon said or kept.
    const key = fs.readFileSync(sshd.identity, 'utf8').split('\n').filter((l) => l && !l.startsWith('-----'));
    const said = JSON.stringify(daemon.lines) + daemon.other.join('\n');
    for (const secret of [...key, SECRET, 'body-marker-3f9a']) expect(said).not.toContain(secret);
    const kept = spawnSync('grep', ['-rlF', '--', key[1]!, path.join(dir, 'cache')], { encoding: 'utf8' });
    expect(kept.stdout).toBe('');
    expect(kept.status).toBe(1);

    daemon.child.kill('SIGTERM');
    expect(await daemon.exited()).toBe(0);
  }, 240_000);
});
