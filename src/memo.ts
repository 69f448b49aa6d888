/**
 * @module memo
 * The bound on the memos hot loops keep (a key's YAML text, a JSON pointer's tree, a directory's
 * exclusion): once full, a memo starts afresh rather than grow with every fleet a long-lived
 * process (watch, the daemon) renders. Forgetting everything at once costs only recomputation, and
 * nothing per hit, which any eviction order would.
 */

/** Stores `value` under `key` in `memo`, emptied first when it holds `limit` entries; returns `value`. */
export function remember<K, V>(memo: Map<K, V>, key: K, value: V, limit: number): V {
  if (memo.size >= limit) memo.clear();
  memo.set(key, value);
  return value;
}
