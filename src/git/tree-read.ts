/**
 * @module git/tree-read
 * Walking stored trees: one entry by path, or every file below a tree.
 */
import { GitError } from '../errors.js';
import { MODE_TREE, parseTree, type TreeEntry } from './object-format.js';
import type { ObjectStore } from './object-store.js';

// A tree id names its content forever, so parsed trees are kept for the life of the store.
const parsed = new WeakMap<ObjectStore, Map<string, TreeEntry[]>>();

export async function readTree(store: ObjectStore, oid: string, what = `tree ${oid}`): Promise<TreeEntry[]> {
  let cache = parsed.get(store);
  if (!cache) parsed.set(store, (cache = new Map()));
  const hit = cache.get(oid);
  if (hit) return hit;
  const content = await store.readTyped(oid, 'tree', what);
  try {
    const entries = parseTree(content);
    cache.set(oid, entries);
    return entries;
  } catch (err) {
    throw new GitError('CorruptObject', `${what}: ${(err as Error).message}`, {}, { cause: err });
  }
}

/** The entry at `path` ('a/b/c', no leading slash) below tree `root`; null when absent. */
export async function lookupPath(store: ObjectStore, root: string, path: string): Promise<TreeEntry | null> {
  let tree = root;
  const parts = path.split('/').filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const entry = (await readTree(store, tree)).find((e) => e.name === parts[i]);
    if (!entry) return null;
    if (i === parts.length - 1) return entry;
    if (entry.mode !== MODE_TREE) return null;
    tree = entry.oid;
  }
  return { name: '', mode: MODE_TREE, oid: root };
}

/** Which paths a walk descends into and keeps; a directory is offered with type 'dir'. */
export type PathFilter = (path: string, type: 'file' | 'dir') => boolean;

/**
 * Every regular file below `root` as path -> blob oid, paths relative to `root` joined under
 * `prefix`. Symlinks and submodules are not files of the fleet and are left out.
 */
export async function listFiles(store: ObjectStore, root: string, prefix = '', filter?: PathFilter, onOther?: (path: string, mode: string) => void): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (oid: string, base: string): Promise<void> => {
    for (const e of await readTree(store, oid, base ? `tree ${base}` : `tree ${oid}`)) {
      const path = base ? `${base}/${e.name}` : e.name;
      if (e.mode === MODE_TREE) {
        if (!filter || filter(path, 'dir')) await walk(e.oid, path);
      } else if (e.mode === '100644' || e.mode === '100755') {
        if (!filter || filter(path, 'file')) out.set(path, e.oid);
      } else if (onOther && (!filter || filter(path, 'file'))) {
        onOther(path, e.mode);
      }
    }
  };
  await walk(root, prefix);
  return out;
}
