/**
 * @module fleet/repo
 * The fleet repo as the verbs see it: its working tree's YAML files, read as render reads them
 * (same exclusions, same positions), so a verb finds exactly the documents render would.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadFile } from '../render/load.js';
import { readWorkingTree } from '../workspace/source.js';
import type { SourceObject } from '../render/types.js';
import { FleetError } from './errors.js';

export interface FleetRepo {
  /** The repo's directory as given. */
  readonly dir: string;
  /** Repo-relative path -> text. */
  readonly files: ReadonlyMap<string, string>;
  /**
   * Every document that parses, with its position. Files with YAML errors are skipped here: the
   * verbs edit other files, and `gitfed render` reports those errors with their lines.
   */
  readonly objects: readonly SourceObject[];
}

export async function loadRepo(dir: string): Promise<FleetRepo> {
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new FleetError('RepoNotFound', `fleet repo ${dir} is not a directory (use --repo DIR)`);
  const files = await readWorkingTree(dir);
  const objects: SourceObject[] = [];
  for (const [path, text] of files) objects.push(...loadFile(path, text).objects);
  return { dir, files, objects };
}

/** Absolute (or cwd-relative) path of a repo-relative file. */
export function repoPath(repo: FleetRepo | string, file: string): string {
  return join(typeof repo === 'string' ? repo : repo.dir, file);
}

/** `file:line`, the way every message of the verbs points at a document. */
export function where(src: SourceObject): string {
  return `${src.pos.file}:${src.pos.line}`;
}
