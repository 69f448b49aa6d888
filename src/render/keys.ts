/** The file names objects get in the output tree, and a cache key. (Their identity is src/object.ts.) */
import { createHash } from 'node:crypto';
import { groupOf, type KubeObject } from '../object.js';

/**
 * apiVersion, kind, namespace and name in one string, for caches keyed by identity. Only the name
 * may hold any character in a valid identity (an RBAC name), and it comes last, so the key is exact.
 */
export function identityKey(obj: KubeObject): string {
  return `${obj.apiVersion}\0${obj.kind}\0${obj.metadata.namespace ?? ''}\0${obj.metadata.name}`;
}

// Names are kept as written where they are plain ([A-Za-z0-9._-]); any other byte of their UTF-8
// form becomes %XX. RBAC names may hold ':' and capitals, and names gitfed has not validated (a
// library caller's) may hold anything: each still maps to one file name, and a different name to
// a different one. A leading dot is encoded too, so a segment is never ".", ".." or hidden.
const PLAIN = /^[A-Za-z0-9._-]*$/;

function encode(segment: string): string {
  const s = PLAIN.test(segment) ? segment : [...Buffer.from(segment, 'utf8')].map((b) => (isPlainByte(b) ? String.fromCharCode(b) : '%' + b.toString(16).toUpperCase().padStart(2, '0'))).join('');
  return s.startsWith('.') ? '%2E' + s.slice(1) : s;
}

function isPlainByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2e || b === 0x5f || b === 0x2d;
}

/** Longest file name most file systems take, in bytes; encoded names are ASCII, one byte a character. */
export const MAX_FILE_NAME = 255;
const HASH_CHARS = 16;

/**
 * A file name of at most MAX_FILE_NAME bytes: longer ones keep their start and end in
 * `-<16 hex of sha256 of the whole name><ext>`, so the same name always gives the same file and
 * two long names sharing a start still give two.
 */
export function fitFileName(stem: string, ext: string): string {
  const full = stem + ext;
  if (full.length <= MAX_FILE_NAME) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, HASH_CHARS);
  // Cut before a partial %XX escape, so the kept start still reads as encoded text.
  const kept = stem.slice(0, MAX_FILE_NAME - ext.length - HASH_CHARS - 1).replace(/%[0-9A-F]?$/, '');
  return `${kept}-${hash}${ext}`;
}

/**
 * Path of an object's file inside its cluster directory:
 * `_cluster/<kind>[.<group>]-<name>.yaml` for cluster-scoped objects,
 * `<namespace>/<kind>[.<group>]-<name>.yaml` for namespaced ones.
 * Different objects can still meet in one name (kind `a` of group `b-x` named `y`, and kind `a`
 * of group `b` named `x-y`; or names differing only in case): layout.ts refuses those.
 */
export function fileNameOf(obj: KubeObject): string {
  const scope = obj.metadata.namespace ? fitFileName(encode(obj.metadata.namespace), '') : '_cluster';
  return `${scope}/${fitFileName(fileStemOf(obj), '.yaml')}`;
}

function fileStemOf(obj: KubeObject): string {
  const group = groupOf(obj.apiVersion);
  return `${encode(obj.kind.toLowerCase())}${group ? '.' + encode(group) : ''}-${encode(obj.metadata.name)}`;
}

/**
 * Whether the object's file name is cut and hashed to fit (fitFileName), or its namespace's is:
 * such a name can meet another that is no ending of it.
 */
export function isFileNameCut(obj: KubeObject): boolean {
  return fileStemOf(obj).length + '.yaml'.length > MAX_FILE_NAME || encode(obj.metadata.namespace ?? '').length > MAX_FILE_NAME;
}
