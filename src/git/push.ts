/**
 * @module git/push
 * Publishes output branches (and the provenance notes) to a remote, fast-forward only. A remote
 * that moved is never overwritten: the push fails with GitError PushRejected, and the caller
 * fetches, renders again on top and pushes again.
 *
 * http(s) remotes go through isomorphic-git. isomorphic-git has no transport for file:// or a
 * plain path, so for those the same steps are done on the file system: copy the missing objects
 * into the remote's store, then compare-and-swap its refs exactly as a local commit does.
 */
import * as fs from 'node:fs';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { GitError } from '../errors.js';
import { copyObjects } from './copy-objects.js';
import { isAncestor } from './history.js';
import { NOTES_REF } from './notes.js';
import { ObjectStore } from './object-store.js';
import { publicUrl } from './public-url.js';
import { readRef, updateRefs, type RefUpdate } from './refs.js';
import { locateRemote, type RemoteOptions } from './remote.js';
import { openRepo, type Repo } from './repo.js';

export type PushOutputsOptions = RemoteOptions;

export type PushStatus = 'updated' | 'up-to-date';

export interface PushedRef {
  readonly ref: string;
  /** The remote's value before; null for a new ref, and over http, where the server does not say. */
  readonly from: string | null;
  readonly to: string;
  readonly status: PushStatus;
}

export interface PushOutputsResult {
  readonly url: string;
  readonly refs: readonly PushedRef[];
}

function rejected(ref: string, url: string, why: string, cause?: unknown): GitError {
  return new GitError('PushRejected', `push of ${ref} to ${publicUrl(url)} rejected: ${why}; fetch it, render again on top and push again (gitfed never force-pushes)`, {}, cause ? { cause } : undefined);
}

function refsToPush(repo: Repo, opts: PushOutputsOptions): { ref: string; oid: string }[] {
  const refs = opts.branches.map((b) => {
    const ref = `refs/heads/${b}`;
    const oid = readRef(repo, ref);
    if (!oid) throw new GitError('RefNotFound', `branch "${b}" does not exist in ${repo.dir}; nothing to push`);
    return { ref, oid };
  });
  const notes = opts.notes !== false ? readRef(repo, NOTES_REF) : null;
  if (notes) refs.push({ ref: NOTES_REF, oid: notes });
  return refs;
}

/** The branch a non-bare repository has checked out; git refuses to push into it, and so does gitfed. */
function checkedOut(repo: Repo): string | null {
  if (repo.gitdir === repo.dir) return null;
  const m = /^ref: (\S+)/.exec(fs.readFileSync(`${repo.gitdir}/HEAD`, 'utf8'));
  return m?.[1] ?? null;
}

async function pushLocal(local: Repo, url: string, refs: readonly { ref: string; oid: string }[]): Promise<PushedRef[]> {
  const remote = openRepo(url);
  const from = new ObjectStore(local);
  const to = new ObjectStore(remote);
  const updates: RefUpdate[] = [];
  const result: PushedRef[] = [];
  for (const { ref, oid } of refs) {
    const old = readRef(remote, ref);
    if (old === oid) {
      result.push({ ref, from: old, to: oid, status: 'up-to-date' });
      continue;
    }
    if (old && !(from.has(old) && (await isAncestor(from, old, oid)))) throw rejected(ref, url, `the remote's ${old.slice(0, 7)} is not an ancestor of ${oid.slice(0, 7)}`);
    if (ref === checkedOut(remote)) throw rejected(ref, url, 'it is checked out in the remote work tree');
    updates.push({ ref, expected: old, next: oid });
    result.push({ ref, from: old, to: oid, status: 'updated' });
  }
  await copyObjects(from, to, updates.map((u) => u.next!));
  try {
    updateRefs(remote, updates);
  } catch (err) {
    if (err instanceof GitError && err.code === 'BranchMoved') throw rejected(updates.map((u) => u.ref).join(', '), url, err.message, err);
    throw err;
  }
  return result;
}

async function pushHttp(local: Repo, url: string, refs: readonly { ref: string; oid: string }[], opts: PushOutputsOptions): Promise<PushedRef[]> {
  const result: PushedRef[] = [];
  for (const { ref, oid } of refs) {
    try {
      const r = await git.push({ fs, http, gitdir: local.gitdir, url, ref, remoteRef: ref, onAuth: opts.onAuth, headers: opts.headers });
      const status = r.refs[ref];
      if (!r.ok || (status && !status.ok)) throw rejected(ref, url, status?.error ?? r.error ?? 'the server refused the update');
      result.push({ ref, from: null, to: oid, status: 'updated' });
    } catch (err) {
      if (err instanceof GitError) throw err;
      const code = (err as { code?: string }).code;
      if (code === 'PushRejectedError' || code === 'GitPushError') throw rejected(ref, url, (err as Error).message, err);
      throw new GitError('PushFailed', `push of ${ref} to ${publicUrl(url)} failed: ${(err as Error).message}`, {}, { cause: err });
    }
  }
  return result;
}

/**
 * Pushes each branch (and refs/notes/gitfed) to `remote`, fast-forward only. Throws GitError
 * PushRejected when the remote moved; for a file remote no ref moves unless all of them can.
 */
export async function pushOutputs(opts: PushOutputsOptions): Promise<PushOutputsResult> {
  const local = openRepo(opts.dir);
  const where = await locateRemote(local, opts.remote);
  const refs = refsToPush(local, opts);
  const pushed = where.kind === 'http' ? await pushHttp(local, where.url, refs, opts) : await pushLocal(local, where.path, refs);
  return { url: where.url, refs: pushed };
}
