/**
 * @module secrets/sops-tree
 * Decrypting a SOPS document's values with its data key and checking its MAC (getsops/sops v3:
 * sops.go Tree.Decrypt, aes/cipher.go, cmd/sops/common DecryptTree).
 *
 * - Every leaf, in file order (map keys as written, list items in order, the `sops` key left
 *   out), is walked with the path of map keys above it; list indices are not part of the path.
 * - A leaf the rules encrypt is an ENC[...] value: AES-256-GCM with a 32-byte IV, additional
 *   data = each key of the path followed by `:`. An empty string stays empty; null is skipped.
 * - The MAC is SHA-512 over the plaintext bytes of the leaves (all of them, or with
 *   mac_only_encrypted only the encrypted ones after a fixed 32-byte seed), as upper-case hex.
 *   The file stores it encrypted with the data key and additional data = `lastmodified` in
 *   RFC 3339. Comments are never hashed.
 *
 * The file is walked as YAML (the `yaml` package), not as the parsed object: key order is part
 * of the MAC, and a JavaScript object puts integer-like keys first.
 */
import { createDecipheriv, createHash, type Hash } from 'node:crypto';
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Scalar } from 'yaml';
import { goPlainScalar, goTypedBytes, typedValue } from './go-scalars.js';
import { ENC_VALUE, shouldBeEncrypted, SOPS_KEY, type SopsMetadata } from './sops-format.js';

/** Why a document cannot be opened; the message never holds a plaintext value. */
export class SopsError extends Error {}

/** sops.go MACOnlyEncryptedInitialization: SHA-256("sops"). */
const MAC_ONLY_ENCRYPTED_SEED = Buffer.from('8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69', 'hex');

/** One decrypted leaf: where it sits in the object (keys and list indices) and its value. */
export interface OpenedValue {
  readonly path: readonly (string | number)[];
  readonly value: unknown;
}

interface EncryptedValue {
  readonly data: Buffer;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly type: string;
}

function parseEnc(value: string): EncryptedValue | undefined {
  const m = ENC_VALUE.exec(value);
  if (!m) return undefined;
  return { data: Buffer.from(m[1]!, 'base64'), iv: Buffer.from(m[2]!, 'base64'), tag: Buffer.from(m[3]!, 'base64'), type: m[4]! };
}

/** One ENC[...] value's plaintext text and SOPS type; throws SopsError when it does not authenticate. */
export function decryptValue(value: string, key: Uint8Array, additionalData: string): { text: string; type: string } {
  const enc = parseEnc(value);
  if (!enc) throw new SopsError('is not an ENC[AES256_GCM,...] value');
  if (enc.tag.length !== 16 || enc.iv.length === 0) throw new SopsError('has a malformed iv or tag');
  try {
    const d = createDecipheriv('aes-256-gcm', key, enc.iv, { authTagLength: 16 });
    d.setAAD(Buffer.from(additionalData, 'utf8'));
    d.setAuthTag(enc.tag);
    const text = Buffer.concat([d.update(enc.data), d.final()]).toString('utf8');
    return { text, type: enc.type };
  } catch {
    throw new SopsError('does not decrypt: it was changed after encryption, or encrypted for another place or key');
  }
}

/** Go's time.Format(time.RFC3339) of the parsed `lastmodified`: seconds precision, Z for UTC. */
export function macAdditionalData(lastModified: string): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(lastModified);
  if (!m) throw new SopsError(`sops.lastmodified ${JSON.stringify(lastModified)} is not an RFC 3339 time`);
  return m[1]! + (m[2] === 'Z' || /^[+-]00:00$/.test(m[2]!) ? 'Z' : m[2]!);
}

function keyString(node: unknown): string {
  if (!isScalar(node)) throw new SopsError('a mapping key is not a scalar; SOPS supports string keys only');
  const s = node as Scalar<string>;
  const text = String(s.value);
  const quoted = s.type === 'QUOTE_DOUBLE' || s.type === 'QUOTE_SINGLE' || s.type === 'BLOCK_LITERAL' || s.type === 'BLOCK_FOLDED';
  if (quoted || s.tag === 'tag:yaml.org,2002:str') return text;
  const r = goPlainScalar(text);
  // go-yaml gives SOPS a number or boolean for such a key, which it refuses.
  if (r.kind !== 'bytes' || r.text !== text) throw new SopsError(`the key ${JSON.stringify(text)} is not a string to SOPS; quote it`);
  return text;
}

/** The bytes ToBytes writes for a leaf left in clear; undefined for null (not hashed). */
function clearBytes(node: Scalar<string>): string | undefined {
  const text = String(node.value ?? '');
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' || node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
  if (quoted || node.tag === 'tag:yaml.org,2002:str') return text;
  if (node.tag === 'tag:yaml.org,2002:binary') return Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('latin1');
  const r = goPlainScalar(text);
  if (r.kind === 'null') return undefined;
  if (r.kind === 'unsupported') throw new SopsError(r.why);
  return r.text;
}

interface Walk {
  readonly doc: Document;
  readonly meta: SopsMetadata;
  readonly key: Uint8Array;
  readonly hash: Hash;
  readonly opened: OpenedValue[];
}

function walkNode(w: Walk, node: unknown, keys: string[], at: (string | number)[]): void {
  if (isAlias(node)) return walkNode(w, node.resolve(w.doc), keys, at);
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const k = keyString(item.key);
      if (keys.length === 0 && k === SOPS_KEY) continue;
      walkNode(w, item.value, [...keys, k], [...at, k]);
    }
    return;
  }
  if (isSeq(node)) {
    node.items.forEach((item, i) => walkNode(w, item, keys, [...at, i]));
    return;
  }
  if (node === null || node === undefined) return;
  if (!isScalar(node)) throw new SopsError(`unexpected YAML node at ${at.join('.')}`);
  leaf(w, node as Scalar<string>, keys, at);
}

function leaf(w: Walk, node: Scalar<string>, keys: string[], at: (string | number)[]): void {
  const encrypted = shouldBeEncrypted(w.meta, keys);
  const hashed = !w.meta.macOnlyEncrypted || encrypted;
  if (!encrypted) {
    const bytes = clearBytes(node);
    if (bytes !== undefined && hashed) w.hash.update(bytes, 'utf8');
    return;
  }
  const raw = node.value;
  if (raw === null || raw === undefined || (node.type === 'PLAIN' && goPlainScalar(String(raw)).kind === 'null')) return;
  if (typeof raw !== 'string') throw new SopsError(`${at.join('.')} should be encrypted but is not a string`);
  if (raw === '') return;
  let opened: { text: string; type: string };
  try {
    opened = decryptValue(raw, w.key, keys.map((k) => k + ':').join(''));
  } catch (err) {
    throw new SopsError(`${at.join('.')} ${(err as Error).message}`);
  }
  if (opened.type === 'comment') return;
  if (hashed) w.hash.update(goTypedBytes(opened.type, opened.text), 'utf8');
  w.opened.push({ path: at, value: typedValue(opened.type, opened.text) });
}

/**
 * Every encrypted value of the document's text, decrypted with its data key, after the MAC has
 * been checked. Throws SopsError (a value that does not authenticate, a MAC mismatch).
 */
export function openTree(text: string, meta: SopsMetadata, dataKey: Uint8Array): OpenedValue[] {
  const docs = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: false });
  if (!Array.isArray(docs)) throw new SopsError('the file holds no YAML document');
  const real = docs.filter((d) => d.contents !== null);
  if (real.length !== 1) throw new SopsError(`the file holds ${real.length} documents; a SOPS-encrypted object must be alone in its file`);
  const doc = real[0]!;
  if (doc.errors.length > 0) throw new SopsError(`YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const hash = createHash('sha512');
  if (meta.macOnlyEncrypted) hash.update(MAC_ONLY_ENCRYPTED_SEED);
  const w: Walk = { doc, meta, key: dataKey, hash, opened: [] };
  walkNode(w, doc.contents as Node, [], []);
  const computed = hash.digest('hex').toUpperCase();
  let stored: string;
  try {
    stored = decryptValue(meta.mac, dataKey, macAdditionalData(meta.lastModified)).text;
  } catch {
    throw new SopsError('MAC mismatch: the stored MAC does not decrypt (sops.mac or sops.lastmodified was changed)');
  }
  if (stored !== computed) throw new SopsError('MAC mismatch: the document was changed after it was encrypted');
  return w.opened;
}
