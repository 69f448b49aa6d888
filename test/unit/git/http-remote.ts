/** A real smart-HTTP remote for one test: test/support/git-http.ts, closed when the test finishes. */
import { onTestFinished } from 'vitest';
import { startGitHttpServer, type GitHttpOptions } from '../../support/git-http.js';

/** `git http-backend` serving `root`, pushes allowed, for the running test only. */
export async function httpRemote(root: string, opts: GitHttpOptions = {}): Promise<string> {
  const server = await startGitHttpServer(root, opts);
  onTestFinished(() => server.close());
  return server.url;
}
