/**
 * Reading the fleet repo's files from a working tree. (Reading at a git ref is src/git's job;
 * both hand render the same thing: repo-relative path -> text.)
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Minimatch } from 'minimatch';
import { CONFIG_FILE, DEFAULT_EXCLUDES, parseConfig } from '../render/config.js';
import { isYamlPath } from '../render/load.js';

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
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    if (prefix === '') continue;
    if (matchesAny(prefix, globs) || (i < parts.length && matchesAny(prefix + '/', globs))) return true;
  }
  return false;
}

/** Which paths render reads: gitfed.yaml and every YAML file not excluded. */
export function isFleetPath(path: string, globs: readonly string[]): boolean {
  return path === CONFIG_FILE || (isYamlPath(path) && !isExcluded(path, globs));
}

/**
 * Every fleet file of a working tree. `extraExcludes` holds repo-relative globs the caller adds,
 * such as a preview directory inside the repo.
 */
export async function readWorkingTree(dir: string, extraExcludes: readonly string[] = []): Promise<Map<string, string>> {
  let configText: string | undefined;
  try {
    configText = await readFile(join(dir, CONFIG_FILE), 'utf8');
  } catch {
    configText = undefined;
  }
  // A broken gitfed.yaml is reported by render with its line; here it only must not stop the walk.
  let globs: readonly string[] = extraExcludes;
  try {
    globs = [...parseConfig(configText).exclude, ...extraExcludes];
  } catch {
    /* reported later */
  }
  const files = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true });
    await Promise.all(
      entries.map(async (e) => {
        const abs = join(d, e.name);
        const rel = relative(dir, abs).split(sep).join('/');
        if (e.isDirectory()) {
          if (isExcluded(rel + '/', globs) || isExcluded(rel, globs)) return;
          await walk(abs);
        } else if (e.isFile() && isFleetPath(rel, globs)) {
          files.set(rel, await readFile(abs, 'utf8'));
        }
      }),
    );
  };
  await walk(dir);
  return new Map([...files.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}
