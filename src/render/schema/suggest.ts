/**
 * "Did you mean": the known name nearest to a misspelt one, by edit distance (a swap of two
 * neighbouring letters counts as one edit, case is ignored), if it is near enough to be the
 * likely intent rather than another field altogether.
 */

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** How many edits still read as a typo of a word this long. */
function tolerance(length: number): number {
  return length <= 3 ? 1 : length <= 8 ? 2 : 3;
}

/**
 * The nearest candidate within tolerance; ties go to the first in sorted order. A word that is the
 * start of exactly one candidate (`plural` of `pluralName`) is taken as a shortened name of it.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const sorted = [...candidates].sort();
  let best: { name: string; d: number } | undefined;
  for (const c of sorted) {
    const d = editDistance(w, c.toLowerCase());
    if (d <= tolerance(Math.max(w.length, c.length)) && (!best || d < best.d)) best = { name: c, d };
  }
  if (best) return best.name;
  const starts = w.length >= 4 ? sorted.filter((c) => c.toLowerCase().startsWith(w)) : [];
  return starts.length === 1 ? starts[0] : undefined;
}
