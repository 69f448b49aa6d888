/**
 * `gitfed diff` renders its base on a worker thread for a large fleet and on the main thread for a
 * small one: both ways must give the same revision and the same error. The worker runs the built
 * file (dist), as the CLI does.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_FLEET } from '../support/cli.js';

const run = promisify(execFile);
const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x', GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' };
const worker = (await import(new URL('../../dist/cmd/render-worker.js', import.meta.url).href)) as typeof import('../../cmd/render-worker.js');

let repo: string;

beforeAll(async () => {
  repo = join(await mkdtemp(join(tmpdir(), 'gitfed-worker-')), 'fleet');
  await cp(EXAMPLE_FLEET, repo, { recursive: true });
  for (const args of [['init', '-q', '-b', 'main'], ['add', '-A'], ['commit', '-qm', 'fleet']]) await run('git', args, { cwd: repo, env });
});

describe('the base of a diff, on a worker thread or on this one', () => {
  it('is the same revision either way, also with only some clusters', async () => {
    for (const options of [{}, { clusters: ['cloud-eu-1'] }]) {
      const [off, here] = await Promise.all([worker.renderAtOffThread(repo, 'HEAD', options), worker.renderRevisionHere(repo, 'HEAD', options)]);
      expect(off).toEqual(here);
      expect(here.render.branches.flatMap((b) => b.clusters).length).toBeGreaterThan(0);
    }
  });

  it('counts from the trees alone as many files as the render reads, which decides the thread', async () => {
    const { countSourceFiles, readSourceAt } = await import('../../src/git/source.js');
    const { fleetPathFilter } = await import('../../src/publish.js');
    const count = await countSourceFiles({ dir: repo, ref: 'HEAD', filter: fleetPathFilter });
    expect(count).toBe((await readSourceAt({ dir: repo, ref: 'HEAD', filter: fleetPathFilter })).files.size);
    expect(count).toBeGreaterThan(10);
  });

  it('tells the same error either way', async () => {
    const off = await worker.renderAtOffThread(repo, 'no-such-ref').catch((e: Error & { code?: string }) => e);
    const here = await worker.renderRevisionHere(repo, 'no-such-ref').catch((e: Error & { code?: string }) => e);
    expect(off).toBeInstanceOf(Error);
    expect([(off as { code?: string }).code, (off as Error).message]).toEqual([(here as { code?: string }).code, (here as Error).message]);
  });
});
