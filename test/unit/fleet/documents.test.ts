import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/fleet/atomic-write.js';
import { documentChunks, editDocument, printOptions, removeDocument, replaceDocument, spliceChanged } from '../../../src/fleet/documents.js';
import { listFiles, makeFleet, read } from './fixtures.js';

const FILE = `# header of a
a: 1
--- # second
b:
- x    # flat sequence
- y
---
c: {d: 1}
`;

describe('fleet documents', () => {
  it('splits where the loader splits, markers kept apart from bodies', () => {
    expect(documentChunks(FILE).map((c) => [c.head, c.firstLine])).toEqual([[[], 1], [['--- # second'], 4], [['---'], 8]]);
  });

  it('removes the first, a middle or the last document and nothing else', () => {
    expect(removeDocument(FILE, 2, 'f')).toBe('--- # second\nb:\n- x    # flat sequence\n- y\n---\nc: {d: 1}\n');
    expect(removeDocument(FILE, 5, 'f')).toBe('# header of a\na: 1\n---\nc: {d: 1}\n');
    expect(removeDocument(FILE, 8, 'f')).toBe('# header of a\na: 1\n--- # second\nb:\n- x    # flat sequence\n- y\n');
    expect(removeDocument('# only\na: 1\n', 2, 'f')).toBeUndefined();
  });

  it('replaces one document, keeping its marker and the blank line after it', () => {
    expect(replaceDocument('a: 1\n\n---\nb: 2\n', 1, 'z: 9\n', 'f')).toBe('z: 9\n\n---\nb: 2\n');
    expect(replaceDocument(FILE, 8, 'e: 2\n', 'f').endsWith('---\ne: 2\n')).toBe(true);
  });

  it('edits one document and keeps the author\'s sequence style and trailing comments', () => {
    const r = editDocument(FILE, 4, 'f', (doc) => {
      doc.setIn(['b', 2], 'z');
      return true;
    });
    expect(r.text).toBe(FILE.replace('- y\n', '- y\n- z\n'));
    expect(printOptions('b:\n- x\n').indentSeq).toBe(false);
    expect(printOptions('a:\n    b:\n      - x\n')).toMatchObject({ indentSeq: true, indent: 4 });
  });

  it('falls back to the printer\'s text when it changed the line count', () => {
    expect(spliceChanged('a: [1,\n  2]\n', 'a: [1, 2]\n', 'a: [1, 3]\n')).toBe('a: [1, 3]\n');
    expect(spliceChanged('a:   1\nb: 2\nc:   3\n', 'a: 1\nb: 2\nc: 3\n', 'a: 1\nb: 5\nc: 3\n')).toBe('a:   1\nb: 5\nc:   3\n');
  });

  it('writes atomically and leaves no temp file, also when the write fails', async () => {
    const dir = await makeFleet({});
    await writeFileAtomic(join(dir, 'a/b.yaml'), 'x: 1\n');
    expect(await read(dir, 'a/b.yaml')).toBe('x: 1\n');
    await mkdir(join(dir, 'a/dir.yaml'));
    await expect(writeFileAtomic(join(dir, 'a/dir.yaml'), 'y')).rejects.toThrow();
    expect(await listFiles(dir)).toEqual(['a/b.yaml']);
  });
});
