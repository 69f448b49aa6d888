/**
 * The apply side's one decryption hook (src/apply/source/open-secrets.ts), where its identities
 * come from, and what people are shown of a Secret's values.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../../src/apply/config.js';
import { maskSecretValues } from '../../../src/apply/plan/mask-values.js';
import { parseClusterFiles } from '../../../src/apply/source/manifests.js';
import { openSecrets } from '../../../src/apply/source/open-secrets.js';
import { loadKeyring } from '../../../src/secrets/keyring.js';
import { newAgeKey, sopsEncrypt, type AgeKey } from '../../support/sops.js';

const SECRET = `apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
stringData:
  password: correct-horse
`;
const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, namespace: shop}\ndata: {a: b}\n';

let dir: string;
let a: AgeKey;
let b: AgeKey;
let sealed: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gitfed-open-'));
  [a, b] = await Promise.all([newAgeKey(), newAgeKey()]);
  writeFileSync(join(dir, 'a.txt'), `# test key\n${a.identity}\n`);
  writeFileSync(join(dir, 'b.txt'), `${b.identity}\n`);
  sealed = sopsEncrypt(SECRET, [a.recipient]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(() => {
  // Only what each test names: no developer's own keys.
  vi.unstubAllEnvs();
  vi.stubEnv('SOPS_AGE_KEY', undefined);
  vi.stubEnv('SOPS_AGE_KEY_FILE', undefined);
  vi.stubEnv('XDG_CONFIG_HOME', join(dir, 'xdg'));
});

const cluster = (files: Record<string, string>) => parseClusterFiles(new Map(Object.entries(files)));

describe('openSecrets', () => {
  it('decrypts encrypted objects in memory, leaves the rest as they are, and hands back the same objects next time', async () => {
    const parsed = cluster({ 'c/shop/secret-db.yaml': sealed, 'c/shop/configmap-app.yaml': CONFIG_MAP });
    const opened = await openSecrets(parsed, { ageKeyFiles: [join(dir, 'a.txt')] });
    expect(opened.failures).toEqual([]);
    const secret = opened.objects.find((o) => o.ref.kind === 'Secret')!;
    expect(secret.obj).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, stringData: { password: 'correct-horse' } });
    expect(secret.digestKey).toHaveLength(32);
    expect(secret.sealed).toBeUndefined();
    expect(opened.objects.find((o) => o.ref.kind === 'ConfigMap')).toBe(parsed.objects.find((o) => o.ref.kind === 'ConfigMap'));
    expect(await openSecrets(parsed, { ageKeyFiles: [join(dir, 'a.txt')] })).toBe(opened);
  });

  it('passes a cluster without encrypted objects through untouched', async () => {
    const parsed = cluster({ 'c/shop/configmap-app.yaml': CONFIG_MAP });
    expect(await openSecrets(parsed, { ageKeyFiles: [] })).toBe(parsed);
  });

  it('fails one object alone, naming it and the reason, and keeps the others', async () => {
    const tampered = sealed.replace('name: db', 'name: db2');
    const parsed = cluster({ 'c/shop/secret-db2.yaml': tampered, 'c/shop/configmap-app.yaml': CONFIG_MAP });
    const opened = await openSecrets(parsed, { ageKeyFiles: [join(dir, 'a.txt')] });
    expect(opened.objects.map((o) => o.ref.kind)).toEqual(['ConfigMap']);
    expect(opened.failures).toEqual([{ file: 'c/shop/secret-db2.yaml', message: 'Secret/shop/db2: cannot decrypt: MAC mismatch: the document was changed after it was encrypted' }]);
  });

  it('without a matching identity says whose it is and where it looked', async () => {
    const opened = await openSecrets(cluster({ 's.yaml': sealed }), { ageKeyFiles: [join(dir, 'b.txt')] });
    expect(opened.failures[0]!.message).toBe(`Secret/shop/db: cannot decrypt: no age identity matches its recipients (${a.recipient}); identities from age key file ${join(dir, 'b.txt')}`);
    const none = await openSecrets(cluster({ 's.yaml': sealed }), { ageKeyFiles: [] });
    expect(none.failures[0]!.message).toMatch(/no age identity is configured; it is encrypted for age1/);
  });

  it('reports a key file it cannot read on the objects that needed it', async () => {
    const opened = await openSecrets(cluster({ 's.yaml': sealed }), { ageKeyFiles: [join(dir, 'missing.txt')] });
    expect(opened.failures[0]!.message).toMatch(/^Secret\/shop\/db: cannot decrypt: no age identity is configured; .*; and cannot read the age identities: age key file .*missing.txt: cannot read .*missing.txt: ENOENT$/);
    // The files that do read still count.
    expect((await openSecrets(cluster({ 's.yaml': sealed }), { ageKeyFiles: [join(dir, 'missing.txt'), join(dir, 'a.txt')] })).failures).toEqual([]);
  });

  it('finds identities in SOPS_AGE_KEY_FILE and SOPS_AGE_KEY, as sops does', async () => {
    vi.stubEnv('SOPS_AGE_KEY_FILE', join(dir, 'a.txt'));
    expect((await openSecrets(cluster({ 's.yaml': sealed }), { ageKeyFiles: [] })).failures).toEqual([]);
    vi.stubEnv('SOPS_AGE_KEY_FILE', undefined);
    vi.stubEnv('SOPS_AGE_KEY', `${b.identity}\n${a.identity}`);
    expect((await openSecrets(cluster({ 's.yaml': sealed }), { ageKeyFiles: [] })).failures).toEqual([]);
  });
});

describe('the keyring', () => {
  it('reads SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the sops user file and the configured files, in that order', async () => {
    mkdirSync(join(dir, 'xdg2/sops/age'), { recursive: true });
    writeFileSync(join(dir, 'xdg2/sops/age/keys.txt'), b.identity + '\n');
    const ring = await loadKeyring({ ageKeyFiles: [join(dir, 'b.txt')] }, { SOPS_AGE_KEY: a.identity, SOPS_AGE_KEY_FILE: join(dir, 'a.txt'), XDG_CONFIG_HOME: join(dir, 'xdg2') });
    expect(ring.problem).toBeUndefined();
    expect(ring.identities.map((i) => [i.recipient, i.source])).toEqual([
      [a.recipient, 'SOPS_AGE_KEY'],
      [a.recipient, `SOPS_AGE_KEY_FILE (${join(dir, 'a.txt')})`],
      [b.recipient, join(dir, 'xdg2/sops/age/keys.txt')],
      [b.recipient, `age key file ${join(dir, 'b.txt')}`],
    ]);
  });

  it('keeps a bad source as its problem, never its content, and reads the others', async () => {
    const ring = await loadKeyring({ ageKeyFiles: [join(dir, 'a.txt')] }, { SOPS_AGE_KEY: 'hunter2', XDG_CONFIG_HOME: join(dir, 'none') });
    expect(ring.problem).toBe('SOPS_AGE_KEY, line 1: not an age identity (AGE-SECRET-KEY-1...)');
    expect(ring.identities.map((i) => i.recipient)).toEqual([a.recipient]);
  });

  it('needs a namespace for a Secret outside a pod', async () => {
    const ring = await loadKeyring({ ageKeyFiles: [], secretRef: { name: 'sops-age' } }, { XDG_CONFIG_HOME: join(dir, 'none') });
    expect(ring.problem).toMatch(/^decryption.secretRef sops-age: no namespace given/);
  });
});

describe('gitfed-apply.yaml decryption', () => {
  it('reads key files (relative to the config file) and a Secret reference', () => {
    const c = parseConfig('decryption:\n  ageKeyFile: keys/age.txt\n  secretRef: {name: sops-age, namespace: gitfed-system}\n', '/etc/gitfed/gitfed-apply.yaml');
    expect(c.decryption).toEqual({ ageKeyFiles: ['/etc/gitfed/keys/age.txt'], secretRef: { name: 'sops-age', namespace: 'gitfed-system' } });
    expect(parseConfig('{}').decryption).toEqual({ ageKeyFiles: [] });
  });

  it('refuses what it does not know', () => {
    expect(() => parseConfig('decryption:\n  keyFile: x\n')).toThrow(/decryption: unknown key keyFile/);
    expect(() => parseConfig('decryption:\n  secretRef: {namespace: x}\n')).toThrow(/decryption.secretRef.name is required/);
  });
});

describe('diff --live values', () => {
  const secret = { group: '', kind: 'Secret' };
  it('hides a Secret’s values and keeps its keys and other fields', () => {
    const changes = maskSecretValues(
      [
        { path: '/data/password', op: 'replace', from: 'b2xk', to: 'bmV3' },
        { path: '/data', op: 'add', to: { user: 'YQ==', token: 'dA==' } },
        { path: '/metadata/labels/app', op: 'add', to: 'shop' },
      ],
      secret,
      false,
    );
    expect(changes).toEqual([
      { path: '/data/password', op: 'replace', from: '(hidden)', to: '(hidden)' },
      { path: '/data', op: 'add', to: { user: '(hidden)', token: '(hidden)' } },
      { path: '/metadata/labels/app', op: 'add', to: 'shop' },
    ]);
  });

  it('hides every value of another kind that was encrypted, and none of one that was not', () => {
    const change = { path: '/spec/token', op: 'add' as const, to: 'abc' };
    expect(maskSecretValues([change], { group: 'example.com', kind: 'Token' }, true)).toEqual([{ ...change, to: '(hidden)' }]);
    expect(maskSecretValues([change], { group: 'example.com', kind: 'Token' }, false)).toEqual([change]);
  });
});
