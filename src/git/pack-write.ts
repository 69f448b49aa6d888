/**
 * @module git/pack-write
 * Writes a batch of objects as one pack (version 2, whole objects, no deltas) plus its index.
 * The pack goes first and the index last, each through a temporary name: git and
 * isomorphic-git only see a pack once its .idx exists, so a kill leaves at most a stray temp file.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { ObjectType } from './object-format.js';
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

export function writePack(
  packDir: string,
  objects: readonly (readonly [string, { readonly type: ObjectType; readonly content: Buffer }])[],
  tmp: string,
): PackIndex {
  fs.mkdirSync(packDir, { recursive: true });
  const head = Buffer.alloc(12);
  head.write('PACK', 0, 'latin1');
  head.writeUInt32BE(2, 4);
  head.writeUInt32BE(objects.length, 8);
  const parts: Buffer[] = [head];
  const indexed: IndexedObject[] = [];
  let offset = head.length;
  for (const [oid, o] of objects) {
    const entry = Buffer.concat([entryHeader(o.type, o.content.length), deflateSync(o.content, { level: 1 })]);
    indexed.push({ oid, offset, crc: crc32(entry) });
    parts.push(entry);
    offset += entry.length;
  }
  const hash = createHash('sha1');
  for (const p of parts) hash.update(p);
  const checksum = hash.digest();
  parts.push(checksum);
  const name = `pack-${checksum.toString('hex')}`;
  const tmpPack = join(packDir, `${tmp}.pack`);
  const tmpIdx = join(packDir, `${tmp}.idx`);
  const idx = writePackIndex(indexed, checksum);
  fs.writeFileSync(tmpPack, Buffer.concat(parts), { flag: 'wx', mode: 0o444 });
  fs.renameSync(tmpPack, join(packDir, `${name}.pack`));
  fs.writeFileSync(tmpIdx, idx, { flag: 'wx', mode: 0o444 });
  fs.renameSync(tmpIdx, join(packDir, `${name}.idx`));
  return new PackIndex(idx, join(packDir, `${name}.idx`));
}
