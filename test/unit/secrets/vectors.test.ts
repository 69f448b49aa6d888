/**
 * SOPS's own test vectors (getsops/sops aes/cipher_test.go, age/keysource_test.go) and the
 * MAC rules, decrypted and computed by gitfed's code.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseIdentities, unwrapDataKey } from '../../../src/secrets/age-keys.js';
import { goFormatFloat, goPlainScalar } from '../../../src/secrets/go-scalars.js';
import { readableSecretValues, readSopsMetadata, shouldBeEncrypted, type SopsMetadata } from '../../../src/secrets/sops-format.js';
import { decryptValue, macAdditionalData, openTree, SopsError } from '../../../src/secrets/sops-tree.js';
import { createCipheriv, randomBytes } from 'node:crypto';

// aes/cipher_test.go TestDecrypt and TestDecryptInvalidAad.
const KEY = Buffer.from('f'.repeat(32));
const FOO = 'ENC[AES256_GCM,data:oYyi,iv:MyIDYbT718JRr11QtBkcj3Dwm4k1aCGZBVeZf0EyV8o=,tag:t5z2Z023Up0kxwCgw1gNxg==,type:str]';

// age/keysource_test.go: a public test identity and a file it opens to "data".
const MOCK_RECIPIENT = 'age1lzd99uklcjnc0e7d860axevet2cz99ce9pq6tzuzd05l5nr28ams36nvun';
const MOCK_IDENTITY = 'AGE-SECRET-KEY-1G0Q5K9TV4REQ3ZSQRMTMG8NSWQGYT0T7TZ33RAZEE0GZYVZN0APSU24RK7';
const MOCK_ENCRYPTED_KEY = `-----BEGIN AGE ENCRYPTED FILE-----
YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBvY2t2NkdLUGRvY3l2OGNy
MVJWcUhCOEZrUG8yeCtnRnhxL0I5NFk4YjJFCmE4SVQ3MEdyZkFqRWpSa2F0NVhF
VDUybzBxdS9nSGpHSVRVMUI0UEVqZkkKLS0tIGJjeGhNQ0Y5L2VZRVVYSm90djFF
bzdnQ3UwTGljMmtrbWNMV1MxYkFzUFUK4xjOZOTGdcbzuwUY/zeBXhcF+Md3e5PQ
EylloI7MNGbadPGb
-----END AGE ENCRYPTED FILE-----`;

/** An ENC value as aes/cipher.go Encrypt writes it: 32-byte IV, tag split off. */
function enc(text: string, key: Buffer, aad: string, type = 'str'): string {
  const iv = randomBytes(32);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad));
  const data = Buffer.concat([c.update(text, 'utf8'), c.final()]);
  return `ENC[AES256_GCM,data:${data.toString('base64')},iv:${iv.toString('base64')},tag:${c.getAuthTag().toString('base64')},type:${type}]`;
}

const META: SopsMetadata = { version: '3.13.3', lastModified: '2026-01-02T03:04:05Z', mac: '', age: [], otherKeys: [], macOnlyEncrypted: false };

describe('SOPS values (aes/cipher_test.go)', () => {
  it('decrypts the upstream vector with its additional data', () => {
    expect(decryptValue(FOO, KEY, 'bar:')).toEqual({ text: 'foo', type: 'str' });
  });

  it('refuses it under other additional data, and when a byte of it changes', () => {
    expect(() => decryptValue(FOO, KEY, '')).toThrow(SopsError);
    expect(() => decryptValue(FOO.replace('data:oYyi', 'data:oYyj'), KEY, 'bar:')).toThrow(/does not decrypt/);
    expect(() => decryptValue('foo', KEY, 'bar:')).toThrow(/not an ENC/);
  });

  it('writes the MAC additional data as Go formats RFC 3339', () => {
    expect(macAdditionalData('2026-01-02T03:04:05Z')).toBe('2026-01-02T03:04:05Z');
    expect(macAdditionalData('2026-01-02T03:04:05.123456Z')).toBe('2026-01-02T03:04:05Z');
    expect(macAdditionalData('2026-01-02T03:04:05+00:00')).toBe('2026-01-02T03:04:05Z');
    expect(macAdditionalData('2026-01-02T03:04:05+02:00')).toBe('2026-01-02T03:04:05+02:00');
    expect(() => macAdditionalData('yesterday')).toThrow(SopsError);
  });
});

describe('age data keys (age/keysource_test.go)', () => {
  it('reads an identity file as age does and unwraps the upstream file', async () => {
    const ids = await parseIdentities(`# created: 2026-01-01\n\n${MOCK_IDENTITY}\n`, 'test');
    expect(ids.map((i) => i.recipient)).toEqual([MOCK_RECIPIENT]);
    const got = await unwrapDataKey([{ recipient: MOCK_RECIPIENT, enc: MOCK_ENCRYPTED_KEY }], ids);
    expect(Buffer.from(got!.dataKey).toString()).toBe('data');
  });

  it('tries every identity when the recipient an entry names is wrong (it is not under the MAC)', async () => {
    const ids = await parseIdentities(MOCK_IDENTITY, 'test');
    const got = await unwrapDataKey([{ recipient: 'age1somebodyelse', enc: MOCK_ENCRYPTED_KEY }], ids);
    expect(Buffer.from(got!.dataKey).toString()).toBe('data');
  });

  it('refuses what is not an age identity, naming the source and line but not the line itself', async () => {
    await expect(parseIdentities('# x\nAGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ\n', 'SOPS_AGE_KEY_FILE (/k)')).rejects.toThrow(/SOPS_AGE_KEY_FILE \(\/k\), line 2: not a valid age identity/);
    await expect(parseIdentities('ssh-ed25519 AAAA', 'f')).rejects.toThrow(/SSH key/);
    await expect(parseIdentities('hunter2', 'f')).rejects.toThrow(/^f, line 1: not an age identity/);
  });
});

describe('the MAC', () => {
  it('is SHA-512 over the leaves in file order, skipping sops, null and comments', () => {
    const key = randomBytes(32);
    const text = (mac: string) => `# head\nbar: foo\nn: null\nlist:\n  - 1.0\n  - true\nsops:\n  mac: ${mac}\n  lastmodified: "${META.lastModified}"\n  version: 3.13.3\n`;
    const sum = createHash('sha512').update('foo1True').digest('hex').toUpperCase();
    const meta = { ...META, unencryptedRegex: '.', mac: enc(sum, key, META.lastModified) };
    expect(openTree(text(meta.mac), meta, key)).toEqual([]);
    const wrong = { ...meta, mac: enc(createHash('sha512').update('foo1.0True').digest('hex').toUpperCase(), key, META.lastModified) };
    expect(() => openTree(text(wrong.mac), wrong, key)).toThrow(/MAC mismatch/);
  });

  it('with mac_only_encrypted, hashes the seed and the encrypted leaves only (derived vector)', () => {
    const key = randomBytes(32);
    // {bar: foo} with bar encrypted: seed || "foo", the reference's 658174A6... value.
    const sum = createHash('sha512').update(Buffer.from('8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69', 'hex')).update('foo').digest('hex').toUpperCase();
    expect(sum.startsWith('658174A643117449')).toBe(true);
    const meta = { ...META, macOnlyEncrypted: true, encryptedRegex: '^bar$', mac: enc(sum, key, META.lastModified) };
    const text = `plain: left out\nbar: ${enc('foo', key, 'bar:')}\n`;
    expect(openTree(text, meta, key)).toEqual([{ path: ['bar'], value: 'foo' }]);
  });

  it('binds each value to its path of keys, list indices left out', () => {
    const key = randomBytes(32);
    const sum = createHash('sha512').update('ab').digest('hex').toUpperCase();
    const meta = { ...META, mac: enc(sum, key, META.lastModified) };
    const good = `items:\n  - x: ${enc('a', key, 'items:x:')}\n  - ${enc('b', key, 'items:')}\n`;
    expect(openTree(good, meta, key)).toEqual([{ path: ['items', 0, 'x'], value: 'a' }, { path: ['items', 1], value: 'b' }]);
    const moved = `items:\n  - y: ${enc('a', key, 'items:x:')}\n  - ${enc('b', key, 'items:')}\n`;
    expect(() => openTree(moved, meta, key)).toThrow(/items\.0\.y does not decrypt/);
  });
});

describe('scalars as go-yaml v3 hands them to SOPS', () => {
  it.each([
    ['true', 'True'], ['False', 'False'], ['yes', 'yes'], ['on', 'on'], ['~', null], ['', null], ['null', null],
    ['1.0', '1'], ['1.50', '1.5'], ['1e3', '1000'], ['.5', '0.5'], ['0x1F', '31'], ['0o17', '15'], ['017', '15'], ['08', '8'], ['1_000', '1000'],
    ['-0', '0'], ['+5', '5'], ['.inf', '+Inf'], ['-.Inf', '-Inf'], ['.nan', 'NaN'], ['1e400', '1e400'],
    ['2001-12-14', '2001-12-14T00:00:00Z'], ['2001-12-14T21:59:43.10+01:00', '2001-12-14T21:59:43.1+01:00'], ['2001-12-14 21:59:43', '2001-12-14T21:59:43Z'],
    ['v1', 'v1'], ['Opaque', 'Opaque'], ['12:30', '12:30'],
  ])('%s -> %s', (text, want) => {
    const r = goPlainScalar(text);
    expect(r.kind === 'null' ? null : r.kind === 'bytes' ? r.text : r.why).toBe(want);
  });

  it('formats floats as strconv.FormatFloat(f, \'f\', -1, 64)', () => {
    expect([1e21, 1.5e-7, 123.456, -0.001, 2 ** 53].map(goFormatFloat)).toEqual(['1000000000000000000000', '0.00000015', '123.456', '-0.001', '9007199254740992']);
  });
});

describe('the sops metadata', () => {
  it('reads flat age recipients and one key group, refuses several groups and comment rules', () => {
    const base = { mac: 'ENC[x]', lastmodified: META.lastModified, version: '3.13.3' };
    const flat = readSopsMetadata({ sops: { ...base, age: [{ recipient: 'age1a', enc: 'x' }], encrypted_regex: '^(data|stringData)$' } });
    expect(flat).toMatchObject({ age: [{ recipient: 'age1a' }], encryptedRegex: '^(data|stringData)$' });
    expect(readSopsMetadata({ sops: { ...base, key_groups: [{ age: [{ recipient: 'age1b', enc: 'y' }] }] } })).toMatchObject({ age: [{ recipient: 'age1b' }] });
    expect(readSopsMetadata({ sops: { ...base, key_groups: [{}, {}] } })).toEqual({ problem: expect.stringContaining('Shamir') });
    expect(readSopsMetadata({ sops: { ...base, encrypted_comment_regex: 'x' } })).toEqual({ problem: expect.stringContaining('not supported') });
    expect(readSopsMetadata({ sops: { lastmodified: 'x', version: '3' } })).toEqual({ problem: 'sops.mac is missing' });
  });

  it('decides what is encrypted by the rules in sops.go order', () => {
    const k8s = { ...META, encryptedRegex: '^(data|stringData)$' };
    expect(shouldBeEncrypted(k8s, ['data', 'password'])).toBe(true);
    expect(shouldBeEncrypted(k8s, ['metadata', 'name'])).toBe(false);
    expect(shouldBeEncrypted(META, ['anything'])).toBe(true);
    expect(shouldBeEncrypted({ ...META, unencryptedSuffix: '_unencrypted' }, ['a_unencrypted', 'b'])).toBe(false);
    expect(shouldBeEncrypted({ ...META, encryptedSuffix: '_enc' }, ['a', 'b'])).toBe(false);
  });

  it('finds the readable values of a Secret', () => {
    expect(readableSecretValues({ data: { a: 'ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]', b: '' }, stringData: { c: 'clear', d: null } })).toEqual([['stringData', 'c']]);
  });
});
