/**
 * `--cluster NAME...` and `-l/--selector`: which of the fleet's clusters a command looks at. A name
 * the fleet does not have, or a selector no cluster matches, is an error: a typo must not read
 * as "no changes" in CI.
 */
import { GitfedError } from '../src/errors.js';
import { closest } from '../src/render/schema/suggest.js';
import type { ClusterSelector } from '../src/git/branch-read.js';
import { matchesSelector, parseSelector, SelectorError } from '../src/render/selector.js';
import type { LabelSelector } from '../src/render/types.js';

export interface ClusterFlags {
  readonly cluster?: readonly string[];
  readonly selector?: string;
}

/** The clusters chosen, or undefined when neither flag is given (every cluster). */
export function chooseClusters(flags: ClusterFlags, fleet: ReadonlyMap<string, Readonly<Record<string, string>>>): Set<string> | undefined {
  if (!flags.cluster && flags.selector === undefined) return undefined;
  const known = [...fleet.keys()].sort();
  let chosen = new Set(known);
  if (flags.cluster) {
    for (const name of flags.cluster) {
      if (fleet.has(name)) continue;
      const near = closest(name, known);
      throw new GitfedError('UnknownCluster', `--cluster ${name}: no cluster of that name in the fleet${near ? `; did you mean ${near}?` : ''}`, {
        hint: `the fleet's clusters: ${known.length <= 20 ? known.join(', ') : `${known.slice(0, 20).join(', ')} and ${known.length - 20} more`}`,
      });
    }
    chosen = new Set(flags.cluster);
  }
  if (flags.selector !== undefined) {
    const sel = parsed(flags.selector);
    chosen = new Set([...chosen].filter((c) => matchesSelector(sel, fleet.get(c) ?? {})));
    if (chosen.size === 0) {
      throw new GitfedError('UnknownCluster', `--selector ${flags.selector}: no cluster${flags.cluster ? ' of those named' : ''} has these labels`, { hint: 'gitfed render lists the clusters; their labels are in the inventory (clusters/)' });
    }
  }
  return chosen;
}

function parsed(text: string): LabelSelector {
  try {
    return parseSelector(text);
  } catch (err) {
    if (err instanceof SelectorError) throw new GitfedError('InvalidFlag', `--selector ${JSON.stringify(text)}: ${err.message}`, { hint: 'as kubectl -l takes it: -l location=cloud,tier!=burst' });
    throw err;
  }
}

/**
 * `-l` for the commands that read the output branch (apply, daemon, diff --live): checked here,
 * matched by the branch reader against the labels gitfed.metadata records for each cluster.
 */
export function branchSelector(text: string | undefined): ClusterSelector | undefined {
  if (text === undefined) return undefined;
  const sel = parsed(text);
  return { text, matches: (labels) => matchesSelector(sel, labels) };
}

/** `-l, --selector <labels>` beside `--cluster`. */
export const SELECTOR_FLAGS = '-l, --selector <labels>';
export const SELECTOR_HELP = 'only the clusters with these labels, as kubectl -l (k=v, k!=v, k in (a,b), !k)';
