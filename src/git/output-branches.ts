/**
 * @module git/output-branches
 * An output branch that clashes with a ref the repository already has (gitfed.yaml asks for
 * `team` while `team/x` exists, or for `rendered/eu` while `rendered` does; loose or packed)
 * cannot be created. commitOutputs refuses it for every caller (git/branch-names); this names
 * the line of gitfed.yaml that asks for the branch, before anything is written. Outputs that nest
 * in each other are a gitfed.yaml error render itself reports (render/layout).
 */
import { GitError } from '../errors.js';
import { CONFIG_FILE } from '../render/config.js';
import { placements } from '../render/layout.js';
import { lazyLineResolver } from '../yaml/documents.js';
import type { RenderResult } from '../render/render.js';
import { refClashes } from './ref-layout.js';
import type { Repo } from './repo.js';

/** Throws GitError BranchConflict, at the line of the output asking for the branch, when an output branch clashes with a ref of `repo`. */
export function checkBranchesAgainstRepo(repo: Repo, render: Pick<RenderResult, 'branches' | 'clusters' | 'config'>, configText: string | undefined): void {
  const clash = refClashes(repo, render.branches.map((b) => `refs/heads/${b.branch}`))[0];
  if (!clash) return;
  const output = placements(render.clusters, render.config).find((p) => `refs/heads/${p.branch}` === clash.ref)?.output;
  const line = configText !== undefined && output !== undefined ? lazyLineResolver({ text: configText, firstLine: 1 })(['outputs', output, 'branch']) : undefined;
  const name = (ref: string) => (ref.startsWith('refs/heads/') ? `branch ${ref.slice('refs/heads/'.length)}` : ref);
  // Worded as commitOutputs words it (git/branch-names), with the line added.
  throw new GitError('BranchConflict', `cannot create ${name(clash.ref)}: ${name(clash.with)} exists, and a branch cannot also be a directory of branches`,
    configText === undefined ? {} : { file: CONFIG_FILE, ...(line ? { line } : {}) });
}
