/**
 * @module fleet/atomic-write
 * Every file the verbs write appears whole or not at all: a temp file in the same directory (so
 * the rename never crosses a file system), then a rename over the target. A verb killed half-way
 * leaves at most a stray `.gitfed-*.tmp`, never a truncated manifest in the fleet repo.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.gitfed-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, text, { flag: 'wx' });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export async function removeFile(path: string): Promise<void> {
  await rm(path);
}
