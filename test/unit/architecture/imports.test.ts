/**
 * The import rules of ARCHITECTURE.md, checked on the source: each src/ file's imports are read
 * (`import type` aside, which leaves nothing at run time, except where a rule says "any"), and
 * each rule names what a folder may not reach.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const SRC = join(ROOT, 'src');

interface Imports {
  /** Imports that load code at run time: src-relative paths of gitfed modules, or package names. */
  readonly values: string[];
  /** Every import, type-only ones included. */
  readonly all: string[];
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

function importsOf(file: string): Imports {
  const text = readFileSync(file, 'utf8');
  const values: string[] = [];
  const all: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[3] ?? m[4]!;
    const target = spec.startsWith('.') ? relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))) : spec;
    all.push(target);
    if (!m[2]) values.push(target);
  }
  return { values, all };
}

const graph = new Map(sources(SRC).map((f) => [relative(SRC, f), importsOf(f)]));

/** Everything a module loads at run time, directly or through other gitfed modules. */
function reach(start: string): Set<string> {
  const seen = new Set<string>();
  const todo = [start];
  while (todo.length) {
    for (const t of graph.get(todo.pop()!)?.values ?? []) {
      if (seen.has(t)) continue;
      seen.add(t);
      if (graph.has(t)) todo.push(t);
    }
  }
  return seen;
}

const under = (folder: string) => [...graph.keys()].filter((f) => f.startsWith(folder));
const FILE_SYSTEM = ['node:fs', 'node:fs/promises', 'chokidar'];
const matches = (target: string, banned: readonly string[]) => banned.some((b) => target === b || (b.endsWith('/') && target.startsWith(b)));

/** [folder, what its modules may not reach at run time, transitively]. */
const NEVER_REACHES: readonly (readonly [string, readonly string[]])[] = [
  ['render/', [...FILE_SYSTEM, 'isomorphic-git', '@kubernetes/client-node', 'apply/', 'workspace/', 'dev/', 'fleet/', 'secrets/keyring.ts', 'age-encryption']],
  ['format/', [...FILE_SYSTEM, 'isomorphic-git', '@kubernetes/client-node', 'render/', 'apply/', 'git/']],
  ['object.ts', ['node:fs', 'render/', 'git/', 'apply/']],
  ['apply/plan/', [...FILE_SYSTEM, 'isomorphic-git', '@kubernetes/client-node']],
  ['yaml/', [...FILE_SYSTEM, 'isomorphic-git', '@kubernetes/client-node', 'render/', 'apply/', 'git/', 'workspace/']],
  ['state/', [...FILE_SYSTEM, 'isomorphic-git', '@kubernetes/client-node', 'render/', 'git/']],
  ['rollout/policy.ts', [...FILE_SYSTEM, 'isomorphic-git', '@kubernetes/client-node', 'apply/', 'git/']],
  ['rollout/planner.ts', [...FILE_SYSTEM, 'isomorphic-git', '@kubernetes/client-node', 'apply/', 'git/']],
];

/** [folder, what its modules may not import at all, type-only imports included]. */
const NEVER_IMPORTS: readonly (readonly [string, readonly string[]])[] = [
  ['apply/', ['render/', 'workspace/', 'fleet/', 'dev/', 'controller/']],
  ['controller/', ['render/', 'workspace/', 'fleet/', 'dev/']],
  ['git/', ['apply/', 'workspace/', 'fleet/', 'dev/']],
  ['workspace/', ['apply/']],
  ['secrets/', ['render/', 'apply/', 'git/', 'workspace/', 'fleet/', 'dev/']],
  ['object.ts', ['render/', 'git/', 'apply/', 'errors.ts']],
  // The planner decides from plain values: no client, no session, no cache, not even their types.
  ['apply/plan/', ['apply/member/kube-client.ts', 'apply/member/kube-member-client.ts', 'apply/member/member-client.ts', 'apply/member/member-session.ts', 'apply/member/owned-cache.ts', 'apply/observe.ts', 'apply/reconcile.ts']],
];

describe('import rules (ARCHITECTURE.md)', () => {
  it('reads the source tree', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('render/render.ts')?.values).toContain('object.ts');
  });

  for (const [folder, banned] of NEVER_REACHES) {
    it(`${folder} never loads ${banned.join(', ')}`, () => {
      const found = under(folder).flatMap((f) => [...reach(f)].filter((t) => matches(t, banned)).map((t) => `${f} -> ${t}`));
      expect(found).toEqual([]);
    });
  }

  for (const [folder, banned] of NEVER_IMPORTS) {
    it(`${folder} never imports ${banned.join(', ')}`, () => {
      const found = under(folder).flatMap((f) => graph.get(f)!.all.filter((t) => matches(t, banned)).map((t) => `${f} -> ${t}`));
      expect(found).toEqual([]);
    });
  }

  it('only apply/member/kube-client.ts loads @kubernetes/client-node (the rest use the MemberClient interface)', () => {
    const found = [...graph].filter(([f, i]) => i.values.includes('@kubernetes/client-node') && f !== 'apply/member/kube-client.ts').map(([f]) => f);
    expect(found).toEqual([]);
  });

  it('only src/git imports isomorphic-git', () => {
    const found = [...graph].filter(([f, i]) => i.values.includes('isomorphic-git') && !f.startsWith('git/')).map(([f]) => f);
    expect(found).toEqual([]);
  });
});
