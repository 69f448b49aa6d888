/**
 * examples/fleet-repo rendered, file for file, against test/golden/fleet-repo. The golden tree is
 * the contract reviewers read in a PR: regenerate it with `UPDATE_GOLDEN=1 npx vitest run
 * test/unit/example-fleet.test.ts` and review the diff like any other change.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderFleet } from '../../src/render/render.js';
import { readWorkingTree } from '../../src/workspace/source.js';
import { branchFiles } from '../../src/git/metadata.js';

const repo = new URL('../../examples/fleet-repo/', import.meta.url).pathname;
const golden = new URL('../golden/fleet-repo/', import.meta.url).pathname;
const source = { repo: 'examples/fleet-repo', commit: 'golden' };

async function listTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.set(relative(dir, p), await readFile(p, 'utf8'));
    }
  };
  await walk(dir);
  return out;
}

async function renderExample(): Promise<Map<string, string>> {
  const result = renderFleet(await readWorkingTree(repo));
  expect(result.branches.map((b) => b.branch)).toEqual(['rendered']);
  return branchFiles(result.branches[0]!, source, '0.0.0-golden');
}

describe('examples/fleet-repo', () => {
  it('renders exactly the golden tree', async () => {
    const files = await renderExample();
    if (process.env.UPDATE_GOLDEN) {
      await rm(golden, { recursive: true, force: true });
      for (const [p, c] of files) {
        await mkdir(dirname(join(golden, p)), { recursive: true });
        await writeFile(join(golden, p), c);
      }
    }
    const want = await listTree(golden);
    expect([...files.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [p, c] of files) expect(c, p).toBe(want.get(p));
  });

  it('renders byte-identical output twice, whatever the order files are read in', async () => {
    const files = await readWorkingTree(repo);
    const reversed = new Map([...files.entries()].reverse());
    const a = renderFleet(files).branches;
    const b = renderFleet(reversed).branches;
    expect(b.map((x) => x.clusters.map((c) => c.digest))).toEqual(a.map((x) => x.clusters.map((c) => c.digest)));
  });

  it('keeps patient data on-prem and divides the storefront as planned', async () => {
    const result = renderFleet(await readWorkingTree(repo));
    const where = (kind: string, ns: string, name: string) =>
      result.rendered.filter((r) => r.obj.kind === kind && r.obj.metadata.namespace === ns && r.obj.metadata.name === name).map((r) => r.cluster).sort();
    expect(where('Secret', 'patients', 'records-db')).toEqual(['onprem-dc1']);
    expect(where('Deployment', 'patients', 'records')).toEqual(['onprem-dc1']);
    const replicas = Object.fromEntries(
      result.rendered.filter((r) => r.obj.kind === 'Deployment' && r.obj.metadata.name === 'web').map((r) => [r.cluster, (r.obj.spec as { replicas: number }).replicas]),
    );
    // 15 replicas: on-prem min 2 max 5, cloud-us capped at 6, weights 2:2:3:1 (see explain).
    expect(replicas).toEqual({ 'burst-1': 1, 'cloud-eu-1': 4, 'cloud-us-1': 5, 'onprem-dc1': 5 });
  });
});
