/**
 * Render a source commit and commit the result to the output branches: the step between the fleet
 * repo and every consumer (Argo CD, Flux, gitfed's daemon). Optionally publishes the branches,
 * and when someone else moved a branch in between, renders again on top instead of forcing.
 */
import { GitError } from './errors.js';
// Not through git/index.js: that would load the push and fetch transports, which a render without --push never uses.
import { commitOutputs, type CommitOutputsResult } from './git/commit-outputs.js';
import { defaultFleetName } from './git/fleet-name.js';
import { checkBranchesAgainstRepo } from './git/output-branches.js';
import { publicUrl } from './git/public-url.js';
import type { PushOutputsResult } from './git/push.js';
import { checkPushTarget } from './git/remote.js';
import { openRepo } from './git/repo.js';
import { readBranchState } from './git/branch-state.js';
import type { StateReview } from './git/commit-outputs.js';
import { stateChangeBetween } from './git/state-branch.js';
import { renderAt } from './render-revision.js';
import { CONFIG_FILE, parseConfig, type StateChangeSettings } from './render/config.js';
import type { BranchOutput } from './render/types.js';
import { stateChangeText } from './state/change.js';
import type { RenderResult } from './render/render.js';
import { VERSION } from './version.js';

export interface PublishOptions {
  /** The fleet repo; output branches are committed into the same repository. */
  readonly repo: string;
  /** Source revision to render. @default 'HEAD' */
  readonly ref?: string;
  /**
   * How the metadata file names the fleet repo; must not vary by machine. Recorded without user
   * info or query string (publicUrl), whatever is passed. @default '.'
   */
  readonly sourceRepo?: string;
  /** Remote to publish the output branches to after committing. */
  readonly push?: string;
  /** How often a rejected push is retried by rendering again on top. @default 3 */
  readonly pushAttempts?: number;
  /** Brings a remote's output branches into the local repo before a retry. */
  readonly fetch?: (branches: readonly string[]) => Promise<void>;
  /**
   * A revision of the state branch (`fleet-state`, a commit) whose observed member state the
   * render reads; the output commits name it (trailer, metadata, note). Absent: a stateless render.
   */
  readonly state?: string;
  /** Warnings are errors: nothing is committed when the render warns (`--strict`). */
  readonly strict?: boolean;
}

export interface PublishResult {
  readonly source: { commit: string; subject: string };
  /** The fleet's name as the metadata records it. */
  readonly fleet: string;
  readonly render: RenderResult;
  readonly commit: CommitOutputsResult;
  readonly pushed?: PushOutputsResult;
}

// Re-exported: what rendering a revision takes lives apart, so that diff and observe load no commit code.
export { fleetPathFilter, renderAt, renderRevision } from './render-revision.js';

/**
 * The fleet's name for the branch metadata: gitfed.yaml's `fleet`, else derived from the source
 * repo's URL, else from its first commit. Undefined only for a directory that is no repository.
 */
export async function fleetNameOf(repo: string, files: ReadonlyMap<string, string>, opts: { commit?: string; sourceRepo?: string } = {}): Promise<string | undefined> {
  return parseConfig(files.get(CONFIG_FILE)).fleet ?? (await defaultFleetName(repo, opts));
}

/**
 * Whether this render is caused by a state change alone, and the fleet wants those reviewed
 * (gitfed.yaml `stateChanges.review`): every output branch already holds this source commit,
 * rendered with another state. A new source goes straight to the output branches (it was
 * reviewed as a change of the fleet repo), with the newest state.
 */
async function stateReview(repo: string, branches: readonly BranchOutput[], source: string, state: string | undefined, settings: StateChangeSettings | undefined): Promise<StateReview | undefined> {
  if (!settings?.review || state === undefined || branches.length === 0) return undefined;
  let from: string | null | undefined;
  for (const b of branches) {
    // What the branch is up to date with: its head's note (a render that changed nothing moves only the note).
    const held = await readBranchState({ dir: repo, branch: b.branch });
    if (!held.head || held.source !== source) return undefined;
    if (held.state !== state) from ??= held.state;
  }
  if (from === undefined) return undefined;
  const change = await stateChangeBetween(repo, from, state);
  return {
    branchOf: (branch) => `${settings.prefix}${branch}`,
    title: `state ${state.slice(0, 7)}: ${change.commits[0]?.subject ?? 'observed state changed'}`,
    body: `Rendered again for a change of the members' observed state alone (the source is unchanged);\nmerge to apply it.\n\n${stateChangeText(change)}`,
  };
}

/**
 * Render, commit, and with `push` publish. Every check that can fail runs before the first
 * object is written: the render, the output branches against the repository's refs, and the
 * push remote (that it exists and, over http, that it answers a push handshake).
 */
export async function publish(opts: PublishOptions): Promise<PublishResult> {
  const attempts = opts.push ? (opts.pushAttempts ?? 3) : 1;
  const sourceRepo = publicUrl(opts.sourceRepo ?? '.');
  for (let attempt = 1; ; attempt++) {
    const src = await renderAt(opts.repo, opts.ref ?? 'HEAD', { strict: opts.strict === true, state: opts.state });
    checkBranchesAgainstRepo(openRepo(opts.repo), src.render, src.files.get(CONFIG_FILE));
    if (opts.push && attempt === 1) await checkPushTarget({ dir: opts.repo, remote: opts.push });
    // readSourceAt just read a commit of this repository, so a default name can always be found.
    const fleet = (await fleetNameOf(opts.repo, src.files, { commit: src.commit, sourceRepo: opts.sourceRepo }))!;
    const review = await stateReview(opts.repo, src.render.branches, src.commit, src.render.state?.commit, parseConfig(src.files.get(CONFIG_FILE)).stateChanges);
    const commit = await commitOutputs({
      dir: opts.repo,
      outputs: src.render.branches,
      ...(review ? { review } : {}),
      source: { repo: sourceRepo, commit: src.commit, subject: src.subject, time: src.time, fleet, ...(src.render.state?.commit ? { state: src.render.state.commit } : {}) },
      version: VERSION,
    });
    const result = { source: { commit: src.commit, subject: src.subject }, fleet, render: src.render, commit };
    if (!opts.push) return result;
    try {
      const { pushOutputs } = await import('./git/push.js');
      const pushed = await pushOutputs({ dir: opts.repo, remote: opts.push, branches: commit.branches.map((b) => b.branch) });
      return { ...result, pushed };
    } catch (err) {
      const retry = err instanceof GitError && err.code === 'PushRejected' && attempt < attempts && opts.fetch;
      if (!retry) throw err;
      await opts.fetch!(commit.branches.map((b) => b.branch));
    }
  }
}
