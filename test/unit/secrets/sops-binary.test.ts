/**
 * Fixtures encrypted by the real sops binary (test/sops, built from the pinned Go module), opened
 * by gitfed: the plaintext must be what `sops decrypt` gives, and every way a file can be wrong
 * must fail with its own reason.
 */
import jsyaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/object.js';
import { objectDigest } from '../../../src/apply/plan/digest.js';
import { parseIdentities } from '../../../src/secrets/age-keys.js';
import { digestKeyOf } from '../../../src/secrets/keyring.js';
import { openSealed, SopsError, type Keyring } from '../../../src/secrets/open.js';
import { readDocuments } from '../../../src/yaml/documents.js';
import { newAgeKey, sopsDecrypt, sopsEncrypt, sopsRotate, type AgeKey } from '../../support/sops.js';

const PLAIN = `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
  labels:
    app: shop
  annotations:
    note: "2001-12-14"
type: Opaque
# a comment at the top
data:
  # a comment inside data, which sops encrypts too
  password: c2VjcmV0
  "123": MTIz
  empty: ""
stringData:
  user: admin
  port: 5432
  ratio: 1.50
  enabled: true
  dsn: |
    host=pg
    user=admin
immutable: false
`;

let a: AgeKey;
let b: AgeKey;
let c: AgeKey;

beforeAll(async () => {
  [a, b, c] = await Promise.all([newAgeKey(), newAgeKey(), newAgeKey()]);
});

async function keyring(...keys: AgeKey[]): Promise<Keyring> {
  const identities = (await Promise.all(keys.map((k, i) => parseIdentities(k.identity, `key ${i}`)))).flat();
  return { identities, sources: keys.map((_, i) => `key ${i}`) };
}

/** The document as apply's branch reader parses it. */
function parsed(text: string): KubeObject {
  return readDocuments('secret.yaml', text).docs[0]!.value as KubeObject;
}

async function open(text: string, ...keys: AgeKey[]): Promise<KubeObject> {
  return openSealed(parsed(text), text, await keyring(...keys));
}

describe('SOPS files written by sops itself', () => {
  it('open to what sops decrypt gives, every value type and comment included', async () => {
    const encrypted = sopsEncrypt(PLAIN, [a.recipient]);
    expect(encrypted).not.toContain('c2VjcmV0');
    expect(encrypted).not.toContain('admin');
    const got = await open(encrypted, a);
    const want = parsed(sopsDecrypt(encrypted, [a.identity]));
    expect(got).toEqual(want);
    expect(got).toEqual(parsed(PLAIN));
    expect(got).not.toHaveProperty('sops');
  });

  it('open with mac_only_encrypted, and with everything encrypted (no regex)', async () => {
    expect(await open(sopsEncrypt(PLAIN, [a.recipient], { macOnlyEncrypted: true }), a)).toEqual(parsed(PLAIN));
    const whole = 'password: hunter2\nlist:\n  - 1\n  - two\nnested:\n  deep: true\n';
    const doc = sopsEncrypt(whole, [a.recipient], { regex: null });
    expect(await openSealed(jsyaml.load(doc) as KubeObject, doc, await keyring(a))).toEqual(jsyaml.load(whole));
  });

  it('open with either of two recipients alone, and with a keyring holding a stranger too', async () => {
    const encrypted = sopsEncrypt(PLAIN, [a.recipient, b.recipient]);
    expect(await open(encrypted, a)).toEqual(parsed(PLAIN));
    expect(await open(encrypted, b)).toEqual(parsed(PLAIN));
    expect(await open(encrypted, c, b)).toEqual(parsed(PLAIN));
  });

  it('refuse a changed value: it does not authenticate', async () => {
    const encrypted = sopsEncrypt(PLAIN, [a.recipient]);
    const line = encrypted.split('\n').find((l) => l.includes('password: ENC['))!;
    const data = /data:([^,]+),/.exec(line)![1]!;
    const flipped = (data[0] === 'A' ? 'B' : 'A') + data.slice(1);
    const tampered = encrypted.replace(line, line.replace(`data:${data},`, `data:${flipped},`));
    await expect(open(tampered, a)).rejects.toThrow(/^data\.password does not decrypt/);
  });

  it('refuse a value moved to another key (its path is its additional data)', async () => {
    const encrypted = sopsEncrypt(PLAIN, [a.recipient]);
    const swapped = encrypted.replace(/^(\s+)user: /m, '$1usr: ');
    await expect(open(swapped, a)).rejects.toThrow(/stringData\.usr does not decrypt/);
  });

  it('refuse a changed readable field: the MAC covers it', async () => {
    const encrypted = sopsEncrypt(PLAIN, [a.recipient]);
    await expect(open(encrypted.replace('app: shop', 'app: shop2'), a)).rejects.toThrow(/MAC mismatch: the document was changed after it was encrypted/);
    await expect(open(encrypted.replace('type: Opaque', 'type: kubernetes.io/basic-auth'), a)).rejects.toThrow(/MAC mismatch/);
  });

  it('refuse a changed or replaced MAC', async () => {
    const encrypted = sopsEncrypt(PLAIN, [a.recipient]);
    const other = sopsEncrypt(PLAIN.replace('admin', 'root'), [a.recipient]);
    const macOf = (t: string) => /^\s+mac: (.*)$/m.exec(t)![1]!;
    await expect(open(encrypted.replace(macOf(encrypted), macOf(encrypted).replace('data:', 'data:A')), a)).rejects.toThrow(/MAC mismatch: the stored MAC does not decrypt/);
    // A MAC from another file was encrypted with another data key.
    await expect(open(encrypted.replace(macOf(encrypted), macOf(other)), a)).rejects.toThrow(/MAC mismatch/);
    const lastmodified = /lastmodified: "(.*)"/.exec(encrypted)![1]!;
    await expect(open(encrypted.replace(lastmodified, '2001-01-01T00:00:00Z'), a)).rejects.toThrow(/MAC mismatch: the stored MAC does not decrypt/);
  });

  it('refuse to open without a matching identity, naming the recipients and where keys were looked for', async () => {
    const encrypted = sopsEncrypt(PLAIN, [a.recipient, b.recipient]);
    const err = await open(encrypted, c).then(() => undefined, (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(SopsError);
    expect(err!.message).toBe(`no age identity matches its recipients (${a.recipient}, ${b.recipient}); identities from key 0`);
    await expect(openSealed(parsed(encrypted), encrypted, { identities: [], sources: ['SOPS_AGE_KEY_FILE'] })).rejects.toThrow(/no age identity is configured; .*Set SOPS_AGE_KEY_FILE/);
    await expect(openSealed(parsed(encrypted), encrypted, { identities: [], sources: [], problem: 'SOPS_AGE_KEY_FILE: cannot read /nope: ENOENT' })).rejects.toThrow(/; and cannot read the age identities: SOPS_AGE_KEY_FILE: cannot read \/nope: ENOENT$/);
    // As with sops, a source that cannot be read does not stop another from opening it.
    const ring = await keyring(a);
    expect(await openSealed(parsed(encrypted), encrypted, { ...ring, problem: 'SOPS_AGE_KEY_FILE: cannot read /nope: ENOENT' })).toEqual(parsed(PLAIN));
  });

  it('never put a plaintext value in a failure message', async () => {
    const encrypted = sopsEncrypt(PLAIN, [a.recipient]);
    const messages: string[] = [];
    for (const bad of [encrypted.replace('app: shop', 'app: x'), encrypted.replace(/^(\s+)user: /m, '$1usr: ')]) {
      await open(bad, a).catch((e: Error) => messages.push(e.message));
    }
    expect(messages).toHaveLength(2);
    for (const m of messages) for (const secret of ['admin', 'secret', 'c2VjcmV0', '5432', 'host=pg']) expect(m).not.toContain(secret);
  });
});

describe('re-encryption that keeps the plaintext', () => {
  it('sops rotate to a new recipient: new ciphertext, same object, same keyed digest', async () => {
    const first = sopsEncrypt(PLAIN, [a.recipient]);
    const rotated = sopsRotate(first, a.identity, { add: [b.recipient], remove: [a.recipient] });
    expect(rotated).not.toBe(first);
    const valueOf = (t: string) => /password: (ENC\[.*\])/.exec(t)![1]!;
    expect(valueOf(rotated)).not.toBe(valueOf(first));
    expect(rotated).not.toContain(a.recipient);
    await expect(open(rotated, a)).rejects.toThrow(/no age identity matches/);

    const ring = await keyring(a, b);
    const before = await openSealed(parsed(first), first, ring);
    const after = await openSealed(parsed(rotated), rotated, ring);
    expect(after).toEqual(before);
    expect(objectDigest(after, [], digestKeyOf(ring))).toBe(objectDigest(before, [], digestKeyOf(ring)));
  });

  it('keys the digest: it is not a hash of the plaintext, and another keyring gives another', async () => {
    const obj = await open(sopsEncrypt(PLAIN, [a.recipient]), a);
    const keyed = objectDigest(obj, [], digestKeyOf(await keyring(a)));
    expect(keyed).not.toBe(objectDigest(obj));
    expect(keyed).not.toBe(objectDigest(obj, [], digestKeyOf(await keyring(b))));
    expect(keyed).toBe(objectDigest(obj, [], digestKeyOf(await keyring(a))));
  });
});
