/**
 * @module git/build-tree
 * Builds nested trees bottom-up from a flat list of files, with ready-made subtrees (a cluster
 * directory unchanged since the last commit) grafted in by oid without being read.
 */
import { GitError } from '../errors.js';
import { MODE_FILE, MODE_TREE, serializeTree, type TreeEntry } from './object-format.js';
import type { ObjectBatch } from './object-store.js';
import { treePathProblem } from './tree-paths.js';

interface Dir {
  readonly dirs: Map<string, Dir>;
  readonly leaves: Map<string, TreeEntry>;
}

function newDir(): Dir {
  return { dirs: new Map(), leaves: new Map() };
}

export class TreeBuilder {
  private readonly root = newDir();

  /** A regular file at `path` (slash-separated, relative to the branch root). */
  addFile(path: string, oid: string): void {
    this.place(path, MODE_FILE, oid);
  }

  /** An existing tree at `path`, taken as is. */
  addTree(path: string, oid: string): void {
    this.place(path, MODE_TREE, oid);
  }

  /** Serialises every directory into `batch`, deepest first, and returns the root tree's oid. */
  build(batch: ObjectBatch): string {
    const write = (d: Dir): string => {
      const entries: TreeEntry[] = [...d.leaves.values()];
      for (const [name, sub] of d.dirs) entries.push({ name, mode: MODE_TREE, oid: write(sub) });
      return batch.add('tree', serializeTree(entries));
    };
    return write(this.root);
  }

  private place(path: string, mode: string, oid: string): void {
    // Whatever a caller passes, nothing leaves the branch root or lands in a .git directory on checkout.
    const problem = treePathProblem(path);
    if (problem !== undefined) throw new GitError('InvalidOutput', `invalid path ${JSON.stringify(path)} for a git tree: it ${problem}`);
    const parts = path.split('/');
    const name = parts.pop()!;
    let d = this.root;
    for (const p of parts) {
      if (d.leaves.has(p)) throw new GitError('InvalidOutput', `"${path}" needs "${p}" to be a directory, but it is already a file or a finished tree`);
      let next = d.dirs.get(p);
      if (!next) d.dirs.set(p, (next = newDir()));
      d = next;
    }
    if (d.leaves.has(name) || d.dirs.has(name)) throw new GitError('InvalidOutput', `"${path}" is given twice (two clusters with one directory?)`);
    d.leaves.set(name, { name, mode, oid });
  }
}
