/** Remotes of the fleet repo, for `render --push`. */
import fs from 'node:fs';
import git from 'isomorphic-git';
import { GitError } from '../../src/errors.js';

/** The fleet repo's `origin` URL: the name the metadata file gives the source, the same on every clone. */
export async function originUrl(dir: string): Promise<string | undefined> {
  try {
    return ((await git.getConfig({ fs, dir, path: 'remote.origin.url' })) as string | undefined) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Placeholder until src/git offers a fetch: a rejected push is reported, not retried. */
export async function fetchBranches(_dir: string, remote: string, branches: readonly string[]): Promise<void> {
  throw new GitError('PushRejected', `${remote} moved ${branches.join(', ')}; fetch them and render again`);
}
