/**
 * Writes many small files, as a preview is: tens of thousands of a few hundred bytes each, where
 * the kernel's work per file (create, write, close) is nearly all of the cost. Directories are
 * made first, once each; then the files go to libuv's thread pool a bounded number at a time, so
 * the kernel works on several at once (on other cores) while no file descriptors pile up.
 */
import { mkdirSync, writeFile } from 'node:fs';
import { dirname, join } from 'node:path';

/** Files in flight at once: enough to keep the thread pool busy, far below any descriptor limit. */
const IN_FLIGHT = 32;

/** Writes `files` (paths relative to `root`, '/'-separated) and resolves with how many were written. */
export function writeFiles(root: string, files: ReadonlyMap<string, string> | readonly (readonly [string, string])[]): Promise<number> {
  const list = [...files];
  const dirs = new Set<string>();
  for (const [p] of list) dirs.add(dirname(join(root, p)));
  for (const d of [...dirs].sort()) mkdirSync(d, { recursive: true });
  return new Promise((resolve, reject) => {
    let next = 0;
    let done = 0;
    let failed = false;
    const start = (): void => {
      const [p, content] = list[next++]!;
      writeFile(join(root, p), content, (err) => {
        if (failed) return;
        if (err) {
          failed = true;
          reject(err);
          return;
        }
        done++;
        if (done === list.length) resolve(done);
        else if (next < list.length) start();
      });
    };
    if (list.length === 0) resolve(0);
    for (let i = 0; i < IN_FLIGHT && next < list.length; i++) start();
  });
}
