/** The CLI as users run it: exit codes, messages, and a failed render writing nothing. */
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_FLEET, runGitfed } from '../support/cli.js';

const example = EXAMPLE_FLEET;
const gitfed = (...args: string[]) => runGitfed(args);

describe('gitfed render (CLI)', () => {
  it('writes the preview and prints clusters and replicas', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'gitfed-cli-')), 'preview');
    const r = await gitfed('render', '--repo', example, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/onprem-dc1\s+rendered\s+clusters\/onprem-dc1\s+9/);
    expect(r.stdout).toMatch(/Deployment\/shop\/web\s+1\s+4\s+5\s+5\s+15/);
    expect(await readFile(join(out, 'gitfed.metadata'), 'utf8')).toContain('"objects": 9');
  });

  it('exits 2 on bad input, names file and line, and leaves the preview as it was', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'gitfed-cli-'));
    const repo = join(tmp, 'repo');
    const out = join(tmp, 'preview');
    await cp(example, repo, { recursive: true });
    expect((await gitfed('render', '--repo', repo, '--out', out)).code).toBe(0);
    const before = await readFile(join(out, 'gitfed.metadata'), 'utf8');
    const web = join(repo, 'kubefed/shop-web.yaml');
    const text = await readFile(web, 'utf8');
    await writeFile(web, text.replace('/spec/template/spec/containers/0/image', '/spec/template/spec/containers/3/image'));
    const r = await gitfed('render', '--repo', repo, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/kubefed\/shop-web\.yaml:\d+: .*web.*\(cluster onprem-dc1\)/);
    expect(await readFile(join(out, 'gitfed.metadata'), 'utf8')).toBe(before);
  });

  it('never replaces the fleet repo, or a directory that is not a preview', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'gitfed-cli-'));
    const repo = join(tmp, 'repo');
    await cp(example, repo, { recursive: true });
    for (const out of [repo, tmp]) {
      const r = await gitfed('render', '--repo', repo, '--out', out);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('contains the fleet repo');
    }
    const other = join(tmp, 'notes');
    await mkdir(other);
    await writeFile(join(other, 'keep.txt'), 'mine');
    const r = await gitfed('render', '--repo', repo, '--out', other);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a gitfed preview');
    expect(await readFile(join(other, 'keep.txt'), 'utf8')).toBe('mine');
    expect(await readFile(join(repo, 'gitfed.yaml'), 'utf8')).toContain('FleetConfig');
  });

  it('exits 2 for an unknown flag', async () => {
    expect((await gitfed('render', '--nope')).code).toBe(2);
  });

  it('explains an object', async () => {
    const r = await gitfed('explain', '--repo', example, 'deployment/analytics/collector');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PropagationPolicy/analytics/collector');
    expect(r.stdout).toMatch(/cloud-us-1\s+6/);
  });
});
