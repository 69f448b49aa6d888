/**
 * @module observe/rising-memory
 * What the observer saw before, kept between runs of `gitfed observe` and rounds of the daemon: per
 * member, the changes for the better seen in every observation since when (state/hysteresis
 * `Rising`). It is not state: no render reads it and it never goes into a commit. It lets the
 * hysteresis tell room that has stood for the dwell time from room that came back for a moment.
 * Kept per clone in the git directory (`gitfed/observe-<branch>.json`); a file that is missing or
 * does not parse is no memory, which only makes the next change for the better wait longer.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openRepo } from '../git/repo.js';
import type { Rising } from '../state/hysteresis.js';

export type RisingMemory = Readonly<Record<string, Rising>>;

function memoryFile(repo: string, branch: string): string {
  return join(openRepo(repo).gitdir, 'gitfed', `observe-${encodeURIComponent(branch)}.json`);
}

const isEntry = (v: unknown): v is { since: number; value: number } =>
  typeof v === 'object' && v !== null && typeof (v as { since?: unknown }).since === 'number' && typeof (v as { value?: unknown }).value === 'number';

export async function readRising(repo: string, branch: string): Promise<RisingMemory> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(memoryFile(repo, branch), 'utf8'));
  } catch {
    return {};
  }
  const out: Record<string, Record<string, { since: number; value: number }>> = {};
  if (typeof doc !== 'object' || doc === null) return out;
  for (const [cluster, fields] of Object.entries(doc)) {
    if (typeof fields !== 'object' || fields === null) continue;
    out[cluster] = Object.fromEntries(Object.entries(fields).filter((e): e is [string, { since: number; value: number }] => isEntry(e[1])));
  }
  return out;
}

/** Replaces the memory (written aside and renamed, so a reader never sees half of it). */
export async function writeRising(repo: string, branch: string, memory: RisingMemory): Promise<void> {
  const file = memoryFile(repo, branch);
  await mkdir(join(file, '..'), { recursive: true });
  const sorted = Object.fromEntries(Object.keys(memory).sort().filter((c) => Object.keys(memory[c]!).length > 0).map((c) => [c, memory[c]]));
  await writeFile(`${file}.tmp`, JSON.stringify(sorted, null, 2) + '\n');
  await rename(`${file}.tmp`, file);
}
