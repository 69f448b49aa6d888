/**
 * `gitfed render --state`: the rendered commit names the state commit in its trailer, metadata
 * and note; the same source and state give the same tree; a new state moves the replicas; and
 * without --state a capacity policy stays refused with a hint naming --state.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { commitState } from '../../../src/git/state-branch.js';
import { runGitfed } from '../../support/cli.js';
import { git, member } from './support.js';

const run = promisify(execFile);
const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' };

let repo: string;
let state1: string;
let state2: string;
beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), 'gitfed-state-cli-'));
  await cp(new URL('../../../examples/overflow/', import.meta.url).pathname, repo, { recursive: true });
  const rsp = join(repo, 'shop.yaml');
  const { readFile } = await import('node:fs/promises');
  await writeFile(rsp, (await readFile(rsp, 'utf8')).replace('totalReplicas: 4', 'totalReplicas: 10'));
  await git(repo, 'init', '-q', '-b', 'main');
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-qm', 'Scale the shop to 10');
  state1 = (await commitState({ dir: repo, branch: 'fleet-state', expected: null, members: [member('onprem', { desired: 4, ready: 4, current: 4, fit: 0 }), member('burst', { fit: 60 })], message: 'first\n', time: 1767225600 })).head;
  state2 = (await commitState({ dir: repo, branch: 'fleet-state', expected: state1, members: [member('onprem', { desired: 4, ready: 4, current: 4, fit: 6 })], message: 'onprem: room for 6 more shop/web, was 0\n', time: 1767225700 })).head;
}, 60_000);

describe('render --state', () => {
  it('moves the overflow by the state, and names the state commit in trailer, metadata and note', async () => {
    const r = await runGitfed(['render', '--commit', '--repo', repo, '--state', state1]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`state ${state1.slice(0, 7)}`);
    const files = await git(repo, 'ls-tree', '-r', '--name-only', 'rendered');
    const web = (c: string) => files.split('\n').find((f) => f.startsWith(`clusters/${c}/`) && f.includes('web'))!;
    const show = async (c: string) => /replicas: (\d+)/.exec(await git(repo, 'show', `rendered:${web(c)}`))![1];
    // On-prem holds 4 and nothing more fits: 6 overflow to burst, and (rebalance) stay asked of on-prem.
    expect([await show('onprem'), await show('burst')]).toEqual(['10', '6']);
    expect(await git(repo, 'log', '-1', '--format=%(trailers:key=Gitfed-State-Commit,valueonly)', 'rendered')).toBe(state1);
    expect(JSON.parse(await git(repo, 'show', 'rendered:gitfed.metadata')).source.state).toBe(state1);
    expect(await git(repo, 'notes', '--ref', 'gitfed', 'show', 'rendered')).toContain(`Gitfed-State-Commit: ${state1}`);
    const tree1 = await git(repo, 'rev-parse', 'rendered^{tree}');

    const r2 = await runGitfed(['render', '--commit', '--repo', repo, '--state', state2]);
    expect(r2.code, r2.stderr).toBe(0);
    expect([await show('onprem'), await show('burst')]).toEqual(['10', '0']);
    expect(await git(repo, 'log', '-1', '--format=%(trailers:key=Gitfed-State-Commit,valueonly)', 'rendered')).toBe(state2);

    // The same pair again, in a fresh clone of the output: the same tree as the first time.
    const again = await mkdtemp(join(tmpdir(), 'gitfed-state-cli-again-'));
    await cp(repo, again, { recursive: true });
    await git(again, 'update-ref', '-d', 'refs/heads/rendered');
    await git(again, 'update-ref', '-d', 'refs/notes/gitfed');
    const r3 = await runGitfed(['render', '--commit', '--repo', again, '--state', state1]);
    expect(r3.code, r3.stderr).toBe(0);
    expect(await git(again, 'rev-parse', 'rendered^{tree}')).toBe(tree1);
  });

  it('explain shows the state behind each number', async () => {
    const r = await runGitfed(['explain', '--repo', repo, '--state', 'fleet-state', 'deployment/shop/web']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Live inputs from state ${state2.slice(0, 7)}`);
    expect(r.stdout).toContain('onprem: 4 desired, 4 ready, 4 running, 0 pending (0 unschedulable), room for 6 more (free: cpu 0m, pods 100)');
  });

  it('an unreadable state names its file', async () => {
    const r = await runGitfed(['render', '--repo', repo, '--state', 'main']);
    // main has no members/ directory: an empty state, every member unobserved, still a render.
    expect(r.code, r.stderr).toBe(0);
    const bad = await commitStateText(repo, '{"schema": 9}');
    const r2 = await runGitfed(['render', '--repo', repo, '--state', bad]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('members/onprem.json');
    expect(r2.stderr).toContain('[FleetStateInvalid]');
  });
});

/** A state commit with a hand-written document, as a bad edit of the branch would make. */
async function commitStateText(dir: string, text: string): Promise<string> {
  const blob = (await run('sh', ['-c', `printf '%s' '${text}' | git hash-object -w --stdin`], { cwd: dir })).stdout.trim();
  const tree = (await run('sh', ['-c', `printf '100644 blob ${blob}\\tonprem.json\\n' | git mktree`], { cwd: dir })).stdout.trim();
  const root = (await run('sh', ['-c', `printf '040000 tree ${tree}\\tmembers\\n' | git mktree`], { cwd: dir })).stdout.trim();
  return (await run('git', ['commit-tree', root, '-m', 'bad'], { cwd: dir, env })).stdout.trim();
}
