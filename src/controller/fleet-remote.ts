/**
 * @module controller/fleet-remote
 * `--observe --fleet URL` in a controller: replicas in pods share no disk, so the state branch
 * (and with `--render` the output branches) live in the fleet repository at the URL. The
 * observing replica keeps a private bare copy in its cache. Before each round it brings the source
 * branch, the state branch, the output branches and gitfed's notes from the remote (git/fetch.ts:
 * a ref behind is fast-forwarded, one that diverged is set to the remote's); after the round it
 * pushes what it committed, fast-forward only (git/push.ts). A push the remote refuses (another
 * observer moved the branch during a handover) fails the round: the next one fetches, finds its
 * own commit diverged, drops it for the remote's and decides again against that, so the remote's
 * state branch never loses a commit and none is made twice. A commit made but not pushed (the
 * connection failed) is ahead of the remote at the next fetch and is pushed then.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { fetchOutputs } from '../git/fetch.js';
import type { GitAuth } from '../git/mirror.js';
import { pushOutputs } from '../git/push.js';
import { GitfedError } from '../errors.js';

export interface RemoteFleetOptions {
  /** The fleet repository's http(s) URL. */
  readonly url: string;
  /** The source branch observed and rendered. */
  readonly sourceBranch: string;
  readonly stateBranch: string;
  /** Output branches known before any render (the daemon's `--branch`); the renders add theirs. */
  readonly outputBranches: readonly string[];
  readonly credentials?: () => GitAuth | Promise<GitAuth>;
}

/** Where a fleet URL's copy is kept: one bare repository per URL under the user's cache. */
export function remoteFleetDir(url: string): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'gitfed', 'observe', createHash('sha256').update(url).digest('hex').slice(0, 16));
}

/** An empty bare repository, as `git init --bare` lays one out (only src/git talks to isomorphic-git). */
function initBare(dir: string, branch: string): void {
  for (const d of ['objects/info', 'objects/pack', 'refs/heads', 'refs/tags']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  fs.writeFileSync(path.join(dir, 'config'), '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n');
  // HEAD last: its presence says the copy is ready.
  fs.writeFileSync(path.join(dir, 'HEAD'), `ref: refs/heads/${branch}\n`);
}

export class RemoteFleet {
  readonly dir: string;
  private readonly outputs: Set<string>;

  constructor(private readonly opts: RemoteFleetOptions) {
    this.dir = remoteFleetDir(opts.url);
    this.outputs = new Set(opts.outputBranches);
  }

  private async auth() {
    if (!this.opts.credentials) return {};
    const a = await this.opts.credentials();
    if (!('password' in a)) throw new GitfedError('InvalidFlag', '--observe with a --fleet URL pushes the state branch over https; an ssh key cannot do that yet');
    return { onAuth: () => ({ username: a.username, password: a.password }) };
  }

  private branches(): string[] {
    return [this.opts.sourceBranch, this.opts.stateBranch, ...[...this.outputs].sort()];
  }

  /** Brings the remote's branches into the copy; returns the branches the copy holds ahead of the remote (to push). */
  async pull(): Promise<string[]> {
    if (!fs.existsSync(path.join(this.dir, 'HEAD'))) initBare(this.dir, this.opts.sourceBranch);
    const r = await fetchOutputs({ dir: this.dir, remote: this.opts.url, branches: this.branches(), notes: true, ...(await this.auth()) });
    // Ahead: the remote is behind the copy, or lacks the branch the copy made (a first state commit never pushed).
    const ahead = r.refs.filter((x) => x.ref.startsWith('refs/heads/') && (x.status === 'kept-local' || (x.status === 'absent-on-remote' && x.local !== null)));
    return ahead.map((x) => x.ref.slice('refs/heads/'.length));
  }

  /** Pushes the branches (and the notes), fast-forward only; GitError PushRejected when the remote moved. */
  async push(branches: readonly string[]): Promise<void> {
    for (const b of branches) if (b !== this.opts.stateBranch && b !== this.opts.sourceBranch) this.outputs.add(b);
    await pushOutputs({ dir: this.dir, remote: this.opts.url, branches: [...new Set(branches)].sort(), notes: true, ...(await this.auth()) });
  }
}
