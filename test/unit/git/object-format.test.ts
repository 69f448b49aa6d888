import { describe, expect, it } from 'vitest';
import { TreeBuilder } from '../../../src/git/build-tree.js';
import { hashObject, MODE_FILE, MODE_TREE, parseCommit, parseTree, serializeCommit, serializeTree } from '../../../src/git/object-format.js';
import { ObjectBatch } from '../../../src/git/object-store.js';
import { git, initRepo } from './fixtures.js';

describe('object encodings agree with native git', () => {
  it('hashes a blob to the id of git hash-object', () => {
    const dir = initRepo();
    const content = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n';
    expect(hashObject('blob', Buffer.from(content))).toBe(git(dir, ['hash-object', '--stdin'], content));
  });

  it('orders entries as git mktree does: a directory sorts as its name plus a slash', () => {
    const dir = initRepo();
    const blob = git(dir, ['hash-object', '-w', '--stdin'], 'x\n');
    const sub = git(dir, ['mktree'], `100644 blob ${blob}\tf\n`);
    // Byte order of the keys: 'a-b' < 'a.b' < 'a/' (the directory) < 'a0' < 'b'.
    const entries = [
      { name: 'b', mode: MODE_FILE, oid: blob },
      { name: 'a0', mode: MODE_FILE, oid: blob },
      { name: 'a', mode: MODE_TREE, oid: sub },
      { name: 'a.b', mode: MODE_FILE, oid: blob },
      { name: 'a-b', mode: MODE_FILE, oid: blob },
    ];
    const native = git(dir, ['mktree'], entries.map((e) => `${e.mode === MODE_TREE ? '040000 tree' : '100644 blob'} ${e.oid}\t${e.name}`).join('\n') + '\n');
    const ours = serializeTree(entries);
    expect(hashObject('tree', ours)).toBe(native);
    expect(parseTree(ours).map((e) => e.name)).toEqual(['a-b', 'a.b', 'a', 'a0', 'b']);
  });

  it('orders names beyond ASCII by their UTF-8 bytes, as git mktree does', () => {
    const dir = initRepo();
    const blob = git(dir, ['hash-object', '-w', '--stdin'], 'x\n');
    const sub = git(dir, ['mktree'], `100644 blob ${blob}\tf\n`);
    // UTF-16 order puts U+FF5E before the surrogate pair of U+1F600; UTF-8 bytes the other way round.
    const names = ['z', 'é', '\uff5e', '😀', 'e\u0301', 'a'];
    const entries = names.map((name, i) => ({ name, mode: i % 2 ? MODE_TREE : MODE_FILE, oid: i % 2 ? sub : blob }));
    const native = git(dir, ['mktree'], entries.map((e) => `${e.mode === MODE_TREE ? '040000 tree' : '100644 blob'} ${e.oid}\t${e.name}`).join('\n') + '\n');
    expect(hashObject('tree', serializeTree(entries))).toBe(native);
  });

  it('round-trips a commit and keeps negative time zones', () => {
    const c = {
      tree: '4b825dc642cb6eb9a060e54bf8d69288fbee4904', parents: ['1'.repeat(40)],
      author: { name: 'A', email: 'a@x', timestamp: 1700000000, tzOffset: -330 },
      committer: { name: 'C', email: 'c@x', timestamp: 1700000001, tzOffset: 60 },
      message: 'subject\n\nbody\n',
    };
    const buf = serializeCommit(c);
    expect(buf.toString()).toContain('author A <a@x> 1700000000 -0530\n');
    expect(parseCommit(buf)).toEqual(c);
  });
});

describe('TreeBuilder', () => {
  it('builds the tree native git builds from the same files', () => {
    const dir = initRepo();
    const files: Record<string, string> = { 'z.yaml': 'z\n', 'clusters/a/x.yaml': 'x\n', 'clusters/a-1/y.yaml': 'y\n', 'clusters/a.b': 'ab\n' };
    const batch = new ObjectBatch();
    const tb = new TreeBuilder();
    for (const [p, c] of Object.entries(files)) {
      tb.addFile(p, batch.add('blob', Buffer.from(c)));
      git(dir, ['update-index', '--add', '--cacheinfo', `100644,${git(dir, ['hash-object', '-w', '--stdin'], c)},${p}`]);
    }
    expect(tb.build(batch)).toBe(git(dir, ['write-tree']));
  });

  it('refuses a path that is both a file and a directory, and .git entries', () => {
    const tb = new TreeBuilder();
    tb.addFile('a/b', '1'.repeat(40));
    expect(() => tb.addFile('a/b/c', '1'.repeat(40))).toThrow(/needs "b" to be a directory/);
    expect(() => tb.addFile('a/b', '2'.repeat(40))).toThrow(/given twice/);
    expect(() => tb.addFile('x/.git/config', '1'.repeat(40))).toThrow(/invalid path/);
  });
});
