/**
 * @module git/pack-write
 * Writes a batch of objects as one pack (version 2, whole objects, no deltas, stored without
 * compression: see object-format) plus its index.
 * The pack goes first and the index last, each through a temporary name: git and
 * isomorphic-git only see a pack once its .idx exists, so a kill leaves at most a stray temp file.
 * Entries are compressed and written one after another through a small buffer, so a pack of tens
 * of thousands of objects never sits in memory twice.
 */
import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { bytesOf, STORED_BLOCK, storePackEntry, writeStoredBlock, type ObjectType, type PendingObject } from './object-format.js';
import { PackIndex, writePackIndex, type IndexedObject } from './pack-index.js';

const TYPE_CODE: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };

/** Type and inflated size, 4 bits of size in the first byte then 7 per byte, low bits first. */
function entryHeader(type: ObjectType, size: number): Buffer {
  const bytes: number[] = [];
  let b = (TYPE_CODE[type] << 4) | (size & 0x0f);
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    bytes.push(b | 0x80);
    b = rest & 0x7f;
    rest = Math.floor(rest / 128);
  }
  bytes.push(b);
  return Buffer.from(bytes);
}

const CHUNK = 1 << 20;

/** Appends to a file through one reusable buffer, hashing what it writes. */
class PackFile {
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  offset = 0;

  constructor(private readonly fd: number, private readonly hash: Hash) {}

  write(data: Buffer): void {
    if (this.used + data.length > CHUNK) this.flush();
    if (data.length >= CHUNK) this.out(data);
    else {
      data.copy(this.buf, this.used);
      this.used += data.length;
    }
    this.offset += data.length;
  }

  /**
   * One whole entry. A small one (nearly all) is encoded straight into the buffer, the content's
   * UTF-8 bytes included: no Buffer per object, which a pack of tens of thousands would leave
   * for the garbage collector. Returns the entry's CRC-32, for the index.
   */
  entry(o: PendingObject): number {
    const size = typeof o.content === 'string' ? Buffer.byteLength(o.content, 'utf8') : o.content.length;
    const header = entryHeader(o.type, size);
    const length = header.length + 2 + 5 + size + 4;
    if (size > STORED_BLOCK || length > CHUNK) {
      const body = storePackEntry(bytesOf(o).content);
      this.write(header);
      this.write(body);
      return crc32(body, crc32(header));
    }
    if (this.used + length > CHUNK) this.flush();
    const start = this.used;
    header.copy(this.buf, start);
    this.used = writeStoredBlock(this.buf, start + header.length, o.content, size);
    this.offset += length;
    return crc32(this.buf.subarray(start, this.used));
  }

  flush(): void {
    if (this.used > 0) this.out(this.buf.subarray(0, this.used));
    this.used = 0;
  }

  private out(data: Buffer): void {
    this.hash.update(data);
    for (let at = 0; at < data.length; ) at += fs.writeSync(this.fd, data, at);
  }
}

export function writePack(
  packDir: string,
  objects: readonly (readonly [string, PendingObject])[],
  tmp: string,
): PackIndex {
  fs.mkdirSync(packDir, { recursive: true });
  const tmpPack = join(packDir, `${tmp}.pack`);
  const tmpIdx = join(packDir, `${tmp}.idx`);
  const hash = createHash('sha1');
  const indexed: IndexedObject[] = [];
  const fd = fs.openSync(tmpPack, 'wx', 0o444);
  let checksum: Buffer;
  try {
    const pack = new PackFile(fd, hash);
    const head = Buffer.alloc(12);
    head.write('PACK', 0, 'latin1');
    head.writeUInt32BE(2, 4);
    head.writeUInt32BE(objects.length, 8);
    pack.write(head);
    for (const [oid, o] of objects) {
      const offset = pack.offset;
      indexed.push({ oid, offset, crc: pack.entry(o) });
    }
    pack.flush();
    checksum = hash.digest();
    fs.writeSync(fd, checksum);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmpPack, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  const name = `pack-${checksum.toString('hex')}`;
  fs.renameSync(tmpPack, join(packDir, `${name}.pack`));
  const idx = writePackIndex(indexed, checksum);
  fs.writeFileSync(tmpIdx, idx, { flag: 'wx', mode: 0o444 });
  fs.renameSync(tmpIdx, join(packDir, `${name}.idx`));
  return new PackIndex(idx, join(packDir, `${name}.idx`));
}
