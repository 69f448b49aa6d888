/**
 * How objects are compressed changes their size on disk and nothing else: the same render gives
 * the same tree and commit ids written as one pack (stored blocks) or as loose objects (deflated),
 * and those ids are the ones native git computes for the same files.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { commitOutputs } from '../../../src/git/commit-outputs.js';
import { branchFiles } from '../../../src/git/metadata.js';
import { storePackEntry } from '../../../src/git/object-format.js';
import { readSourceAt } from '../../../src/git/source.js';
import { renderFleet } from '../../../src/render/render.js';
import { readWorkingTree } from '../../../src/workspace/source.js';
import { EXAMPLE_FLEET } from '../../support/cli.js';
import { branch, cluster, commitFiles, fleet, git, initRepo, REPO, tmpDir, VERSION } from './fixtures.js';

async function exampleSourceRepo(): Promise<string> {
  const dir = initRepo();
  commitFiles(dir, 'example fleet', Object.fromEntries(await readWorkingTree(EXAMPLE_FLEET)));
  return dir;
}

async function commitExample(dir: string, packThreshold: number): Promise<{ head: string; tree: string; notes: string }> {
  const s = await readSourceAt({ dir });
  const r = await commitOutputs({ dir, outputs: renderFleet(s.files).branches, source: { repo: REPO, commit: s.commit, subject: s.subject }, version: VERSION, packThreshold });
  expect(r.format).toBe(packThreshold === 1 ? 'pack' : 'loose');
  return { head: git(dir, ['rev-parse', 'rendered']), tree: git(dir, ['rev-parse', 'rendered^{tree}']), notes: git(dir, ['rev-parse', 'refs/notes/gitfed']) };
}

describe('object compression', () => {
  it('gives the same ids packed or loose, equal to native git, and native git reads both', async () => {
    const origin = await exampleSourceRepo();
    const packed = join(tmpDir(), 'packed');
    const loose = join(tmpDir(), 'loose');
    execFileSync('git', ['clone', '-q', origin, packed]);
    execFileSync('git', ['clone', '-q', origin, loose]);
    const a = await commitExample(packed, 1);
    const b = await commitExample(loose, Number.MAX_SAFE_INTEGER);
    expect(a).toEqual(b);
    for (const dir of [packed, loose]) git(dir, ['fsck', '--strict', '--no-dangling']);
    const pack = readdirSync(join(packed, '.git/objects/pack')).find((f) => f.endsWith('.pack') && !f.startsWith('tmp'));
    expect(git(packed, ['verify-pack', '-v', join('.git/objects/pack', pack!.replace(/\.pack$/, '.idx'))])).toContain(': ok');

    // Native git, from the files alone: the same root tree.
    const s = await readSourceAt({ dir: packed });
    const files = branchFiles(renderFleet(s.files).branches[0]!, { repo: REPO, commit: s.commit }, VERSION);
    const plain = initRepo();
    for (const [p, c] of files) {
      mkdirSync(dirname(join(plain, p)), { recursive: true });
      writeFileSync(join(plain, p), c);
    }
    git(plain, ['add', '-A']);
    expect(git(plain, ['write-tree'])).toBe(a.tree);
  });

  it('stores text as its UTF-8 bytes, packed and loose, as native git hashes them', async () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: naïve\ndata:\n  greeting: "héllo ✓ 日本 😀"\n';
    // Larger than one stored block (65,535 bytes), so it takes the other path through the pack.
    const big = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: "${'é✓x'.repeat(30_000)}"\n`;
    for (const packThreshold of [1, Number.MAX_SAFE_INTEGER]) {
      const dir = fleet();
      const s = await readSourceAt({ dir });
      const files = { 'default/configmap-naive.yaml': text, 'default/configmap-big.yaml': big };
      await commitOutputs({ dir, outputs: [branch('rendered', [cluster('east', files)])], source: { repo: REPO, commit: s.commit, subject: s.subject }, version: VERSION, packThreshold });
      for (const [name, content] of Object.entries(files)) {
        const path = `rendered:clusters/east/${name}`;
        expect(git(dir, ['rev-parse', path])).toBe(git(dir, ['hash-object', '--stdin'], content));
        expect(git(dir, ['cat-file', 'blob', path]) + '\n').toBe(content);
      }
      git(dir, ['fsck', '--strict', '--no-dangling']);
    }
  });

  it('stores pack entries as zlib streams that inflate to the content, across block boundaries', () => {
    for (const size of [0, 1, 1000, 65535, 65536, 200_000]) {
      const data = Buffer.alloc(size);
      for (let i = 0; i < size; i++) data[i] = (i * 7919) % 251;
      const stream = storePackEntry(data);
      expect(inflateSync(stream).equals(data), `${size} bytes`).toBe(true);
      expect(stream.length).toBe(2 + size + Math.max(1, Math.ceil(size / 65535)) * 5 + 4);
    }
  });
});
