/**
 * `render --out`: which directories it may write, and that an existing preview is brought up to
 * date by writing only what changed while ending byte for byte where a fresh preview would.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { branchFiles } from '../../src/git/metadata.js';
import { renderFleet } from '../../src/render/render.js';
import { previewFiles, writePreview } from '../../src/workspace/preview.js';
import { readWorkingTree } from '../../src/workspace/source.js';
import { copyExampleFleet, runGitfed } from '../support/cli.js';

const SOURCE = { repo: '.', commit: 'working-tree' };

async function render(repo: string): Promise<Map<string, string>> {
  const r = renderFleet(await readWorkingTree(repo));
  return previewFiles(r.branches, (b) => branchFiles(b, SOURCE, 'test'));
}

/** Every file and directory under `dir`, with file contents: what "the same tree" means. */
async function tree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const p = relative(dir, join(e.parentPath, e.name));
    out.set(p, e.isDirectory() ? '<dir>' : await readFile(join(dir, p), 'utf8'));
  }
  return new Map([...out].sort());
}

async function edit(file: string, from: string | RegExp, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const next = text.replace(from, to);
  expect(next).not.toBe(text);
  await writeFile(file, next);
}

describe('render --out into a directory that is not only an earlier preview', () => {
  it('refuses, and every file is still there: unrelated files next to an earlier preview', async () => {
    const repo = await copyExampleFleet();
    const home = await mkdtemp(join(tmpdir(), 'gitfed-home-'));
    expect((await runGitfed(['render', '--repo', repo, '--out', join(home, 'old-preview')])).code).toBe(0);
    await writeFile(join(home, 'notes.txt'), 'mine');
    await mkdir(join(home, 'photos'));
    await writeFile(join(home, 'photos', 'a.jpg'), 'jpeg');
    const before = await tree(home);

    const r = await runGitfed(['render', '--repo', repo, '--out', home]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a gitfed preview');
    expect(await tree(home)).toEqual(before);
  });

  it('refuses a preview with anything beside what a preview holds, and leaves it all', async () => {
    const repo = await copyExampleFleet();
    const base = await mkdtemp(join(tmpdir(), 'gitfed-out-'));
    // [what is added, what the refusal names]
    const strays: [string, string][] = [
      ['notes.txt', 'notes.txt'],
      ['clusters/onprem-dc1/README.md', 'clusters/onprem-dc1/README.md'],
      ['clusters/old-member/x.yaml', 'clusters/old-member'],
      ['keep/x.yaml', 'keep'],
    ];
    for (const [i, [stray, named]] of strays.entries()) {
      const out = join(base, `p${i}`);
      expect((await runGitfed(['render', '--repo', repo, '--out', out])).code).toBe(0);
      await mkdir(join(out, stray, '..'), { recursive: true });
      await writeFile(join(out, stray), 'mine');
      // The next render must see a change, so that refusing is not the same as having nothing to do.
      await edit(join(repo, 'kubefed/shop-config.yaml'), /\n$/, `\n# edit ${i}\n`);
      const before = await tree(out);
      const r = await runGitfed(['render', '--repo', repo, '--out', out]);
      expect(r.code, stray).toBe(2);
      expect(r.stderr).toContain(`(${named} is not`);
      expect(await tree(out)).toEqual(before);
    }
  });

  it('refuses a file, and a directory that only holds a preview further down', async () => {
    const repo = await copyExampleFleet();
    const base = await mkdtemp(join(tmpdir(), 'gitfed-out-'));
    await writeFile(join(base, 'file'), 'mine');
    expect((await writePreview(join(base, 'nested', 'deeper', 'preview'), await render(repo))).mode).toBe('created');
    for (const out of [join(base, 'file'), join(base, 'nested')]) {
      const before = await tree(base);
      await expect(writePreview(out, await render(repo))).rejects.toThrow(/not a gitfed preview/);
      expect(await tree(base)).toEqual(before);
    }
  });
});

describe('render --out over an earlier preview', () => {
  it('writes nothing when nothing changed, and only the changed files after an edit', async () => {
    const repo = await copyExampleFleet();
    const out = join(await mkdtemp(join(tmpdir(), 'gitfed-out-')), 'preview');
    expect(await writePreview(out, await render(repo))).toEqual({ mode: 'created', written: 33, removed: 0 });
    const untouched = join(out, 'clusters/burst-1/shop/service-web.yaml');
    const mtime = (await stat(untouched)).mtimeMs;

    expect(await writePreview(out, await render(repo))).toEqual({ mode: 'updated', written: 0, removed: 0 });

    // A new image on one cluster changes that Deployment file and the metadata's digest, nothing else.
    await edit(join(repo, 'kubefed/shop-web.yaml'), 'harbor.dc1.internal/shop/web:1.8.2', 'harbor.dc1.internal/shop/web:1.8.3');
    const files = await render(repo);
    expect(await writePreview(out, files)).toEqual({ mode: 'updated', written: 2, removed: 0 });
    expect((await stat(untouched)).mtimeMs).toBe(mtime);
    const fresh = join(await mkdtemp(join(tmpdir(), 'gitfed-out-')), 'fresh');
    await writePreview(fresh, files);
    expect(await tree(out)).toEqual(await tree(fresh));
  });

  it('removes what is gone, empty directories included, and repairs a hand-edited file', async () => {
    const repo = await copyExampleFleet();
    const out = join(await mkdtemp(join(tmpdir(), 'gitfed-out-')), 'preview');
    await writePreview(out, await render(repo));
    await writeFile(join(out, 'clusters/cloud-eu-1/shop/service-web.yaml'), 'edited by hand\n');
    // The analytics namespace and everything in it leave every cluster.
    await rm(join(repo, 'karmada/analytics.yaml'));
    const files = await render(repo);
    const r = await writePreview(out, files);
    expect(r.mode).toBe('updated');
    expect(r.removed).toBeGreaterThan(0);
    const fresh = join(await mkdtemp(join(tmpdir(), 'gitfed-out-')), 'fresh');
    await writePreview(fresh, files);
    expect(await tree(out)).toEqual(await tree(fresh));
    expect([...(await tree(out)).keys()].some((p) => p.includes('analytics'))).toBe(false);
  });

  it('replaces an earlier preview whose clusters changed, and updates a preview of several branches in place', async () => {
    const repo = await copyExampleFleet();
    const out = join(await mkdtemp(join(tmpdir(), 'gitfed-out-')), 'preview');
    await writePreview(out, await render(repo));
    await rm(join(repo, 'clusters/burst-1.yaml'));
    expect((await writePreview(out, await render(repo))).mode).toBe('replaced');

    await edit(join(repo, 'gitfed.yaml'), 'branch: rendered', 'branch: rendered/{cluster}');
    let files = await render(repo);
    expect([...files.keys()]).toContain('rendered/onprem-dc1/gitfed.metadata');
    expect((await writePreview(out, files)).mode).toBe('replaced');
    await edit(join(repo, 'kubefed/shop-web.yaml'), 'harbor.dc1.internal/shop/web:1.8.2', 'harbor.dc1.internal/shop/web:1.8.3');
    files = await render(repo);
    expect(await writePreview(out, files)).toEqual({ mode: 'updated', written: 2, removed: 0 });
    const fresh = join(await mkdtemp(join(tmpdir(), 'gitfed-out-')), 'fresh');
    await writePreview(fresh, files);
    expect(await tree(out)).toEqual(await tree(fresh));

    await writeFile(join(out, 'rendered', 'notes.txt'), 'mine');
    await expect(writePreview(out, files)).rejects.toThrow(/rendered\/notes\.txt/);
    expect(await readFile(join(out, 'rendered', 'notes.txt'), 'utf8')).toBe('mine');
  });
});
