/**
 * `gitfed daemon --pointer-branches`: refused, exit 2 and InvalidFlag, before anything starts,
 * without --rollout, with a template that names no wave or cluster or makes no branch name, on
 * a remote --repo, and (with --rollout) with a management cluster.
 */
import { describe, expect, it } from 'vitest';
import { pointerBranchOf, pointerTemplateProblem } from '../../../src/rollout/pointers.js';
import type { ResolvedWave } from '../../../src/rollout/policy.js';
import { runGitfed } from '../../support/cli.js';

const daemon = (...args: string[]) => runGitfed(['daemon', '--repo', '.', ...args]);

describe('the daemon refuses pointer branches it cannot move', () => {
  it('without --rollout', async () => {
    const r = await daemon('--pointer-branches', 'rollout/{wave}');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --pointer-branches moves branches by a rollout; give --rollout <fleet dir> too \[InvalidFlag\]/);
  });

  it('with a template that names neither {wave} nor {cluster}, or names no valid branch', async () => {
    for (const [template, why] of [['rollout/all', 'names neither {wave}'], ['rollout/{wave}..x', "may not hold '..'"], ['{wave}/{cluster}', 'names both']]) {
      const r = await daemon('--rollout', '.', '--pointer-branches', template!);
      expect(r.code, template).toBe(2);
      expect(r.stderr, template).toContain(why);
      expect(r.stderr, template).toContain('[InvalidFlag]');
    }
  });

  it('on a remote repository, and with a management cluster', async () => {
    const remote = await runGitfed(['daemon', '--repo', 'https://git.example.com/out.git', '--rollout', '.', '--pointer-branches', 'rollout/{wave}']);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toMatch(/moves branches in a local repository.*\[InvalidFlag\]/);
    const managed = await daemon('--rollout', '.', '--pointer-branches', 'rollout/{wave}', '--management-kubeconfig', '/nonexistent');
    expect(managed.code).toBe(2);
    expect(managed.stderr).toMatch(/--rollout runs in a single daemon.*\[InvalidFlag\]/);
  });
});

describe('pointer branch names', () => {
  const waves: ResolvedWave[] = [
    { name: 'canary', members: ['eu-1'], soakMs: 0, timeoutMs: 1, manualGate: false },
    { name: 'rest', members: ['eu-2', 'us-1'], soakMs: 0, timeoutMs: 1, manualGate: false },
  ];
  it('a member reads its wave\'s branch, or its own', () => {
    expect(pointerBranchOf('us-1', waves, 'rollout/{wave}')).toBe('rollout/rest');
    expect(pointerBranchOf('us-1', waves, 'rollout/{cluster}')).toBe('rollout/us-1');
    expect(pointerBranchOf('nowhere', waves, 'rollout/{wave}')).toBeUndefined();
  });
  it('templates', () => {
    expect(pointerTemplateProblem('rollout/{wave}')).toBeUndefined();
    expect(pointerTemplateProblem('gate-{cluster}')).toBeUndefined();
    expect(pointerTemplateProblem('rollout')).toMatch(/names neither/);
    expect(pointerTemplateProblem('rollout/{wave}.lock')).toMatch(/ending with '.lock'/);
  });
});
