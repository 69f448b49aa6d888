/**
 * @module git/pack-read
 * Reads one whole (undeltified) object out of a pack at a known offset, without loading the pack:
 * what gitfed's own packs hold, so reading back the previous commit costs a few small reads.
 * Deltified entries (any pack git made) are left to the caller's fallback.
 */
import * as fs from 'node:fs';
import { inflateSync } from 'node:zlib';
import type { ObjectType } from './object-format.js';

const TYPES: Record<number, ObjectType> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' };

/** Longest an entry header gets: type and a size up to 2^53 in 7-bit groups. */
const MAX_HEADER = 10;

function readAt(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  const n = fs.readSync(fd, buf, 0, length, offset);
  return buf.subarray(0, n);
}

/** The object at `offset` of the pack, or null when it is stored as a delta. */
export function readPackedObject(packPath: string, offset: number): { type: ObjectType; content: Buffer } | null {
  const fd = fs.openSync(packPath, 'r');
  try {
    const head = readAt(fd, offset, MAX_HEADER);
    let i = 0;
    let byte = head[i++]!;
    const type = TYPES[(byte >> 4) & 7];
    if (!type) return null;
    let size = byte & 0x0f;
    let shift = 4;
    while (byte & 0x80) {
      byte = head[i++]!;
      size += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    }
    // Deflate never grows data by more than 5 bytes per 16 KiB block plus its 6-byte frame;
    // inflate stops at the end of the stream and ignores what follows.
    const bound = size + 16 + Math.ceil(size / 16384) * 5;
    const content = inflateSync(readAt(fd, offset + i, bound));
    if (content.length !== size) throw new Error(`pack entry at ${offset} inflates to ${content.length} bytes, header says ${size}`);
    return { type, content };
  } finally {
    fs.closeSync(fd);
  }
}
