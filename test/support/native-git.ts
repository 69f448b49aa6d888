/** Native git for tests, with no user or system config, so the host's settings never leak into a test. */
import { execFileSync } from 'node:child_process';

export interface NativeGitOptions {
  /** Standard input for the command. */
  readonly input?: string;
  /** Author and committer date, `<unix seconds> <tz>`. @default '1700000000 +0000' */
  readonly date?: string;
  /** More environment, over the fixed identity. */
  readonly env?: Record<string, string>;
}

/** Runs `git -C dir args`, returns its stdout without the trailing newline, throws on a non-zero exit. */
export function nativeGit(dir: string, args: readonly string[], opts: NativeGitOptions = {}): string {
  const date = opts.date ?? '1700000000 +0000';
  return execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    input: opts.input,
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Fleet Dev',
      GIT_AUTHOR_EMAIL: 'dev@example.com',
      GIT_COMMITTER_NAME: 'Fleet Dev',
      GIT_COMMITTER_EMAIL: 'dev@example.com',
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
      ...opts.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  }).trimEnd();
}
