/**
 * Reading the fleet repo's files from a working tree. (Reading at a git ref is src/git's job;
 * both hand render the same thing: repo-relative path -> text.)
 */
import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { CONFIG_FILE, parseConfig } from '../render/config.js';
import { RenderError, RenderErrors } from '../errors.js';
import { countFleetYaml, isExcluded, isFleetPath, nothingLeftError } from '../render/fleet-paths.js';
import { decodeFleetFile, MAX_FILE_BYTES, tooLarge } from '../render/load.js';

/** A file-system failure while reading the fleet, as an error that says what to do. */
function readError(err: unknown, file: string, what: 'file' | 'directory'): RenderError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') {
    return new RenderError('Unreadable', `cannot read this ${what}: permission denied; make it readable for the user running gitfed, or exclude it in gitfed.yaml`, { file });
  }
  if (code === 'ELOOP') return notRegular(file, 'a symbolic link');
  return new RenderError('Unreadable', `cannot read this ${what}: ${(err as Error).message}`, { file });
}

function notRegular(file: string, what: string): RenderError {
  const why = what === 'a symbolic link' ? 'a link could bring in a file from outside the repo, and git stores only the link' : 'reading it could block or never end';
  return new RenderError('NotRegularFile', `this is ${what}, and gitfed reads only regular files (${why}); replace it with the file itself, or exclude it in gitfed.yaml`, { file });
}

function kindOf(e: { isSymbolicLink(): boolean; isFIFO(): boolean; isSocket(): boolean; isDirectory(): boolean }): string {
  if (e.isSymbolicLink()) return 'a symbolic link';
  if (e.isDirectory()) return 'a directory';
  if (e.isFIFO()) return 'a named pipe (FIFO)';
  if (e.isSocket()) return 'a socket';
  return 'a device';
}

/**
 * Reads one regular file, never following a link and never blocking on a pipe, even when the
 * entry changed type since the directory was listed. Undefined when it does not exist.
 */
async function readRegular(abs: string, rel: string): Promise<string | RenderError | undefined> {
  let handle;
  try {
    handle = await open(abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : readError(err, rel, 'file');
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return notRegular(rel, kindOf(st));
    if (st.size > MAX_FILE_BYTES) return tooLarge(rel, st.size);
    return decodeFleetFile(rel, await handle.readFile());
  } catch (err) {
    if (err instanceof RenderError) return err;
    return readError(err, rel, 'file');
  } finally {
    await handle.close();
  }
}

/** The fleet repo directory itself: it must exist and be a directory. */
async function checkRepoDir(dir: string): Promise<void> {
  let st;
  try {
    st = await stat(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new RenderError('RepoNotFound', 'the fleet repo does not exist; give the directory of the fleet repo (--repo DIR)', { file: dir });
    throw readError(err, dir, 'directory');
  }
  if (!st.isDirectory()) throw new RenderError('RepoNotFound', `the fleet repo is a file, not a directory; give the directory that holds the fleet (--repo ${dirname(dir)})`, { file: dir });
}

interface Walk {
  readonly files: Map<string, string>;
  readonly errors: RenderError[];
}

/** Every fleet file below `dir` not excluded by `globs`; problems are collected, not thrown. */
async function walkTree(dir: string, globs: readonly string[], read: boolean): Promise<Walk> {
  const files = new Map<string, string>();
  const errors: RenderError[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (err) {
      errors.push(readError(err, d === dir ? dir : relative(dir, d).split(sep).join('/') + '/', 'directory'));
      return;
    }
    await Promise.all(
      entries.map(async (e) => {
        const abs = join(d, e.name);
        const rel = relative(dir, abs).split(sep).join('/');
        if (e.isDirectory()) {
          if (isExcluded(rel + '/', globs) || isExcluded(rel, globs)) return;
          await walk(abs);
        } else if (isFleetPath(rel, globs)) {
          if (!e.isFile()) errors.push(notRegular(rel, kindOf(e)));
          else if (!read) files.set(rel, '');
          else {
            // A file deleted since the listing is simply not there.
            const text = await readRegular(abs, rel);
            if (text instanceof RenderError) errors.push(text);
            else if (text !== undefined) files.set(rel, text);
          }
        }
      }),
    );
  };
  await walk(dir);
  return { files, errors };
}

/**
 * Every fleet file of a working tree. `extraExcludes` holds repo-relative globs the caller adds,
 * such as a preview directory inside the repo. Only regular files are read: a symbolic link, a
 * pipe or a device at a fleet path is an error, as is a file or directory that cannot be read,
 * a repo directory that does not exist, and excludes that leave nothing to render; all of them
 * are reported at once (RenderErrors).
 */
export async function readWorkingTree(dir: string, extraExcludes: readonly string[] = []): Promise<Map<string, string>> {
  await checkRepoDir(dir);
  const config = await readRegular(join(dir, CONFIG_FILE), CONFIG_FILE);
  const configText = typeof config === 'string' ? config : undefined;
  const errors: RenderError[] = config instanceof RenderError ? [config] : [];
  // A broken gitfed.yaml is reported by render with its line; here it only must not stop the walk.
  let configGlobs: readonly string[] = [];
  try {
    configGlobs = parseConfig(configText).exclude;
  } catch {
    /* reported later */
  }
  const globs = [...configGlobs, ...extraExcludes];
  const { files, errors: walkErrors } = await walkTree(dir, globs, true);
  errors.push(...walkErrors);
  if (errors.length === 0 && configGlobs.length > 0 && countFleetYaml(files.keys(), globs) === 0) {
    // Only now pay for a second walk: were there files before gitfed.yaml excluded them?
    const present = countFleetYaml((await walkTree(dir, extraExcludes, false)).files.keys(), extraExcludes);
    if (present > 0) errors.push(nothingLeftError(configText, configGlobs, present));
  }
  if (errors.length > 0) throw new RenderErrors(errors.sort((a, b) => (a.file! < b.file! ? -1 : a.file! > b.file! ? 1 : 0)));
  return new Map([...files.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}
