/**
 * A SOPS-encrypted Secret from the fleet repo to the members, through the built CLI: encrypted by
 * the real sops, rendered and committed, applied by the daemon (identities from
 * SOPS_AGE_KEY_FILE) and by `gitfed apply` (from the Secret decryption.secretRef names), read back
 * on every member equal to the plaintext. Re-encryption to other recipients leaves the members
 * alone; a tampered MAC or a missing identity fails that object and prunes nothing. Finally the
 * branch's whole history, every report, the daemon's log and the state files are searched for
 * the plaintext, and hold none of it.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIGEST_ANNOTATION } from '../../../src/apply/member/ownership.js';
import type { KubeObject } from '../../../src/object.js';
import { newAgeKey, sopsEncrypt, sopsRotate, type AgeKey } from '../../support/sops.js';
import { admin, builtCli, live, memberKubeconfig, memberNames, tmpDir, uniq, until } from './fixtures.js';

// Values no other test or fixture holds, so a search that finds one found a leak.
const PASSWORD = `pw-${uniq('horse')}-battery-staple`;
const PASSWORD_2 = `pw-${uniq('second')}-value`;
const USER = `user-${uniq('db')}`;
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('SOPS-encrypted Secrets from git to the members', () => {
  const ns = uniq('sops');
  const members = memberNames();
  const fleet = tmpDir('sops-fleet');
  const work = tmpDir('sops-work');
  const state = path.join(work, 'status.json');
  const daemonLog = path.join(work, 'daemon.log');
  const outputs: string[] = [];
  const children: ChildProcess[] = [];
  let a: AgeKey;
  let b: AgeKey;
  let keysAB: string;

  const git = (...args: string[]) => execFileSync('git', ['-C', fleet, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'e2e', GIT_AUTHOR_EMAIL: 'e2e@example.com', GIT_COMMITTER_NAME: 'e2e', GIT_COMMITTER_EMAIL: 'e2e@example.com' } }).trim();
  const secretText = (password: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: ${ns}\ntype: Opaque\nstringData:\n  user: ${USER}\n  password: ${password}\n`;
  const fleetYaml = () =>
    [
      ...members.map((m) => `apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata: {name: ${m}}\n`),
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n`,
      `apiVersion: policy.karmada.io/v1alpha1\nkind: ClusterPropagationPolicy\nmetadata: {name: ${ns}-ns}\nspec:\n  resourceSelectors: [{apiVersion: v1, kind: Namespace, name: ${ns}}]\n  placement: {clusterAffinity: {clusterNames: [${members.join(', ')}]}}\n`,
      `apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: secrets, namespace: ${ns}}\nspec:\n  resourceSelectors: [{apiVersion: v1, kind: Secret}]\n  placement: {clusterAffinity: {clusterNames: [${members.join(', ')}]}}\n`,
    ].join('---\n');

  /** Commits the encrypted Secret, renders it with the CLI and returns the branch head. */
  function commitAndRender(encrypted: string, message: string): string {
    fs.writeFileSync(path.join(fleet, 'fleet.yaml'), fleetYaml());
    fs.writeFileSync(path.join(fleet, 'db.secret.yaml'), encrypted);
    git('add', '-A');
    git('commit', '-q', '-m', message);
    const r = cli(['render', '--commit', '--repo', fleet]);
    if (r.status !== 0) throw new Error(`render --commit failed: ${r.stderr}`);
    return git('rev-parse', 'rendered');
  }

  function cli(args: string[], env: Record<string, string | undefined> = {}): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [builtCli(), ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, SOPS_AGE_KEY: undefined, SOPS_AGE_KEY_FILE: undefined, XDG_CONFIG_HOME: work, ...env } });
    outputs.push(r.stdout, r.stderr);
    return r;
  }

  const report = () => (fs.existsSync(state) ? (JSON.parse(fs.readFileSync(state, 'utf8')) as { members: { cluster: string; state: string; branchCommit?: string; message?: string }[] }) : undefined);
  const syncedAt = (commit: string) => () => {
    const r = report();
    return r && members.every((m) => r.members.find((x) => x.cluster === m)?.state === 'Synced' && r.members.find((x) => x.cluster === m)?.branchCommit === commit) ? true : undefined;
  };
  const secretRef = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: ns } } as KubeObject;
  const liveSecret = async (m: string) => (await live(m, secretRef)) as (KubeObject & { data?: Record<string, string> }) | undefined;

  beforeAll(async () => {
    [a, b] = await Promise.all([newAgeKey(), newAgeKey()]);
    keysAB = path.join(work, 'keys.txt');
    fs.writeFileSync(keysAB, `# e2e keys\n${a.identity}\n${b.identity}\n`);
    git('init', '-q', '-b', 'main');
  });
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });

  it('renders the encrypted file onto the branch as committed, and the daemon applies its plaintext', async () => {
    const encrypted = sopsEncrypt(secretText(PASSWORD), [a.recipient]);
    const head = commitAndRender(encrypted, 'an encrypted Secret');
    for (const m of members) expect(git('show', `rendered:clusters/${m}/${ns}/secret-db.yaml`) + '\n').toBe(encrypted);

    const log = fs.openSync(daemonLog, 'w');
    const daemon = spawn(process.execPath, [builtCli(), 'daemon', '--repo', fleet, '--kubeconfig', memberKubeconfig(), '--state', state], {
      cwd: work,
      stdio: ['ignore', log, log],
      env: { ...process.env, SOPS_AGE_KEY: undefined, SOPS_AGE_KEY_FILE: keysAB, XDG_CONFIG_HOME: work },
    });
    children.push(daemon);
    await until('the encrypted Secret synced everywhere', syncedAt(head), 120_000);
    for (const m of members) {
      const s = await liveSecret(m);
      expect(s?.data).toEqual({ user: b64(USER), password: b64(PASSWORD) });
      expect(s?.metadata.annotations?.[DIGEST_ANNOTATION]).toMatch(/^[0-9a-f]{20}$/);
    }

    // Re-encrypted to another recipient (sops rotate: new data key, new ciphertext everywhere).
    const before = await Promise.all(members.map(async (m) => (await liveSecret(m))!.metadata.resourceVersion));
    const rotated = sopsRotate(encrypted, a.identity, { add: [b.recipient], remove: [a.recipient] });
    expect(rotated).not.toContain(a.recipient);
    const head2 = commitAndRender(rotated, 'rotated to b');
    await until('the rotated branch synced', syncedAt(head2), 120_000);
    const after = await Promise.all(members.map(async (m) => (await liveSecret(m))!.metadata.resourceVersion));
    expect(after).toEqual(before);

    daemon.kill('SIGTERM');
    expect(await new Promise((r) => daemon.once('exit', r))).toBe(0);
    fs.closeSync(log);
    expect(fs.readFileSync(daemonLog, 'utf8')).toMatch(/branch head/);
  });

  it('shows a changed value in diff --live by key only, and gitfed apply takes identities from a Secret', async () => {
    const changed = sopsEncrypt(secretText(PASSWORD_2), [b.recipient]);
    commitAndRender(changed, 'a new password');
    const diff = cli(['diff', '--live', '--repo', fleet, '--kubeconfig', memberKubeconfig(), '--age-key-file', keysAB]);
    expect(diff.status, diff.stderr).toBe(1);
    expect(diff.stdout).toContain(`Secret/${ns}/db changed`);
    expect(diff.stdout).toContain('± /data/password');
    expect(diff.stdout).toContain('(hidden)');
    expect(diff.stdout).not.toContain('/data/user');

    // The identities in a Secret of the management cluster (member1 here), as in a cluster.
    const mgmt = members[0]!;
    const keyNs = uniq('gitfed-system');
    const c = await admin(mgmt);
    await c.apply({ group: '', version: 'v1', kind: 'Namespace', namespace: '', name: keyNs }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: keyNs } }, { force: true });
    await c.apply({ group: '', version: 'v1', kind: 'Secret', namespace: keyNs, name: 'sops-age' }, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sops-age', namespace: keyNs }, data: { 'e2e.agekey': b64(b.identity) } }, { force: true });
    fs.writeFileSync(path.join(work, 'gitfed-apply.yaml'), `decryption:\n  secretRef: {name: sops-age, namespace: ${keyNs}, context: ${mgmt}}\n`);
    const applied = cli(['apply', '--repo', fleet, '--kubeconfig', memberKubeconfig(), '--state', state, '--format', 'json'], { KUBECONFIG: memberKubeconfig() });
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    for (const m of members) expect((await liveSecret(m))?.data?.password).toBe(b64(PASSWORD_2));
    fs.rmSync(path.join(work, 'gitfed-apply.yaml'));
  });

  it('fails a Secret whose MAC does not verify, or that no identity opens, alone and without pruning it', async () => {
    const good = sopsEncrypt(secretText(PASSWORD_2), [b.recipient]);
    const mac = /^\s+mac: (.*)$/m.exec(good)![1]!;
    const other = /^\s+mac: (.*)$/m.exec(sopsEncrypt(secretText(PASSWORD_2), [b.recipient]))![1]!;
    commitAndRender(good.replace(mac, other), 'a MAC from another file');
    const tampered = cli(['apply', '--repo', fleet, '--kubeconfig', memberKubeconfig(), '--state', state, '--format', 'json', '--age-key-file', keysAB]);
    expect(tampered.status).toBe(2);
    const r = JSON.parse(tampered.stdout) as { members: { cluster: string; state: string; objects: { object: string; action: string; message?: string }[] }[] };
    for (const m of r.members) {
      expect(m.state).toBe('Failed');
      expect(m.objects.find((o) => o.action === 'failed')?.message).toBe(`Secret/${ns}/db: cannot decrypt: MAC mismatch: the stored MAC does not decrypt (sops.mac or sops.lastmodified was changed)`);
      expect(m.objects.find((o) => o.object === `Namespace/${ns}`)?.action).toBe('unchanged');
    }
    for (const m of members) expect((await liveSecret(m))?.data?.password).toBe(b64(PASSWORD_2));

    commitAndRender(good, 'good again');
    const noKey = cli(['apply', '--repo', fleet, '--kubeconfig', memberKubeconfig(), '--state', state, '--format', 'json']);
    expect(noKey.status).toBe(2);
    expect(noKey.stdout).toContain(`cannot decrypt: no age identity is configured; it is encrypted for ${b.recipient}`);
    for (const m of members) expect(await liveSecret(m)).toBeDefined();
    expect(cli(['apply', '--repo', fleet, '--kubeconfig', memberKubeconfig(), '--state', state, '--age-key-file', keysAB]).status).toBe(0);
  });

  it('leaves no plaintext in the branch, the reports, the daemon log or the state files', () => {
    const history = git('log', '-p', '--all', '--format=%H %s%n%b');
    const notes = git('log', '-p', 'refs/notes/gitfed');
    const files = fs.readdirSync(work, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).filter((f) => f !== keysAB);
    expect(files).toEqual(expect.arrayContaining([state, daemonLog]));
    const written = files.map((f) => fs.readFileSync(f, 'utf8'));
    const haystack = [history, notes, ...outputs, ...written].join('\n');
    expect(haystack).toContain('ENC[AES256_GCM');
    expect(haystack).toContain(`Secret/${ns}/db`);
    for (const needle of [PASSWORD, PASSWORD_2, USER, b64(PASSWORD), b64(PASSWORD_2), b64(USER)]) expect(haystack.includes(needle), needle).toBe(false);
  });
});
