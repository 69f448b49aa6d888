/**
 * @module controller/git-credentials
 * HTTPS credentials for the fleet's repository, kept out of its URL: a token from a file (a
 * mounted Secret, which kubelet updates in place) or from a Secret read through the API (Flux's
 * keys `username` and `password`, or `bearerToken`). Read again at each fetch (a Secret at most
 * once a minute), so a rotated token is used without a restart.
 */
import { readFileSync } from 'node:fs';
import { GitfedError } from '../errors.js';
import type { GitCredentials } from '../git/mirror.js';
import type { Management } from './management.js';

/** What hosted git servers take as the user name beside a token (GitHub's; GitLab and Gitea accept any). */
export const DEFAULT_TOKEN_USER = 'x-access-token';

export function tokenFileCredentials(file: string, username = DEFAULT_TOKEN_USER): () => GitCredentials {
  return () => {
    let token: string;
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new GitfedError('FileNotFound', `cannot read the git token: ${(err as Error).message}`, { file });
    }
    return { username, password: token };
  };
}

export function secretCredentials(mgmt: Management, name: string, username = DEFAULT_TOKEN_USER, cacheMs = 60_000): () => Promise<GitCredentials> {
  let cached: { at: number; value: GitCredentials } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < cacheMs) return cached.value;
    const secret = await mgmt.getSecret(name);
    const data = (secret?.data ?? {}) as Record<string, string>;
    const read = (k: string) => (data[k] ? Buffer.from(data[k], 'base64').toString('utf8').trim() : undefined);
    const password = read('password') ?? read('bearerToken') ?? read('token');
    if (!secret || !password) throw new GitfedError('CredentialsFailed', `Secret ${mgmt.namespace}/${name} has no password, bearerToken or token key`, { hint: 'kubectl create secret generic NAME --from-literal=password=TOKEN' });
    cached = { at: Date.now(), value: { username: read('username') ?? username, password } };
    return cached.value;
  };
}
