/**
 * @module render/fleet-paths
 * Which repo-relative paths are the fleet: gitfed.yaml and every YAML file the excludes leave.
 * Pure predicates on paths, shared by the working-tree reader (src/workspace) and the git reader.
 */
import { Minimatch } from 'minimatch';
import { remember } from '../memo.js';
import { RenderError } from '../errors.js';
import { CONFIG_FILE, DEFAULT_EXCLUDES } from './config.js';
import { isYamlPath } from './load.js';

// Compiling a glob costs far more than matching it, and every path of the fleet is tested.
const compiled = new Map<string, Minimatch[]>();

function matchersFor(g: string): Minimatch[] {
  let m = compiled.get(g);
  if (!m) {
    // `dir/**` also excludes `dir` itself, so a walk can skip the directory without entering it.
    m = [new Minimatch(g, { dot: true }), new Minimatch(g.replace(/\/\*\*$/, ''), { dot: true })];
    compiled.set(g, m);
  }
  return m;
}

function matchesAny(path: string, globs: readonly string[]): boolean {
  for (const list of [DEFAULT_EXCLUDES, globs]) {
    for (const g of list) for (const m of matchersFor(g)) if (m.match(path)) return true;
  }
  return false;
}

/**
 * True when the repo-relative path, or a directory above it, is excluded by the defaults or the
 * given globs. Checking the ancestors makes `docs` exclude `docs/a.yaml` whether the files come
 * from a directory walk (which skips the directory) or from a git tree (which lists full paths).
 */
export function isExcluded(path: string, globs: readonly string[]): boolean {
  const parts = path.split('/');
  const dirs = dirsFor(globs);
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    if (prefix === '') continue;
    if (i === parts.length) return matchesAny(prefix, globs);
    // Most files share their directories: each directory is matched once per glob list.
    const excluded = dirs.get(prefix) ?? remember(dirs, prefix, matchesAny(prefix, globs) || matchesAny(prefix + '/', globs), 10_000);
    if (excluded) return true;
  }
  return false;
}

/** Directories already judged, per glob list. */
const judgedDirs = new Map<string, Map<string, boolean>>();

function dirsFor(globs: readonly string[]): Map<string, boolean> {
  const key = globs.join('\0');
  return judgedDirs.get(key) ?? remember(judgedDirs, key, new Map(), 100);
}

/** Which paths render reads: gitfed.yaml and every YAML file not excluded. */
export function isFleetPath(path: string, globs: readonly string[]): boolean {
  return path === CONFIG_FILE || (isYamlPath(path) && !isExcluded(path, globs));
}

/** The error when gitfed.yaml's exclude globs leave no YAML file of the `present` ones to read. */
export function nothingLeftError(configText: string | undefined, globs: readonly string[], present: number): RenderError {
  const line = (configText ?? '').split('\n').findIndex((l) => /^exclude\s*:/.test(l)) + 1;
  return new RenderError(
    'NothingToRender',
    `exclude ${JSON.stringify(globs)} leaves nothing to render: all ${present} YAML file(s) of the repo are excluded; narrow the globs (they match repo-relative paths, as "docs/**" does)`,
    { file: CONFIG_FILE, ...(line > 0 ? { line } : {}) },
  );
}

/** How many fleet YAML files (gitfed.yaml aside) the paths hold with `globs` excluded. */
export function countFleetYaml(paths: Iterable<string>, globs: readonly string[]): number {
  let n = 0;
  for (const p of paths) if (p !== CONFIG_FILE && isFleetPath(p, globs)) n++;
  return n;
}
