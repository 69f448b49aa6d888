/** The local report belongs to the repository the branch is read from, never to the current directory. */
import { mkdtempSync, mkdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mirrorDir } from '../../../src/git/mirror.js';
import { stateFileFor, writeState } from '../../../src/apply/status/state-store.js';
import { buildReport } from '../../../src/apply/status/report.js';
import { nativeGit } from '../../support/native-git.js';
import { runGitfed } from '../../support/cli.js';

const tmp = () => realpathSync(mkdtempSync(join(tmpdir(), 'gitfed-state-')));

describe('where the local report is kept', () => {
  it('in the git directory of a work tree, shared by its linked worktrees', () => {
    const repo = tmp();
    nativeGit(repo, ['init', '-q', '-b', 'main']);
    nativeGit(repo, ['commit', '-q', '--allow-empty', '-m', 'x']);
    expect(stateFileFor(repo)).toBe(join(repo, '.git', 'gitfed', 'status.json'));
    const linked = join(tmp(), 'wt');
    nativeGit(repo, ['worktree', 'add', '-q', linked]);
    expect(stateFileFor(linked)).toBe(join(repo, '.git', 'gitfed', 'status.json'));
  });

  it('in a bare repository itself, in the mirror of a remote, under .gitfed of a plain directory', () => {
    const bare = tmp();
    nativeGit(bare, ['init', '-q', '--bare']);
    expect(stateFileFor(bare)).toBe(join(bare, 'gitfed', 'status.json'));
    expect(stateFileFor('https://example.com/org/fleet.git')).toBe(join(mirrorDir('https://example.com/org/fleet.git'), 'gitfed', 'status.json'));
    const dir = tmp();
    mkdirSync(join(dir, 'clusters'));
    expect(stateFileFor(dir)).toBe(join(dir, '.gitfed', 'status.json'));
  });

  it('is where gitfed status --repo reads it, from any directory', async () => {
    const repo = tmp();
    nativeGit(repo, ['init', '-q', '-b', 'main']);
    writeState(buildReport(repo, [], { now: '2026-01-01T00:00:00.000Z', branchCommit: 'a'.repeat(40) }), stateFileFor(repo));
    const r = await runGitfed(['status', '--repo', repo, '--format', 'json'], { cwd: tmp() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ branchCommit: 'a'.repeat(40), members: [] });
  });
});
