/** Remotes of the fleet repo, for `render --push`. */
import { fetchOutputs, openRepo } from '../../src/git/index.js';
import { publicUrl } from '../../src/git/public-url.js';
import { locateRemote } from '../../src/git/remote.js';

/** The fleet repo's `origin` URL, without credentials: the name the metadata file gives the source, the same on every clone. */
export async function originUrl(dir: string): Promise<string | undefined> {
  try {
    return publicUrl((await locateRemote(openRepo(dir), 'origin')).url);
  } catch {
    return undefined;
  }
}

/** After a rejected push: bring the remote's output branches in, so the next render commits on top. */
export async function fetchBranches(dir: string, remote: string, branches: readonly string[]): Promise<void> {
  const r = await fetchOutputs({ dir, remote, branches });
  for (const ref of r.refs) if (ref.status !== 'up-to-date') process.stderr.write(`fetched ${ref.ref} from ${publicUrl(r.url)}: ${ref.status}\n`);
}
