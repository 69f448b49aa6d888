/** Ancestry must not depend on committer dates running forwards: they do not always. */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { publish } from '../../../src/publish.js';
import { copyExampleFleet } from '../../support/cli.js';

const run = promisify(execFile);

async function commitAt(repo: string, date: string, level: string): Promise<string> {
  const file = join(repo, 'kubefed/shop-config.yaml');
  await writeFile(file, (await readFile(file, 'utf8')).replace(/LOG_LEVEL: \w+/, `LOG_LEVEL: ${level}`));
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x', GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  await run('git', ['add', '-A'], { cwd: repo, env });
  await run('git', ['commit', '-qm', `log ${level}`], { cwd: repo, env });
  return (await run('git', ['rev-parse', 'HEAD'], { cwd: repo })).stdout.trim();
}

describe('the never-backwards rule with skewed clocks', () => {
  it('refuses an older source even when a later commit carries an earlier date', async () => {
    const repo = await copyExampleFleet('gitfed-skew-');
    await run('git', ['init', '-q', '-b', 'main'], { cwd: repo });
    const a = await commitAt(repo, '2030-01-01T00:00:00Z', 'debug');
    await commitAt(repo, '2020-01-01T00:00:00Z', 'warn');
    await commitAt(repo, '2020-01-02T00:00:00Z', 'error');
    await publish({ repo, ref: 'HEAD' });
    await expect(publish({ repo, ref: a })).rejects.toMatchObject({ code: 'SourceNotNewer' });
  });
});
