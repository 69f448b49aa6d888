/**
 * `gitfed completion bash|zsh|fish`: each script is loaded into its real shell and asked to
 * complete, as a user's shell would. bash always runs; zsh and fish where installed.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runGitfed } from '../support/cli.js';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const has = (shell: string) => {
  try {
    execFileSync(shell, ['-c', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** What the shell offers after `line` (a trailing space asks for the next word), sorted. */
type Complete = (line: string) => Promise<string[]>;

/** The cases every shell must get right: verbs, subcommands, flags, flag values, arguments, paths. */
function sharedCases(complete: () => Complete): void {
  it('completes verbs, and the subcommands of dev', async () => {
    expect(await complete()('gitfed ren')).toEqual(['render']);
    expect(await complete()('gitfed dev s')).toEqual(['status']);
    expect(await complete()('gitfed dev ')).toEqual(['down', 'help', 'status', 'up']);
  });

  it("completes a verb's flags and their values", async () => {
    expect(await complete()('gitfed render --fo')).toEqual(['--format']);
    expect(await complete()('gitfed render --format ')).toEqual(['json', 'table']);
    expect(await complete()('gitfed join x --kind ')).toEqual(['karmada', 'kubefed']);
    expect(await complete()('gitfed dev status --kube')).toEqual(['--kubeconfig']);
  });

  it('completes arguments with fixed choices, and help with the verbs', async () => {
    expect(await complete()('gitfed orphaning-deletion ')).toEqual(['disable', 'enable', 'status']);
    expect(await complete()('gitfed completion ')).toEqual(['bash', 'fish', 'zsh']);
    expect(await complete()('gitfed help di')).toEqual(['diff', 'disable']);
  });

  it('completes paths where a flag wants a directory', async () => {
    expect((await complete()('gitfed render --repo exam')).map((p) => p.replace(/\/$/, ''))).toEqual(['examples']);
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gitfed-completion-'));
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = await runGitfed(['completion', shell]);
    expect(r.code, r.stderr).toBe(0);
    await writeFile(join(dir, shell), r.stdout);
  }
}, 60_000);

describe('bash', () => {
  // COMP_WORDS as bash fills it: the words of the line, the last one being completed; under
  // set -u, which some users' shells have on.
  const complete: Complete = async (line) => {
    const words = line.split(' ');
    const script = `set -u; source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _gitfed; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const { stdout } = await run('bash', ['-c', script, 'bash', join(dir, 'bash'), ...words], { cwd: ROOT });
    return stdout.split('\n').filter(Boolean).sort();
  };
  sharedCases(() => complete);

  it('is registered for gitfed', async () => {
    const { stdout } = await run('bash', ['-c', 'source "$1"; complete -p gitfed', 'bash', join(dir, 'bash')]);
    expect(stdout.trim()).toBe('complete -F _gitfed gitfed');
  });

  it('does not take a flag value for a verb: `dev up --names status` is still dev up', async () => {
    expect(await complete('gitfed dev up --names status --work')).toEqual(['--workloads']);
    expect(await complete('gitfed render --format = j')).toEqual(['json']);
  });
});

describe.skipIf(!has('zsh'))('zsh', () => {
  const complete: Complete = async (line) => {
    const { stdout } = await run('zsh', [join(ROOT, 'test/support/zsh-complete.zsh'), join(dir, 'zsh'), line], { cwd: ROOT, timeout: 30_000 });
    return stdout.split('\n').filter(Boolean).sort();
  };
  sharedCases(() => complete);
});

describe.skipIf(!has('fish'))('fish', () => {
  const complete: Complete = async (line) => {
    const { stdout } = await run('fish', ['-c', `source ${JSON.stringify(join(dir, 'fish'))}; complete -C ${JSON.stringify(line)}`], { cwd: ROOT });
    return stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0]!).sort();
  };
  sharedCases(() => complete);
});
