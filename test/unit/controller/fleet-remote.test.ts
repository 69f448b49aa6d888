/**
 * The controller observer's remote fleet, on real repositories (a remote by path): two observers
 * with caches of their own race on the state branch; the loser's push is refused, its next pull
 * drops its commit for the remote's, and it commits on top, so the remote loses nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteFleet } from '../../../src/controller/fleet-remote.js';
import { commitState } from '../../../src/git/state-branch.js';
import { readRef } from '../../../src/git/refs.js';
import { openRepo } from '../../../src/git/repo.js';
import type { MemberState } from '../../../src/state/model.js';

const dirs: string[] = [];
const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' };
const savedCache = process.env.XDG_CACHE_HOME;

afterEach(() => {
  if (savedCache === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = savedCache;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'gitfed-fleet-remote-'));
  dirs.push(d);
  return d;
}

/** A fleet repository with one source commit on main (served by path). */
function remoteFleet(): string {
  const dir = join(tmp(), 'fleet');
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  writeFileSync(join(dir, 'README'), 'fleet\n');
  execFileSync('git', ['add', 'README'], { cwd: dir });
  execFileSync('git', ['commit', '-qm', 'source'], { cwd: dir, env });
  return dir;
}

/** An observer with a cache of its own (another pod's disk). */
function observer(url: string): RemoteFleet {
  process.env.XDG_CACHE_HOME = tmp();
  return new RemoteFleet({ url, sourceBranch: 'main', stateBranch: 'fleet-state', outputBranches: ['rendered'] });
}

const doc = (cluster: string, ready: boolean): MemberState => ({ cluster, ready, readySince: '2026-12-03T10:00:00Z', changedAt: '2026-12-03T10:00:00Z', free: {}, workloads: {} });
const stateHead = (dir: string) => readRef(openRepo(dir), 'refs/heads/fleet-state');
const commit = (dir: string, m: MemberState, message: string) => commitState({ dir, branch: 'fleet-state', expected: stateHead(dir), members: [m], message, time: 1_800_000_000 });

describe('RemoteFleet', () => {
  it('two observers race on the state branch: one push is refused, and after its next pull the loser commits on top', async () => {
    const url = remoteFleet();
    const a = observer(url);
    const b = observer(url);
    expect(a.dir).not.toBe(b.dir);
    expect(await a.pull()).toEqual([]);
    expect(await b.pull()).toEqual([]);
    expect(readRef(openRepo(a.dir), 'refs/heads/main')).toBe(readRef(openRepo(url), 'refs/heads/main'));

    const fromA = (await commit(a.dir, doc('onprem', true), 'onprem: first observation')).head;
    const fromB = (await commit(b.dir, doc('onprem', false), 'onprem: not ready')).head;
    await a.push(['fleet-state']);
    await expect(b.push(['fleet-state'])).rejects.toMatchObject({ code: 'PushRejected' });
    expect(stateHead(url)).toBe(fromA);

    // B's commit never reached the remote: the pull drops it for A's, and B decides again on top.
    expect(await b.pull()).toEqual([]);
    expect(stateHead(b.dir)).toBe(fromA);
    const again = (await commit(b.dir, doc('onprem', false), 'onprem: not ready, was ready')).head;
    await b.push(['fleet-state']);
    expect(stateHead(url)).toBe(again);
    const log = execFileSync('git', ['log', '--format=%H %s', 'fleet-state'], { cwd: url, encoding: 'utf8' }).trim().split('\n');
    expect(log).toEqual([`${again} onprem: not ready, was ready`, `${fromA} onprem: first observation`]);
    expect(log.join('\n')).not.toContain(fromB);
  });

  it('a commit made but not pushed is ahead of the remote at the next pull, and is pushed then', async () => {
    const url = remoteFleet();
    const a = observer(url);
    await a.pull();
    const made = (await commit(a.dir, doc('burst', true), 'burst: first observation')).head;
    expect(await a.pull()).toEqual(['fleet-state']);
    await a.push(['fleet-state']);
    expect(stateHead(url)).toBe(made);
    expect(await a.pull()).toEqual([]);
  });
});
