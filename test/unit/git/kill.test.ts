/**
 * A real kill: a child process commits render after render until it is SIGKILLed at a random
 * moment; the branch must then hold one whole render (or none), every object it reaches must be
 * stored, and the next run must converge. The child runs the git layer transpiled to plain
 * JavaScript, since a child process cannot load the TypeScript sources the way vitest does.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { git, initRepo, tmpDir } from './fixtures.js';

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * Every module of src/ as ESM JavaScript under `out`, node_modules linked beside them: the whole
 * tree, so that whatever src/git comes to import is there.
 */
function transpileGitLayer(out: string): void {
  const sources = (readdirSync(join(ROOT, 'src'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => `src/${f.split('\\').join('/')}`);
  for (const rel of sources) {
    const js = ts.transpileModule(readFileSync(join(ROOT, rel), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    }).outputText;
    mkdirSync(dirname(join(out, rel)), { recursive: true });
    writeFileSync(join(out, rel.replace(/\.ts$/, '.js')), js);
  }
  symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'));
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
}

/** Render k: 20 clusters of 40 files; one file in each cluster names k, so every render commits. */
const CHILD = `
import { createHash } from 'node:crypto';
import { commitOutputs } from './src/git/commit-outputs.js';
const [dir, start] = [process.argv[2], Number(process.argv[3])];
process.stdout.write('ready\\n');
const digest = (files) => { const h = createHash('sha256'); for (const p of [...files.keys()].sort()) h.update(p + '\\0' + files.get(p) + '\\0'); return h.digest('hex'); };
for (let k = start; ; k++) {
  const clusters = [];
  for (let c = 0; c < 20; c++) {
    const files = new Map();
    for (let f = 0; f < 40; f++) files.set('clusters/c' + c + '/ns/f' + f + '.yaml', 'cluster: c' + c + '\\nfile: ' + f + '\\nrender: ' + (f === 0 ? k : 0) + '\\n');
    clusters.push({ cluster: 'c' + c, dir: 'clusters/c' + c, files, objects: files.size, digest: digest(files) });
  }
  const commit = k.toString(16).padStart(40, '0');
  await commitOutputs({ dir, outputs: [{ branch: 'rendered', clusters }], source: { repo: 'r', commit, subject: 'render ' + k, time: 1700000000 + k }, version: 't', packThreshold: 200 });
  process.stdout.write('committed\\n');
}
`;

/**
 * Runs the child and SIGKILLs it `afterMs` after it has loaded and made `commits` commits, so
 * start-up time on a busy machine does not decide where the kill lands.
 */
function runAndKill(lib: string, dir: string, start: number, commits: number, afterMs: number): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(lib, 'child.mjs'), dir, String(start)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let seen = 0;
    let armed = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      seen += d.toString().split('committed').length - 1;
      if (!armed && d.toString().includes('ready') && commits === 0) armed = true;
      if (!armed && seen >= commits && commits > 0) armed = true;
      if (armed) {
        armed = false;
        commits = -1;
        setTimeout(() => child.kill('SIGKILL'), afterMs);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') done();
      else fail(new Error(`child exited by itself (${code}): ${stderr}`));
    });
  });
}

describe('a render killed at any point', () => {
  it('leaves the branch on a whole render every time, and the next run converges', async () => {
    const lib = tmpDir('gitfed-kill-lib-');
    transpileGitLayer(lib);
    writeFileSync(join(lib, 'child.mjs'), CHILD);
    const dir = initRepo();
    let next = 1;
    // Kills during the first commit (one pack), then during incremental ones, then one more run
    // that must get at least one commit through on top of whatever the kills left.
    const plan: [number, number][] = [[0, 5], [0, 40], [0, 120], [1, 0], [1, 3], [2, 10], [1, 25], [3, 60], [1, 0]];
    for (const [commits, delay] of plan) {
      await runAndKill(lib, dir, next, commits, delay);
      // A kill while the locks were held leaves them behind, as with git, but each named by the
      // journal of the update (src/git/ref-journal.ts); the next run finishes or undoes it.
      const journaled = new Set(readdirSync(join(dir, '.git')).filter((f) => f.startsWith('gitfed-txn-')).flatMap((f) => {
        const body = JSON.parse(readFileSync(join(dir, '.git', f), 'utf8') || '{"updates":[]}') as { updates: { ref: string }[] };
        return body.updates.map((u) => `${u.ref}.lock`);
      }));
      for (const lock of ['refs/heads/rendered.lock', 'refs/notes/gitfed.lock']) {
        if (existsSync(join(dir, '.git', lock))) expect(journaled).toContain(lock);
      }
      if (!git(dir, ['for-each-ref', 'refs/heads/rendered'])) continue;
      git(dir, ['fsck', '--strict']);
      const meta = JSON.parse(git(dir, ['show', 'rendered:gitfed.metadata'])) as { source: { commit: string }; clusters: unknown[] };
      const k = parseInt(meta.source.commit, 16);
      expect(meta.clusters).toHaveLength(20);
      expect(git(dir, ['ls-tree', '-r', '--name-only', 'rendered']).split('\n')).toHaveLength(20 * 40 + 2);
      for (const c of [0, 19]) expect(git(dir, ['show', `rendered:clusters/c${c}/ns/f0.yaml`])).toBe(`cluster: c${c}\nfile: 0\nrender: ${k}`);
      expect(git(dir, ['log', '-1', '--format=%s', 'rendered'])).toBe(`${meta.source.commit.slice(0, 7)}: render ${k}`);
      // The notes ref moves before the branch, so a head never lacks its note.
      const noted = parseInt(git(dir, ['notes', '--ref', 'gitfed', 'show', 'rendered']).match(/Commit: (\w+)/)![1]!, 16);
      expect(noted).toBe(k);
      next = k + 1;
    }
    expect(next).toBeGreaterThan(1);
    expect(Number(git(dir, ['rev-list', '--count', 'rendered']))).toBe(next - 1);
  }, 120_000);
});
