import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { GitError } from '../../../src/errors.js';
import { readSourceAt } from '../../../src/git/source.js';
import { commitFiles, git, initRepo } from './fixtures.js';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(GitError);
    return `${(e as GitError).code}: ${(e as GitError).message}`;
  }
  return 'no error';
}

function history(): { dir: string; c1: string; c2: string } {
  const dir = initRepo();
  const c1 = commitFiles(dir, 'add web', { 'manifests/web.yaml': 'kind: A\n', 'docs/readme.md': '# x\n' });
  const c2 = commitFiles(dir, 'change web\n\nwith a body', { 'manifests/web.yaml': 'kind: B\n', 'manifests/db/db.yaml': 'kind: C\n' });
  return { dir, c1, c2 };
}

describe('readSourceAt', () => {
  it('reads HEAD from the object store, ignoring uncommitted edits in the work tree', async () => {
    const { dir, c2 } = history();
    writeFileSync(join(dir, 'manifests/web.yaml'), 'kind: Dirty\n');
    const s = await readSourceAt({ dir });
    expect(s.commit).toBe(c2);
    expect(s.subject).toBe('change web');
    expect(s.time).toBe(Number(git(dir, ['show', '-s', '--format=%ct', c2])));
    expect(Object.fromEntries(s.files)).toEqual({ 'manifests/web.yaml': 'kind: B\n', 'manifests/db/db.yaml': 'kind: C\n', 'docs/readme.md': '# x\n' });
  });

  it('resolves branches, tags, abbreviated ids and ~/^ suffixes', async () => {
    const { dir, c1, c2 } = history();
    git(dir, ['tag', '-a', '-m', 'release', 'v1', c1]);
    for (const ref of ['v1', 'HEAD~1', 'main^', c1.slice(0, 8), `${c2}~`]) {
      expect((await readSourceAt({ dir, ref })).commit, ref).toBe(c1);
    }
    expect((await readSourceAt({ dir, ref: 'refs/heads/main' })).files.get('manifests/web.yaml')).toBe('kind: B\n');
  });

  it('lets the caller prune directories and files', async () => {
    const { dir } = history();
    const seen: string[] = [];
    const s = await readSourceAt({ dir, filter: (p, type) => (seen.push(`${type}:${p}`), !p.startsWith('docs') && !p.endsWith('db')) });
    expect([...s.files.keys()]).toEqual(['manifests/web.yaml']);
    expect(seen).not.toContain('file:manifests/db/db.yaml');
  });

  it('takes a blob decoded by an earlier read (a diff\'s other side) from `texts`, and adds what it decodes', async () => {
    const { dir, c1 } = history();
    const texts = new Map<string, string>();
    const base = await readSourceAt({ dir, ref: c1, texts });
    const oid = (path: string, ref: string) => git(dir, ['rev-parse', `${ref}:${path}`]);
    expect(Object.fromEntries(texts)).toEqual({ [oid('manifests/web.yaml', c1)]: 'kind: A\n', [oid('docs/readme.md', c1)]: '# x\n' });
    expect(base.files.get('docs/readme.md')).toBe('# x\n');
    // Read from the map, not the store: a text planted under the shared blob's id is what comes back.
    texts.set(oid('docs/readme.md', 'HEAD'), 'planted\n');
    const head = await readSourceAt({ dir, texts });
    expect(Object.fromEntries(head.files)).toEqual({ 'manifests/web.yaml': 'kind: B\n', 'manifests/db/db.yaml': 'kind: C\n', 'docs/readme.md': 'planted\n' });
    expect(texts.get(oid('manifests/db/db.yaml', 'HEAD'))).toBe('kind: C\n');
  });

  it('reads a repository whose objects are all packed (a clone)', async () => {
    const { dir, c2 } = history();
    git(dir, ['gc', '-q']);
    const s = await readSourceAt({ dir, ref: 'main' });
    expect(s.commit).toBe(c2);
    expect(s.files.get('manifests/db/db.yaml')).toBe('kind: C\n');
  });

  it('reads from a linked worktree, whose objects and refs live in the main repository', async () => {
    const { dir, c1, c2 } = history();
    const wt = join(dir, '..', `${basename(dir)}-wt`);
    git(dir, ['worktree', 'add', '-q', '--detach', wt, c1]);
    onTestFinished(() => rmSync(wt, { recursive: true, force: true }));
    expect((await readSourceAt({ dir: wt })).commit).toBe(c1);
    expect((await readSourceAt({ dir: wt, ref: 'main' })).commit).toBe(c2);
  });

  it('names the missing ref, and says what a corrupt object is', async () => {
    const { dir, c2 } = history();
    expect(await codeOf(readSourceAt({ dir, ref: 'release-9' }))).toMatch(/^RefNotFound: revision "release-9" not found in .*no branch, tag or commit/);
    expect(await codeOf(readSourceAt({ dir, ref: 'HEAD~5' }))).toMatch(/^RefNotFound: revision "HEAD~5".*history of .* is shorter than 5/);
    expect(await codeOf(readSourceAt({ dir: join(dir, 'manifests') }))).toMatch(/^NotARepository/);
    writeFileSync(join(dir, '.git/refs/heads/dangling'), `${'e'.repeat(40)}\n`);
    expect(await codeOf(readSourceAt({ dir, ref: 'dangling' }))).toMatch(/^CorruptRef: revision "dangling" points at e{40}, which is not in the object store/);
    writeFileSync(join(dir, '.git/refs/heads/garbage'), 'xyz\n');
    expect(await codeOf(readSourceAt({ dir, ref: 'garbage' }))).toMatch(/^CorruptRef: refs\/heads\/garbage holds "xyz"/);
    const object = join(dir, '.git/objects', c2.slice(0, 2), c2.slice(2));
    chmodSync(object, 0o644);
    writeFileSync(object, 'garbage');
    expect(await codeOf(readSourceAt({ dir }))).toMatch(new RegExp(`^CorruptObject: object ${c2} is corrupt`));
  });
});
