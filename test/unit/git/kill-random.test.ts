/**
 * The real CLI, `gitfed render --commit`, SIGKILLed at moments drawn from seeded PRNGs, on a fleet
 * with fourteen refs to move (a `rendered` branch, a branch per cluster, the notes). After every
 * kill: each lock left is one a gitfed journal names (none of someone else's kind), each branch
 * holds its old head or the new render, a moved branch has its note, branches that disagree are
 * covered by a committed journal, and `git fsck --strict` is clean. The next render then succeeds,
 * leaves no lock or journal, and gives every branch the tree an undisturbed render gives.
 *
 * What a kill may leave, and who cleans it (see src/git/ref-journal.ts): before the journal's
 * commit point, locks that the next render removes (refs stay old); after it, locks that the next
 * render renames into place (refs end new). Unreferenced objects stay; git gc collects them.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../../support/cli.js';
import { git, initRepo } from './fixtures.js';

const CLUSTERS = 12;
const OBJECTS = 60;
const SEEDS = [101, 202, 303];
const KILLS_PER_SEED = 4;

/** mulberry32: a small seeded PRNG, so a failing kill point can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fleet at generation `gen`: every ConfigMap names it, so each generation rewrites every file. */
function writeFleet(dir: string, gen: number): void {
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write('gitfed.yaml', 'apiVersion: gitfed.io/v1alpha1\nkind: FleetConfig\noutputs:\n  - branch: rendered\n    dir: clusters/{cluster}\n  - branch: per/{cluster}\n    dir: "{cluster}"\n');
  for (let c = 0; c < CLUSTERS; c++) write(`clusters/c${c}.yaml`, `apiVersion: core.kubefed.io/v1beta1\nkind: KubeFedCluster\nmetadata:\n  name: c${c}\n  namespace: kube-federation-system\n`);
  write('kubefed/ns.yaml', 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedNamespace\nmetadata:\n  name: app\n  namespace: app\nspec:\n  placement:\n    clusterSelector: {}\n');
  for (let o = 0; o < OBJECTS; o++) {
    write(`kubefed/cm${o}.yaml`, `apiVersion: types.kubefed.io/v1beta1\nkind: FederatedConfigMap\nmetadata:\n  name: cm${o}\n  namespace: app\nspec:\n  template:\n    data:\n      gen: "${gen}"\n      body: "${'x'.repeat(200 + o)}"\n  placement:\n    clusterSelector: {}\n`);
  }
}

/** Commits generation `gen` with a fixed date, so the fleet repo and its twin get the same commit id. */
function commitGeneration(dir: string, gen: number): string {
  writeFleet(dir, gen);
  const date = `${1_700_000_000 + gen * 60} +0000`;
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', `generation ${gen}`], undefined, { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  return git(dir, ['rev-parse', 'HEAD']);
}

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly ms: number;
}

/**
 * When to kill: `afterMs` from the start, or `afterMs` after the first ref lock file appears
 * (`locking`) or the first ref is renamed into place (`renaming`), as seen from outside, whatever
 * the writer does inside. Those windows last milliseconds; a uniform draw over the whole run
 * would almost never hit them.
 */
interface Kill {
  readonly afterMs: number;
  readonly at: 'start' | 'locking' | 'renaming';
}

/** Runs `render --commit` in `repo`, SIGKILLed as `kill` says unless it is done first. */
function render(repo: string, kill?: Kill): Promise<Run> {
  return new Promise((done) => {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const watcher = kill && kill.at !== 'start'
      ? watch(join(repo, '.git', 'refs'), { recursive: true }, (_event, name) => {
        if (timer !== undefined || !name) return;
        if (name.endsWith('.lock') === (kill.at === 'locking')) timer = setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
      })
      : undefined;
    const child = spawn(process.execPath, [CLI, 'render', '--repo', repo, '--commit'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    if (kill?.at === 'start') timer = setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      watcher?.close();
      done({ code, signal, stderr, ms: Date.now() - started });
    });
  });
}

function branches(repo: string): Map<string, string> {
  const out = git(repo, ['for-each-ref', '--format=%(refname:short) %(objectname)', 'refs/heads/rendered', 'refs/heads/per']);
  return new Map(out.split('\n').filter(Boolean).map((l) => l.split(' ') as [string, string]));
}

function tree(repo: string, rev: string): string {
  return git(repo, ['rev-parse', `${rev}^{tree}`]);
}

function filesUnder(dir: string, test: (name: string) => boolean): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => test(f)).map((f) => join(dir, f)).sort();
}

/** Journals left in the git directory, with the lock file of every ref each names. */
function journals(repo: string): { state: string; locks: string[] }[] {
  const gitdir = join(repo, '.git');
  return readdirSync(gitdir).filter((f) => f.startsWith('gitfed-txn-')).map((f) => {
    const body = JSON.parse(readFileSync(join(gitdir, f), 'utf8') || '{"updates":[]}') as { updates: { ref: string }[] };
    return { state: f.split('.').pop()!, locks: body.updates.map((u) => join(gitdir, `${u.ref}.lock`)) };
  });
}

function noteSource(repo: string, rev: string): string | null {
  try {
    return /Gitfed-Source-Commit: (\w+)/.exec(git(repo, ['notes', '--ref', 'gitfed', 'show', rev]))?.[1] ?? null;
  } catch {
    return null;
  }
}

describe('render --commit killed at random points', () => {
  it(`leaves refs, notes, locks and fsck consistent after ${SEEDS.length * KILLS_PER_SEED} kills, and the next render converges`, async () => {
    const repo = initRepo();
    const twin = initRepo();
    // Generation 0, rendered undisturbed in both: the starting point.
    for (const dir of [repo, twin]) {
      commitGeneration(dir, 0);
      const r = await render(dir);
      expect(r.code, r.stderr).toBe(0);
    }
    const landed: string[] = [];
    let gen = 0;
    for (const seed of SEEDS) {
      const random = prng(seed);
      for (let k = 0; k < KILLS_PER_SEED; k++) {
        gen++;
        const source = commitGeneration(repo, gen);
        expect(commitGeneration(twin, gen)).toBe(source);
        const undisturbed = await render(twin);
        expect(undisturbed.code, undisturbed.stderr).toBe(0);
        const want = new Map([...branches(twin)].map(([b]) => [b, tree(twin, b)]));
        const before = branches(repo);

        // A third of the kills anywhere in the run, a third while the locks are taken, a third
        // while they are renamed into place.
        const at = (['start', 'locking', 'renaming'] as const)[Math.floor(random() * 3)]!;
        const delay = at === 'start' ? Math.floor(random() * undisturbed.ms) : random() * 3;
        const killed = await render(repo, { afterMs: delay, at });
        const where = `seed ${seed}, kill ${k} ${delay.toFixed(1)} ms after ${at === 'start' ? 'the start' : `${at} began`} (undisturbed run ${undisturbed.ms} ms)`;
        if (killed.signal !== 'SIGKILL') expect(killed.code, `${where}: ${killed.stderr}`).toBe(0);

        // Every lock left is one a journal of gitfed names: the next render can tell it is its own.
        const left = journals(repo);
        const own = new Set(left.flatMap((j) => j.locks));
        const locks = filesUnder(join(repo, '.git'), (f) => f.endsWith('.lock'));
        expect(locks.filter((l) => !own.has(l)).map((l) => relative(repo, l)), where).toEqual([]);
        // Each branch: old head, or the new render with its note.
        const after = branches(repo);
        const moved = [...want.keys()].filter((b) => after.get(b) !== before.get(b));
        for (const b of want.keys()) {
          if (!moved.includes(b)) continue;
          expect(tree(repo, b), `${where}: ${b}`).toBe(want.get(b));
          expect(noteSource(repo, b), `${where}: note on ${b}`).toBe(source);
        }
        // Some moved and some not: only a committed journal (which the next render finishes) may say so.
        if (moved.length > 0 && moved.length < want.size) expect(left.map((j) => j.state), where).toContain('committed');
        git(repo, ['fsck', '--strict']);
        landed.push(`${at}/${killed.signal ?? 'done'}:${left.map((j) => j.state).join('+') || (moved.length === 0 ? 'old' : moved.length === want.size ? 'new' : 'partial')}`);

        const next = await render(repo);
        expect(next.code, `${where}, next render: ${next.stderr}`).toBe(0);
        expect(filesUnder(join(repo, '.git'), (f) => f.endsWith('.lock') || f.includes('gitfed-txn-')), where).toEqual([]);
        const converged = branches(repo);
        expect([...converged.keys()].sort(), where).toEqual([...want.keys()].sort());
        for (const [b, t] of want) {
          expect(tree(repo, b), `${where}: ${b}`).toBe(t);
          expect(noteSource(repo, b), `${where}: note on ${b}`).toBe(source);
        }
        git(repo, ['fsck', '--strict']);
      }
    }
    // Where the kills landed: how they were armed; SIGKILL or done; the journal left, or the refs' state.
    console.log(`kill outcomes: ${landed.join(', ')}`);
  }, 600_000);
});
