/**
 * @module git/fleet-name
 * The fleet name a render records in the branch metadata when gitfed.yaml names none: from the
 * repository's URL (the one the metadata names, else remote `origin`), else from its first
 * commit. See src/fleet-name.ts for why.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { GitError } from '../errors.js';
import { readGitConfig } from './config.js';
import { fleetNameFromRepo, fleetNameFromRootCommit } from '../fleet-name.js';
import { ObjectStore } from './object-store.js';
import { openRepo } from './repo.js';
import { readCommitObject, resolveRevision } from './source.js';

function originUrl(gitdir: string): string | undefined {
  const url = readGitConfig(gitdir, 'remote.origin.url');
  return typeof url === 'string' ? url : undefined;
}

/** The first commit of `commit`'s first-parent history; throws where a shallow clone cuts it short. */
async function rootCommit(store: ObjectStore, commit: string): Promise<string> {
  let oid = commit;
  for (;;) {
    const parent = (await readCommitObject(store, oid, commit)).parents[0];
    if (!parent) return oid;
    if (!store.has(parent)) {
      throw new GitError('FleetUnnamed', `cannot name the fleet: the history of ${commit.slice(0, 7)} is cut short (a shallow clone) and the repository has no remote; set "fleet: <name>" in gitfed.yaml`);
    }
    oid = parent;
  }
}

/**
 * @param dir the fleet repo
 * @param opts.commit the source commit (default HEAD); opts.sourceRepo the URL the metadata names
 * @returns undefined when `dir` is not a git repository or has no commit yet
 */
export async function defaultFleetName(dir: string, opts: { commit?: string; sourceRepo?: string } = {}): Promise<string | undefined> {
  const fromUrl = opts.sourceRepo ? fleetNameFromRepo(opts.sourceRepo) : undefined;
  if (fromUrl) return fromUrl;
  let repo;
  try {
    repo = openRepo(dir);
  } catch {
    return undefined;
  }
  const origin = originUrl(repo.commondir);
  const fromOrigin = origin ? fleetNameFromRepo(origin) : undefined;
  if (fromOrigin) return fromOrigin;
  const store = new ObjectStore(repo);
  let commit = opts.commit;
  if (!commit) {
    try {
      commit = await resolveRevision(repo, store, 'HEAD');
    } catch {
      return undefined;
    }
  }
  if (fs.existsSync(join(repo.commondir, 'shallow'))) {
    throw new GitError('FleetUnnamed', `cannot name the fleet: ${repo.dir} is a shallow clone without a remote, so its first commit is unknown; set "fleet: <name>" in gitfed.yaml`);
  }
  return fleetNameFromRootCommit(await rootCommit(store, commit));
}
