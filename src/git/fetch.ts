/**
 * @module git/fetch
 * Brings the published output branches (and notes) into the local repository before a render, so
 * the render commits on top of what the remote holds. This is the retry after PushRejected:
 * fetchOutputs, render, commitOutputs, pushOutputs.
 *
 * Per ref: a local ref the remote does not have, or that is ahead of the remote, stays; one
 * behind is fast-forwarded; one that diverged is set to the remote's head. That drops local
 * commits that were never published, which is safe for rendered output alone: they are
 * re-rendered from source on top. The local ref moves by compare-and-swap like any other.
 */
import * as fs from 'node:fs';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { copyObjects } from './copy-objects.js';
import { isAncestor } from './history.js';
import { NOTES_REF } from './notes.js';
import { ObjectStore } from './object-store.js';
import { updateRefs, type RefUpdate } from './ref-transaction.js';
import { readLogAllRefUpdates } from './reflog.js';
import { readRef } from './refs.js';
import { locateRemote, transportError, type RemoteOptions } from './remote.js';
import { openRepo, type Repo } from './repo.js';

export type FetchOutputsOptions = RemoteOptions;

/** The remote name isomorphic-git fetches through. */
const FETCH_REMOTE = 'gitfed-fetch';

export type FetchStatus = 'fast-forwarded' | 'reset-to-remote' | 'kept-local' | 'up-to-date' | 'absent-on-remote';

export interface FetchedRef {
  readonly ref: string;
  readonly local: string | null;
  readonly remote: string | null;
  readonly status: FetchStatus;
}

/**
 * The remote's value of each ref, with its objects brought into the local store. `url` is the
 * remote as it may be shown; isomorphic-git's errors are re-worded without the raw URL (remote.ts).
 */
async function fetchRemoteHeads(local: Repo, opts: FetchOutputsOptions, refs: readonly string[]): Promise<{ url: string; heads: Map<string, string | null> }> {
  const where = await locateRemote(local, opts.remote);
  const heads = new Map<string, string | null>();
  if (where.kind === 'path') {
    const remote = openRepo(where.path);
    for (const ref of refs) heads.set(ref, readRef(remote, ref));
    await copyObjects(new ObjectStore(remote), new ObjectStore(local), [...heads.values()].filter((h): h is string => h !== null));
    return { url: where.shown, heads };
  }
  // isomorphic-git always records fetched refs through the remote's fetch refspec; gitfed gives it
  // a remote of its own whose refs live apart (refs/gitfed-fetch/*), written once into the config.
  if (!(await git.getConfig({ fs, gitdir: local.gitdir, path: `remote.${FETCH_REMOTE}.fetch` }))) {
    await git.setConfig({ fs, gitdir: local.gitdir, path: `remote.${FETCH_REMOTE}.fetch`, value: `+refs/*:refs/${FETCH_REMOTE}/*` });
  }
  let advertised: git.ServerRef[];
  try {
    advertised = await git.listServerRefs({ http, url: where.url, onAuth: opts.onAuth, headers: opts.headers, prefix: 'refs/' });
  } catch (err) {
    throw transportError('FetchFailed', 'listing the refs of', where, err);
  }
  for (const ref of refs) {
    const oid = advertised.find((r) => r.ref === ref)?.oid ?? null;
    heads.set(ref, oid);
    if (!oid) continue;
    try {
      await git.fetch({ fs, http, gitdir: local.gitdir, url: where.url, remote: FETCH_REMOTE, ref, remoteRef: ref, singleBranch: true, tags: false, onAuth: opts.onAuth, headers: opts.headers });
    } catch (err) {
      // isomorphic-git resolves the remote's HEAD before it stores the pack, and fails when HEAD
      // names a branch the remote lacks (a fresh output-only repository).
      const why = (err as { data?: { what?: string } }).data?.what === 'HEAD'
        ? "the remote's HEAD names a branch it does not have; point it at an existing one (on the server: git symbolic-ref HEAD refs/heads/<branch>)"
        : err;
      throw transportError('FetchFailed', `fetch of ${ref} from`, where, why);
    }
  }
  return { url: where.shown, heads };
}

/** Updates the local output branches and notes from the remote; see the module comment for the rules. */
export async function fetchOutputs(opts: FetchOutputsOptions): Promise<{ url: string; refs: FetchedRef[] }> {
  const local = openRepo(opts.dir);
  const refs = [...opts.branches.map((b) => `refs/heads/${b}`), ...(opts.notes !== false ? [NOTES_REF] : [])];
  const { url, heads } = await fetchRemoteHeads(local, opts, refs);
  const store = new ObjectStore(local);
  const updates: RefUpdate[] = [];
  const result: FetchedRef[] = [];
  for (const ref of refs) {
    const mine = readRef(local, ref);
    const theirs = heads.get(ref) ?? null;
    let status: FetchStatus;
    if (!theirs) status = 'absent-on-remote';
    else if (mine === theirs) status = 'up-to-date';
    else if (!mine || (await isAncestor(store, mine, theirs))) status = 'fast-forwarded';
    else if (await isAncestor(store, theirs, mine)) status = 'kept-local';
    else status = 'reset-to-remote';
    if (theirs && (status === 'fast-forwarded' || status === 'reset-to-remote')) updates.push({ ref, expected: mine, next: theirs });
    result.push({ ref, local: mine, remote: theirs, status });
  }
  updateRefs(local, updates, { reflog: { policy: await readLogAllRefUpdates(local), message: `gitfed: fetch from ${url}` } });
  return { url, refs: result };
}
