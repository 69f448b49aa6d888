/**
 * @module workspace/read-file
 * One fleet file read from disk as render reads it: its size checked before a byte is read, its
 * bytes refused unless they are UTF-8 (yaml/text.ts).
 */
import { readFile, stat } from 'node:fs/promises';
import { decodeFleetFile, MAX_FILE_BYTES, tooLarge } from '../yaml/text.js';

/** The text of the file at `path`; `file` is the name errors give. */
export async function readFleetFile(path: string, file: string): Promise<string> {
  const size = (await stat(path)).size;
  if (size > MAX_FILE_BYTES) throw tooLarge(file, size);
  return decodeFleetFile(file, await readFile(path));
}
