/**
 * @module git/object-format
 * Git's object encodings, byte for byte: object ids, trees (entry order and modes) and commits.
 * Pure functions over Buffers; nothing here touches the disk.
 */
import { createHash, hash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { GitError } from '../errors.js';

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

/** Modes git writes for the entries gitfed produces (git normalises to these; fsck rejects others). */
export const MODE_FILE = '100644';
export const MODE_TREE = '40000';

export function objectHeader(type: ObjectType, size: number): Buffer {
  return Buffer.from(`${type} ${size}\0`, 'latin1');
}

/*
 * Compression. An object id is the hash of the uncompressed bytes, so how an object is
 * compressed changes its size on disk, never a tree or commit id.
 *
 * A pack is what a full render writes: tens of thousands of small objects, where zlib costs a
 * fixed few microseconds per object before it compresses a byte, and deflating was most of a
 * commit. Pack entries are therefore written as stored deflate blocks, without calling zlib:
 * what git itself writes with pack.compression 0, about twice the size of level 1 on rendered
 * YAML. `git gc --aggressive` (or `git repack -adF`) deltifies and compresses them. Loose objects
 * come a few at a time and are deflated at level 1, git's default for them.
 */

/** Zlib level of loose objects. */
export const LOOSE_COMPRESSION = 1;

/** The zlib stream of a loose object (its header and content). */
export function compressLoose(data: Buffer): Buffer {
  return deflateSync(data, { level: LOOSE_COMPRESSION });
}

/** The largest stored deflate block. */
export const STORED_BLOCK = 65535;
// A zlib header saying deflate, 32K window, fastest level.
const ZLIB_HEADER = [0x78, 0x01];

function adler32(data: Buffer, from = 0, to = data.length): number {
  let a = 1;
  let b = 0;
  // 5552 bytes is the most that can be summed before the 32-bit sums could overflow (RFC 1950).
  for (let i = from; i < to; ) {
    const end = Math.min(to, i + 5552);
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/**
 * Writes at `at` in `buf` the zlib stream of content of `size` (<= STORED_BLOCK) bytes as one
 * stored block, the content encoded straight into place; returns the offset after it. The caller
 * makes sure `buf` has room: 2 + 5 + size + 4 bytes.
 */
export function writeStoredBlock(buf: Buffer, at: number, content: Buffer | string, size: number): number {
  let o = at;
  buf[o++] = ZLIB_HEADER[0]!;
  buf[o++] = ZLIB_HEADER[1]!;
  buf[o] = 1;
  buf.writeUInt16LE(size, o + 1);
  buf.writeUInt16LE(~size & 0xffff, o + 3);
  o += 5;
  const n = typeof content === 'string' ? buf.write(content, o, 'utf8') : content.copy(buf, o);
  if (n !== size) throw new Error(`stored block: wrote ${n} bytes, expected ${size}`);
  const adler = adler32(buf, o, o + size);
  o += size;
  buf.writeUInt32BE(adler, o);
  return o + 4;
}

/** The zlib stream of a pack entry's content: stored blocks (RFC 1950/1951), no compression. */
export function storePackEntry(data: Buffer): Buffer {
  const blocks = Math.max(1, Math.ceil(data.length / STORED_BLOCK));
  const out = Buffer.allocUnsafe(ZLIB_HEADER.length + data.length + blocks * 5 + 4);
  out[0] = ZLIB_HEADER[0]!;
  out[1] = ZLIB_HEADER[1]!;
  let o = ZLIB_HEADER.length;
  for (let i = 0; i < blocks; i++) {
    const start = i * STORED_BLOCK;
    const len = Math.min(STORED_BLOCK, data.length - start);
    // BFINAL on the last block, BTYPE 00 (stored), then LEN and its one's complement, little-endian.
    out[o] = i === blocks - 1 ? 1 : 0;
    out.writeUInt16LE(len, o + 1);
    out.writeUInt16LE(~len & 0xffff, o + 3);
    o += 5;
    data.copy(out, o, start, start + len);
    o += len;
  }
  out.writeUInt32BE(adler32(data), o);
  return out;
}

/**
 * An object waiting to be written. A rendered file stays the text it is until it is written:
 * holding every file of a render a second time as bytes would only raise the peak memory.
 */
export interface PendingObject {
  readonly type: ObjectType;
  /** Bytes, or text standing for its UTF-8 bytes. */
  readonly content: Buffer | string;
}

export function bytesOf(o: PendingObject): { readonly type: ObjectType; readonly content: Buffer } {
  return { type: o.type, content: typeof o.content === 'string' ? Buffer.from(o.content, 'utf8') : o.content };
}

// Where a small text is encoded to be hashed, after room for its header.
const SCRATCH = Buffer.allocUnsafe(1 << 16);
const HEADER_ROOM = 32;

/** The object id git gives `content` (bytes, or text meaning its UTF-8 bytes) stored as `type`. */
export function hashObject(type: ObjectType, content: Buffer | string): string {
  // A render hashes tens of thousands of small files: the one-shot hash skips a Hash object each,
  // and a text is encoded once, into a buffer kept for it, with its header written in front
  // once its length in bytes is known (no measuring pass, no header-plus-text string).
  if (typeof content === 'string') {
    if (content.length * 3 <= SCRATCH.length - HEADER_ROOM) {
      const size = SCRATCH.write(content, HEADER_ROOM, 'utf8');
      const header = `${type} ${size}\0`;
      const start = HEADER_ROOM - header.length;
      SCRATCH.write(header, start, 'latin1');
      return hash('sha1', SCRATCH.subarray(start, HEADER_ROOM + size), 'hex');
    }
    return hash('sha1', `${type} ${Buffer.byteLength(content, 'utf8')}\0${content}`, 'hex');
  }
  return createHash('sha1').update(objectHeader(type, content.length)).update(content).digest('hex');
}

export interface TreeEntry {
  readonly name: string;
  readonly mode: string;
  readonly oid: string;
}

/** The bytes git sorts an entry by: its name, with '/' appended for a directory. */
function sortKey(e: TreeEntry): Buffer {
  return Buffer.from(e.mode === MODE_TREE ? e.name + '/' : e.name, 'utf8');
}

/**
 * Git orders tree entries by the bytes of their names, a directory compared as if its name ended
 * in '/': file `a.b` comes before directory `a` (key `a/`), file `a0` after it. fsck reports
 * "not properly sorted" for any other order, and a different order is a different tree id.
 */
export function compareEntries(a: TreeEntry, b: TreeEntry): number {
  return Buffer.compare(sortKey(a), sortKey(b));
}

export function serializeTree(entries: readonly TreeEntry[]): Buffer {
  // A render writes a tree entry per file: ASCII names (all that render writes) are sorted as
  // strings, which orders them as their bytes, and every entry is written into one buffer.
  const ascii = entries.every((e) => ASCII.test(e.name));
  const keyed = ascii
    ? entries.map((e) => ({ e, k: e.mode === MODE_TREE ? e.name + '/' : e.name })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    : entries.map((e) => ({ e, k: sortKey(e) })).sort((a, b) => Buffer.compare(a.k, b.k));
  let size = 0;
  for (const { e } of keyed) size += e.mode.length + 2 + Buffer.byteLength(e.name, 'utf8') + 20;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const { e } of keyed) {
    at += out.write(e.mode, at, 'latin1');
    out[at++] = 0x20;
    at += out.write(e.name, at, 'utf8');
    out[at++] = 0;
    if (!OID.test(e.oid)) throw new GitError('InvalidOutput', `tree entry ${JSON.stringify(e.name)}: ${JSON.stringify(e.oid)} is not an object id`);
    at += out.write(e.oid, at, 'hex');
  }
  return out;
}

const ASCII = /^[\x00-\x7f]*$/;
const OID = /^[0-9a-f]{40}$/;

export function parseTree(buf: Buffer): TreeEntry[] {
  const out: TreeEntry[] = [];
  let i = 0;
  while (i < buf.length) {
    const sp = buf.indexOf(0x20, i);
    const nul = buf.indexOf(0, sp);
    if (sp < 0 || nul < 0 || nul + 21 > buf.length) throw new Error(`truncated tree entry at byte ${i}`);
    out.push({
      mode: buf.toString('latin1', i, sp),
      name: buf.toString('utf8', sp + 1, nul),
      oid: buf.toString('hex', nul + 1, nul + 21),
    });
    i = nul + 21;
  }
  return out;
}

/** `Name <email> <unix seconds> <+hhmm>`, as in a commit header. */
export interface Signature {
  readonly name: string;
  readonly email: string;
  /** Unix seconds. */
  readonly timestamp: number;
  /** Minutes east of UTC. */
  readonly tzOffset: number;
}

export interface CommitObject {
  readonly tree: string;
  readonly parents: readonly string[];
  readonly author: Signature;
  readonly committer: Signature;
  /** Full message, ending in a newline. */
  readonly message: string;
}

function formatTz(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

function formatSignature(s: Signature): string {
  return `${s.name} <${s.email}> ${s.timestamp} ${formatTz(s.tzOffset)}`;
}

export function serializeCommit(c: CommitObject): Buffer {
  const lines = [`tree ${c.tree}`, ...c.parents.map((p) => `parent ${p}`),
    `author ${formatSignature(c.author)}`, `committer ${formatSignature(c.committer)}`];
  return Buffer.from(`${lines.join('\n')}\n\n${c.message}`, 'utf8');
}

function parseSignature(s: string): Signature {
  const m = /^(.*) <(.*)> (\d+) ([+-])(\d\d)(\d\d)$/.exec(s);
  if (!m) throw new Error(`malformed signature "${s}"`);
  const tz = Number(m[5]) * 60 + Number(m[6]);
  return { name: m[1]!, email: m[2]!, timestamp: Number(m[3]), tzOffset: m[4] === '-' ? -tz : tz };
}

export function parseCommit(buf: Buffer): CommitObject {
  const text = buf.toString('utf8');
  const split = text.indexOf('\n\n');
  const head = split < 0 ? text : text.slice(0, split);
  const message = split < 0 ? '' : text.slice(split + 2);
  let tree = '';
  const parents: string[] = [];
  let author: Signature | undefined;
  let committer: Signature | undefined;
  for (const line of head.split('\n')) {
    // Continuation lines (a gpgsig block) start with a space and belong to the previous header.
    if (line.startsWith(' ')) continue;
    const sp = line.indexOf(' ');
    const key = line.slice(0, sp);
    const value = line.slice(sp + 1);
    if (key === 'tree') tree = value;
    else if (key === 'parent') parents.push(value);
    else if (key === 'author') author = parseSignature(value);
    else if (key === 'committer') committer = parseSignature(value);
  }
  if (!/^[0-9a-f]{40}$/.test(tree) || !author || !committer) throw new Error('commit without tree, author or committer');
  return { tree, parents, author, committer, message };
}

/** First line of a commit message. */
export function subjectOf(message: string): string {
  return message.split('\n', 1)[0] ?? '';
}
