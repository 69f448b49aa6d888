/**
 * @module git/state-read
 * Reading what the state branch and the output commits say: the observed state at a revision
 * (what `render --state` reads) and what a rendered commit was rendered from (its trailers). Apart
 * from state-branch.ts, which writes, so that a render or a diff loads no writing code.
 */
import { parseFleetState, STATE_DIR, type FleetState } from '../state/model.js';
import { SOURCE_TRAILER, STATE_TRAILER } from './notes.js';
import { ObjectStore } from './object-store.js';
import { openRepo } from './repo.js';
import { readCommitObject, readSourceAt, resolveRevision } from './source.js';

const stateFiles = (path: string, type: 'file' | 'dir') => (type === 'dir' ? path === STATE_DIR : path.startsWith(`${STATE_DIR}/`) && path.endsWith('.json'));

/** The state at any revision (a branch such as `fleet-state`, a commit id): what render reads. */
export async function readStateAt(dir: string, ref: string): Promise<FleetState> {
  const snap = await readSourceAt({ dir, ref, filter: stateFiles });
  return parseFleetState(snap.files, snap.commit, snap.time);
}

/** What a rendered commit (one of gitfed's output commits) was rendered from, by its trailers. */
export interface RenderedFrom {
  /** The rendered commit itself. */
  readonly commit: string;
  readonly source: string;
  readonly state?: string;
}

/** The provenance of `rev` when it is a rendered commit (it carries Gitfed-Source-Commit); undefined for any other commit. */
export async function renderedProvenance(dir: string, rev: string): Promise<RenderedFrom | undefined> {
  const repo = openRepo(dir);
  const store = new ObjectStore(repo);
  const commit = await resolveRevision(repo, store, rev);
  const message = (await readCommitObject(store, commit, rev)).message;
  const trailer = (key: string) => new RegExp(`^${key}: ([0-9a-f]{40})$`, 'm').exec(message)?.[1];
  const source = trailer(SOURCE_TRAILER);
  if (!source) return undefined;
  const state = trailer(STATE_TRAILER);
  return { commit, source, ...(state ? { state } : {}) };
}
