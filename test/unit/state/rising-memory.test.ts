import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRising, writeRising } from '../../../src/observe/rising-memory.js';

let repo: string;
beforeEach(async () => {
  repo = await mkdtemp(join(tmpdir(), 'gitfed-rising-'));
  execFileSync('git', ['init', '-q', repo]);
});
afterEach(() => rm(repo, { recursive: true, force: true }));

describe('what the observer saw before, between runs', () => {
  it('is kept per state branch in the git directory, and read back as written', async () => {
    const memory = { onprem: { 'apps/Deployment/shop/web fit': { since: 1767225600, value: 2 } }, burst: {} };
    await writeRising(repo, 'fleet-state', memory);
    await writeRising(repo, 'team/state', { onprem: { ready: { since: 1, value: 1 } } });
    expect(await readRising(repo, 'fleet-state')).toEqual({ onprem: memory.onprem });
    expect(await readRising(repo, 'team/state')).toEqual({ onprem: { ready: { since: 1, value: 1 } } });
    // Not in the working tree: nothing to commit by mistake.
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' })).toBe('');
  });
  it('a missing or broken file, or entries of the wrong shape, are no memory', async () => {
    expect(await readRising(repo, 'fleet-state')).toEqual({});
    await writeRising(repo, 'fleet-state', {});
    await writeFile(join(repo, '.git', 'gitfed', 'observe-fleet-state.json'), '{not json');
    expect(await readRising(repo, 'fleet-state')).toEqual({});
    await writeFile(join(repo, '.git', 'gitfed', 'observe-fleet-state.json'), JSON.stringify({ onprem: { a: { since: 'x', value: 1 }, b: { since: 2, value: 3 } }, burst: 7 }));
    expect(await readRising(repo, 'fleet-state')).toEqual({ onprem: { b: { since: 2, value: 3 } } });
  });
});
