/** Remotes of the fleet repo, for `render --push`. */
import { configuredRemoteUrl } from '../../src/git/remote.js';
import { openRepo } from '../../src/git/repo.js';

/**
 * The fleet repo's `origin` URL: the name the metadata file gives the source, the same on every
 * clone, and never with the token a CI clone carries in it (publicUrl).
 */
export async function originUrl(dir: string): Promise<string | undefined> {
  try {
    return await configuredRemoteUrl(openRepo(dir), 'origin');
  } catch {
    return undefined;
  }
}

/** After a rejected push: bring the remote's output branches in, so the next render commits on top. */
export async function fetchBranches(dir: string, remote: string, branches: readonly string[]): Promise<void> {
  const { fetchOutputs } = await import('../../src/git/fetch.js');
  const r = await fetchOutputs({ dir, remote, branches });
  for (const ref of r.refs) if (ref.status !== 'up-to-date') process.stderr.write(`fetched ${ref.ref} from ${r.url}: ${ref.status}\n`);
}
