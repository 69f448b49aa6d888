/**
 * @module git/refs
 * Reading refs: loose files first, then packed-refs, the way git itself does. Moving them is
 * ref-transaction's job. isomorphic-git's readRef caches and has no compare-and-swap, hence this.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { GitError } from '../errors.js';
import type { Repo } from './repo.js';

export const OID = /^[0-9a-f]{40}$/;

/** The file a ref lives in: HEAD and other pseudo-refs per worktree, refs/ in the common dir. */
export function refPath(repo: Repo, ref: string): string {
  return join(ref.startsWith('refs/') ? repo.commondir : repo.gitdir, ref);
}

/** Every ref in packed-refs with its value (peeled `^` lines skipped). Read fresh each time. */
export function readPackedRefs(repo: Repo): Map<string, string> {
  const refs = new Map<string, string>();
  let text: string;
  try {
    text = fs.readFileSync(join(repo.commondir, 'packed-refs'), 'utf8');
  } catch {
    return refs;
  }
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.startsWith('^')) continue;
    const sp = line.indexOf(' ');
    if (sp > 0) refs.set(line.slice(sp + 1), line.slice(0, sp));
  }
  return refs;
}

/**
 * The object id a ref points at, following symbolic refs; null when the ref does not exist.
 * Reads the disk each time: a cached value would defeat the compare-and-swap.
 */
export function readRef(repo: Repo, ref: string, depth = 5): string | null {
  let text: string | undefined;
  try {
    text = fs.readFileSync(refPath(repo, ref), 'utf8').trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EISDIR') throw err;
  }
  if (text === undefined) return readPackedRefs(repo).get(ref) ?? null;
  if (text.startsWith('ref: ')) {
    if (depth === 0) throw new GitError('CorruptRef', `${ref}: symbolic refs nest too deep`, { file: refPath(repo, ref) });
    return readRef(repo, text.slice(5), depth - 1);
  }
  if (!OID.test(text)) throw new GitError('CorruptRef', `${ref} holds "${text.slice(0, 60)}", not an object id`, { file: refPath(repo, ref) });
  return text;
}
