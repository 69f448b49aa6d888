/**
 * @module git/object-store
 * Reads and writes objects in a repository's object store. Writes are hashed in Node
 * (node:crypto) and land as loose objects (deflated) or, for a large batch, as one pack (stored);
 * either way through a temporary file and a rename, so a kill never leaves a truncated object
 * under a real name. Packed objects are read through isomorphic-git, which handles deltas.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { GitError } from '../errors.js';
import { bytesOf, compressLoose, hashObject, objectHeader, type ObjectType, type PendingObject } from './object-format.js';
import { PackIndex } from './pack-index.js';
import { readPackedObject } from './pack-read.js';
import { writePack } from './pack-write.js';
import type { Repo } from './repo.js';

export interface StoredObject {
  readonly type: ObjectType;
  readonly content: Buffer;
}

export interface FlushResult {
  readonly written: number;
  /** 'pack' when the batch went into one pack file. */
  readonly format: 'loose' | 'pack' | 'none';
}

/** Batches of at least this many new objects are written as a pack: one file instead of thousands. */
export const DEFAULT_PACK_THRESHOLD = 512;

let tmpCounter = 0;
function tmpName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${(tmpCounter++).toString(36)}`;
}

export class ObjectStore {
  readonly objectsDir: string;
  private readonly loose = new Map<string, Set<string>>();
  /** Fan-out directories known to exist, so a batch of loose writes does not mkdir each time. */
  private readonly dirs = new Set<string>();
  private packs: PackIndex[] | undefined;
  /** isomorphic-git's pack cache, shared by every read of this store. */
  private readonly isoCache = {};
  /** Objects hashed but not written yet; readable so a plan can build on its own new trees. */
  private readonly staged: ReadonlyMap<string, PendingObject>[] = [];

  constructor(readonly repo: Repo) {
    this.objectsDir = join(repo.commondir, 'objects');
  }

  /** Whether the object is stored, loose or in a pack (alternates are not consulted). */
  has(oid: string): boolean {
    return this.looseNames(oid.slice(0, 2)).has(oid.slice(2)) || this.packIndexes().some((p) => p.has(oid));
  }

  /** Makes the objects of `batch` readable before they are written. */
  stage(batch: ObjectBatch): void {
    this.staged.push(batch.objects);
  }

  async read(oid: string): Promise<StoredObject> {
    for (const m of this.staged) {
      const o = m.get(oid);
      if (o) return bytesOf(o);
    }
    for (const p of this.packIndexes()) {
      const offset = p.offsetOf(oid);
      if (offset < 0) continue;
      const packPath = p.path.replace(/\.idx$/, '.pack');
      let o: StoredObject | null;
      try {
        o = readPackedObject(packPath, offset);
      } catch (err) {
        throw new GitError('CorruptObject', `object ${oid} in ${packPath} is corrupt: ${(err as Error).message}`, { file: packPath }, { cause: err });
      }
      if (o && hashObject(o.type, o.content) !== oid) throw new GitError('CorruptObject', `object ${oid} in ${packPath} does not match its id`, { file: packPath });
      return o ?? this.readThroughIsomorphicGit(oid);
    }
    const loosePath = join(this.objectsDir, oid.slice(0, 2), oid.slice(2));
    if (this.looseNames(oid.slice(0, 2)).has(oid.slice(2))) return parseLoose(oid, fs.readFileSync(loosePath), loosePath);
    return this.readThroughIsomorphicGit(oid);
  }

  /** Deltified pack entries; also reports a missing object the way isomorphic-git sees it. */
  private async readThroughIsomorphicGit(oid: string): Promise<StoredObject> {
    try {
      // Loaded on the first deltified or unknown object only: a render of a fresh repository never needs it.
      const { default: git } = await import('isomorphic-git');
      const r = await git.readObject({ fs, gitdir: this.repo.commondir, oid, format: 'content', cache: this.isoCache });
      return { type: r.type as ObjectType, content: Buffer.from(r.object as Uint8Array) };
    } catch (err) {
      const code = (err as { code?: string }).code === 'NotFoundError' ? 'ObjectNotFound' : 'CorruptObject';
      throw new GitError(code, `cannot read object ${oid} in ${this.objectsDir}: ${(err as Error).message}`, { file: this.objectsDir }, { cause: err });
    }
  }

  /** Reads an object and checks its type, naming `what` (a ref, a path) in the error. */
  async readTyped(oid: string, type: ObjectType, what: string): Promise<Buffer> {
    const o = await this.read(oid);
    if (o.type !== type) throw new GitError('CorruptObject', `${what}: object ${oid} is a ${o.type}, expected a ${type}`);
    return o.content;
  }

  /** Writes the objects that are not stored yet, then reports how many went to disk and how. */
  writeAll(objects: ReadonlyMap<string, PendingObject>, packThreshold = DEFAULT_PACK_THRESHOLD): FlushResult {
    const missing = [...objects].filter(([oid]) => !this.has(oid));
    if (missing.length === 0) return { written: 0, format: 'none' };
    if (missing.length >= packThreshold) {
      const idx = writePack(join(this.objectsDir, 'pack'), missing, tmpName('tmp_pack'));
      this.packIndexes().push(idx);
      return { written: missing.length, format: 'pack' };
    }
    for (const [oid, o] of missing) this.writeLoose(oid, o);
    return { written: missing.length, format: 'loose' };
  }

  private writeLoose(oid: string, pending: PendingObject): void {
    const o = bytesOf(pending);
    const dir = join(this.objectsDir, oid.slice(0, 2));
    if (!this.dirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
    const tmp = join(dir, tmpName('tmp_obj'));
    fs.writeFileSync(tmp, compressLoose(Buffer.concat([objectHeader(o.type, o.content.length), o.content])), { flag: 'wx', mode: 0o444 });
    fs.renameSync(tmp, join(dir, oid.slice(2)));
    this.looseNames(oid.slice(0, 2)).add(oid.slice(2));
  }

  private looseNames(prefix: string): Set<string> {
    let names = this.loose.get(prefix);
    if (!names) {
      try {
        names = new Set(fs.readdirSync(join(this.objectsDir, prefix)));
        this.dirs.add(join(this.objectsDir, prefix));
      } catch {
        names = new Set();
      }
      this.loose.set(prefix, names);
    }
    return names;
  }

  private packIndexes(): PackIndex[] {
    if (!this.packs) {
      const dir = join(this.objectsDir, 'pack');
      const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.idx')).sort() : [];
      this.packs = files.map((f) => new PackIndex(fs.readFileSync(join(dir, f)), join(dir, f)));
    }
    return this.packs;
  }
}

function parseLoose(oid: string, raw: Buffer, path: string): StoredObject {
  let buf: Buffer;
  try {
    buf = inflateSync(raw);
  } catch (err) {
    throw new GitError('CorruptObject', `object ${oid} is corrupt (does not inflate)`, { file: path }, { cause: err });
  }
  const nul = buf.indexOf(0);
  const m = /^(blob|tree|commit|tag) (\d+)$/.exec(buf.toString('latin1', 0, Math.max(nul, 0)));
  const content = buf.subarray(nul + 1);
  if (!m || Number(m[2]) !== content.length || hashObject(m[1] as ObjectType, content) !== oid) {
    throw new GitError('CorruptObject', `object ${oid} is corrupt (bad header or checksum)`, { file: path });
  }
  return { type: m[1] as ObjectType, content };
}

/** Objects hashed in memory, waiting to be written in one go before any ref moves. */
export class ObjectBatch {
  readonly objects = new Map<string, PendingObject>();

  add(type: ObjectType, content: Buffer | string): string {
    const oid = hashObject(type, content);
    if (!this.objects.has(oid)) this.objects.set(oid, { type, content });
    return oid;
  }
}
