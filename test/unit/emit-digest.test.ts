/**
 * The digest of a cluster's files, which the output branch's metadata records and the next commit
 * compares: sha256 over `path NUL text NUL` of every file in path order, whatever the texts hold.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestFiles } from '../../src/render/emit.js';

function plainDigest(files: Map<string, string>): string {
  const h = createHash('sha256');
  for (const p of [...files.keys()].sort()) h.update(`${p}\0${files.get(p)!}\0`, 'utf8');
  return h.digest('hex');
}

describe('digestFiles', () => {
  it('is sha256 over path, NUL, text, NUL of each file in path order', () => {
    const files = new Map([
      ['c/b.yaml', 'kind: B\n'],
      ['c/a.yaml', 'name: naïve ✓ 日本 😀\n'],
      ['c/empty.yaml', ''],
    ]);
    expect(digestFiles(files)).toBe(plainDigest(files));
    expect(digestFiles(files)).toBe(createHash('sha256').update('c/a.yaml\0name: naïve ✓ 日本 😀\n\0c/b.yaml\0kind: B\n\0c/empty.yaml\0\0').digest('hex'));
  });

  it('holds for texts larger than its buffer and for many files that fill it many times over', () => {
    const big = new Map([
      ['x/big.yaml', `data: ${'é✓x'.repeat(40_000)}\n`],
      ['x/small.yaml', 'a: b\n'],
    ]);
    expect(digestFiles(big)).toBe(plainDigest(big));
    const many = new Map(Array.from({ length: 3_000 }, (_, i) => [`m/f-${String(i).padStart(4, '0')}.yaml`, `index: ${i}\nnote: ${'ü'.repeat(i % 97)}\n`] as const));
    expect(digestFiles(many)).toBe(plainDigest(many));
  });
});
