/** The metadata is part of the branch: a member's new kubeconfig context alone is a change to commit. */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseMetadata } from '../../../src/git/metadata.js';
import { publish } from '../../../src/publish.js';
import { copyExampleFleet } from '../../support/cli.js';

const run = promisify(execFile);
const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' };

/** The example fleet committed and rendered once into its branch. */
async function publishedFleet(): Promise<string> {
  const repo = await copyExampleFleet('gitfed-context-');
  await run('git', ['init', '-q', '-b', 'main'], { cwd: repo });
  await run('git', ['add', '-A'], { cwd: repo, env });
  await run('git', ['commit', '-qm', 'fleet'], { cwd: repo, env });
  await publish({ repo });
  return repo;
}

describe('a context-only change', () => {
  it('commits new metadata naming the context', async () => {
    const repo = await publishedFleet();
    const file = join(repo, 'clusters/burst-1.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('  name: burst-1\n', '  name: burst-1\n  annotations:\n    gitfed.io/context: spot-admin\n'));
    await run('git', ['commit', '-qam', 'burst-1 through spot-admin'], { cwd: repo, env });
    const r = await publish({ repo });
    expect(r.commit.branches[0]).toMatchObject({ committed: true, changed: ['burst-1'] });
    const meta = JSON.parse((await run('git', ['show', 'rendered:gitfed.metadata'], { cwd: repo })).stdout);
    expect(meta.clusters.find((c: { name: string }) => c.name === 'burst-1')).toMatchObject({ context: 'spot-admin' });
  });

  it('a label-only change commits new metadata with the labels -l selects by; labels that are not strings are refused', async () => {
    const repo = await publishedFleet();
    const file = join(repo, 'clusters/burst-1.yaml');
    const text = await readFile(file, 'utf8');
    expect(text).toContain('    burst: "true"\n');
    await writeFile(file, text.replace('    burst: "true"\n', '    burst: "true"\n    tier: spot\n'));
    await run('git', ['commit', '-qam', 'burst-1 is spot'], { cwd: repo, env });
    const r = await publish({ repo });
    expect(r.commit.branches[0]).toMatchObject({ committed: true, changed: ['burst-1'] });
    const text2 = (await run('git', ['show', 'rendered:gitfed.metadata'], { cwd: repo })).stdout;
    expect(parseMetadata(text2).clusters.find((c) => c.name === 'burst-1')?.labels).toEqual({ burst: 'true', location: 'cloud', region: 'us-east', tier: 'spot' });
    const bad = JSON.parse(text2);
    bad.clusters[0].labels = { replicas: 3 };
    expect(() => parseMetadata(JSON.stringify(bad))).toThrow(/clusters\[0\]\.labels must map names to strings/);
  });
});
