/**
 * @module git/pack-index
 * Pack index files (.idx, version 2): answering "is this object in that pack?" without reading
 * the pack, and writing the index of a pack gitfed wrote. Reading pack contents (deltas) is left
 * to isomorphic-git.
 */
import { createHash } from 'node:crypto';

const MAGIC = Buffer.from([0xff, 0x74, 0x4f, 0x63]);
const FANOUT = 8;
const OIDS = FANOUT + 256 * 4;

/** The object ids of one pack, looked up by fan-out and binary search over the raw index. */
export class PackIndex {
  private readonly count: number;

  constructor(private readonly buf: Buffer, readonly path: string) {
    if (buf.length < OIDS || !buf.subarray(0, 4).equals(MAGIC) || buf.readUInt32BE(4) !== 2) {
      throw new Error(`${path}: not a version 2 pack index`);
    }
    this.count = buf.readUInt32BE(FANOUT + 255 * 4);
  }

  has(oid: string): boolean {
    return this.position(oid) >= 0;
  }

  /** Byte offset of the object's entry in the pack, or -1 when the pack does not hold it. */
  offsetOf(oid: string): number {
    const i = this.position(oid);
    if (i < 0) return -1;
    const at = OIDS + this.count * 24 + i * 4;
    const small = this.buf.readUInt32BE(at);
    if (!(small & 0x80000000)) return small;
    const large = OIDS + this.count * 28 + (small & 0x7fffffff) * 8;
    return Number(this.buf.readBigUInt64BE(large));
  }

  private position(oid: string): number {
    const key = Buffer.from(oid, 'hex');
    const first = key[0]!;
    let lo = first === 0 ? 0 : this.buf.readUInt32BE(FANOUT + (first - 1) * 4);
    let hi = this.buf.readUInt32BE(FANOUT + first * 4);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const at = OIDS + mid * 20;
      const c = this.buf.compare(key, 0, 20, at, at + 20);
      if (c === 0) return mid;
      // buf.compare(target...) compares target against buf's slice: >0 means the slice is greater.
      if (c > 0) hi = mid;
      else lo = mid + 1;
    }
    return -1;
  }
}

export interface IndexedObject {
  readonly oid: string;
  readonly offset: number;
  readonly crc: number;
}

/** Serialises a version 2 index for a pack whose trailer checksum is `packChecksum`. */
export function writePackIndex(objects: readonly IndexedObject[], packChecksum: Buffer): Buffer {
  const sorted = [...objects].sort((a, b) => (a.oid < b.oid ? -1 : a.oid > b.oid ? 1 : 0));
  const n = sorted.length;
  const fanout = Buffer.alloc(256 * 4);
  const oids = Buffer.alloc(n * 20);
  const crcs = Buffer.alloc(n * 4);
  const offsets = Buffer.alloc(n * 4);
  const large: Buffer[] = [];
  const counts = new Array<number>(256).fill(0);
  sorted.forEach((o, i) => {
    oids.write(o.oid, i * 20, 'hex');
    crcs.writeUInt32BE(o.crc >>> 0, i * 4);
    if (o.offset < 0x80000000) {
      offsets.writeUInt32BE(o.offset, i * 4);
    } else {
      // Offsets past 2 GiB go to the 64-bit table; the 32-bit slot holds its index with the MSB set.
      offsets.writeUInt32BE((0x80000000 | large.length) >>> 0, i * 4);
      const b = Buffer.alloc(8);
      b.writeBigUInt64BE(BigInt(o.offset));
      large.push(b);
    }
    counts[parseInt(o.oid.slice(0, 2), 16)]!++;
  });
  let running = 0;
  for (let i = 0; i < 256; i++) {
    running += counts[i]!;
    fanout.writeUInt32BE(running, i * 4);
  }
  const version = Buffer.alloc(4);
  version.writeUInt32BE(2);
  const body = Buffer.concat([MAGIC, version, fanout, oids, crcs, offsets, ...large, packChecksum]);
  return Buffer.concat([body, createHash('sha1').update(body).digest()]);
}
